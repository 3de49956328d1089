"""The project's single-exchange checks as one schemathesis check.

A schemathesis user loads them with `import conformance.properties.bridge` (or the
`em_conformance_checks` hook in their own hooks file); every response schemathesis
gets is turned into an `Exchange` and judged by each registered check whose scope
selects it, so a failure names the rule ID, Expected / Received and the doc page.
"""

from __future__ import annotations

from typing import Any

import schemathesis

from conformance.checks import REGISTRY, Outcome, Subject, Verdict
from conformance.exchange import Exchange, RecordedRequest, RecordedResponse

__all__ = ["em_conformance_checks", "exchange_from_response", "failures_of"]


def _body(request: Any) -> bytes:
    body = getattr(request, "body", None)
    if body is None:
        return b""
    return body.encode() if isinstance(body, str) else bytes(body)


def exchange_from_response(response: schemathesis.Response) -> Exchange:
    """The recorded exchange behind a schemathesis response."""
    request = response.request
    recorded_request = RecordedRequest.build(
        str(request.method), str(request.url), dict(request.headers), _body(request)
    )
    headers = [(name, value) for name, values in response.headers.items() for value in values]
    recorded_response = RecordedResponse.build(
        response.status_code, headers, response.content, response.elapsed
    )
    return Exchange(recorded_request, recorded_response, label="schemathesis")


def failures_of(exchange: Exchange) -> list[Verdict]:
    verdicts = [check(Subject(((0, exchange),))) for check in REGISTRY.applicable(exchange)]
    return [v for v in verdicts if v.outcome is Outcome.FAILED and v.rule.level.value != "INFO"]


def _message(verdict: Verdict) -> str:
    rule = verdict.rule
    return f"{rule.id} ({rule.level.value}) {rule.statement}\nExpected: {verdict.expected}\nReceived: {verdict.received}\nSee {rule.doc}"


@schemathesis.check
def em_conformance_checks(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: Any
) -> bool | None:
    """Every em-conformance rule that judges a single exchange."""
    failures = failures_of(exchange_from_response(response))
    if failures:
        raise AssertionError("\n\n".join(_message(v) for v in failures))
    return None
