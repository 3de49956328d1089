"""Property-based runs of the OpenAPI description with schemathesis.

Generated requests go to the target with the run's session token, once per format
(no `Accept`, which gives XML, and `Accept: application/json`). Every response is
judged by schemathesis's own checks and by the project's single-exchange checks
(`bridge.py`); XML bodies are validated too, through the XML deserializer.

Against a server the run was not built for, only read-only operations are generated:
a random DELETE could reach an object the run neither created nor was given.

Given the run's `EmClient`, every generated request goes through it, not through
schemathesis's own `requests` session: one connection pool, the client's deadline and
body cap, its safety guard, and the recording in wire order.  A target that stops
answering ends the generation at once (no example is retried against it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import hypothesis
import requests
import schemathesis
from hypothesis import HealthCheck, Phase
from schemathesis.specs.openapi.checks import ignored_auth

from conformance.checks.steps import SCHEMATHESIS_FAILURE_TAG
from conformance.errors import TargetError
from conformance.exchange import Exchange
from conformance.options import default
from conformance.properties.bridge import em_conformance_checks, exchange_from_response
from conformance.properties.deserializers import register_xml_deserializer
from conformance.protocol import JSON, SESSION_HEADER
from conformance.spec import load_openapi

if TYPE_CHECKING:
    from conformance.client import EmClient

__all__ = [
    "FAILURE_TAG",
    "FORMATS",
    "Finding",
    "PropertyRun",
    "PropertySettings",
    "checks_for",
    "describe_failure",
    "failure_titles",
    "run_properties",
]

FORMATS: dict[str, dict[str, str]] = {"xml": {}, "json": {"Accept": JSON}}
# A recorded exchange is tagged with each schemathesis check it failed, so that the
# failure survives in a cassette and is judged offline (rule EM-PROP-001).
FAILURE_TAG = SCHEMATHESIS_FAILURE_TAG
# Logon and logout change who is logged on; the flows cover them with real credentials.
_SESSION_OPERATIONS = ["CreateLogonSession", "DeleteLogonSession"]


@dataclass(frozen=True)
class PropertySettings:
    base_url: str
    token: str
    verify: bool | str = True
    max_examples: int = default("max-examples")  # the option table's defaults, written once
    formats: tuple[str, ...] = default("format")
    unsafe_methods: bool = False
    timeout: float = default("timeout")
    # Off when the caller judges the recorded exchanges with the catalogue itself.
    project_checks: bool = True
    # The run's client: requests go through it and are recorded there, with `label`
    # and `tags`, as they are made.  Without one, schemathesis sends them itself.
    client: EmClient | None = None
    label: str = "generated"
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    """One failure schemathesis or a project check reported for a generated request."""

    operation: str
    format: str
    message: str
    exchange: Exchange | None = None


@dataclass
class PropertyRun:
    exchanges: list[Exchange] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    operations: int = 0
    stopped: TargetError | None = None


def _schema(settings: PropertySettings) -> Any:
    register_xml_deserializer()
    schema: Any = schemathesis.openapi.from_dict(load_openapi())
    schema.config.update(
        base_url=settings.base_url,
        headers={SESSION_HEADER: settings.token},
        tls_verify=settings.verify,
        request_timeout=settings.timeout,
    )
    schema = schema.exclude(operation_id=_SESSION_OPERATIONS)
    return schema if settings.unsafe_methods else schema.include(method="GET")


def _failures(error: BaseException) -> list[BaseException]:
    return list(getattr(error, "exceptions", None) or [error])


def failure_titles(error: BaseException) -> list[str]:
    """The distinct titles of a schemathesis failure group ("Response violates schema")."""
    titles = (str(getattr(part, "title", type(part).__name__)) for part in _failures(error))
    return list(dict.fromkeys(titles))


def describe_failure(error: BaseException) -> str:
    """Each failure of a schemathesis failure group as `title: message`, bodies cut short."""
    lines = []
    for part in _failures(error):
        title = getattr(part, "title", type(part).__name__)
        message = str(getattr(part, "message", part)).strip()
        lines.append(f"{title}: {message[:1500]}")
    return "\n".join(lines)


def _prepared(case: Any, settings: PropertySettings, headers: dict[str, str]) -> Any:
    kwargs = case.as_transport_kwargs(base_url=settings.base_url, headers=headers)
    fields = ("method", "url", "headers", "params", "data", "json", "cookies")
    return requests.Request(**{name: kwargs[name] for name in fields if name in kwargs}).prepare()


def _through_client(
    client: EmClient, case: Any, settings: PropertySettings, fmt: str
) -> tuple[Any, Exchange]:
    headers = {SESSION_HEADER: settings.token, **FORMATS[fmt]}
    prepared = _prepared(case, settings, headers)
    body = prepared.body or b""
    exchange = client.send(
        prepared.method,
        prepared.url,
        headers=dict(prepared.headers),
        body=body.encode() if isinstance(body, str) else bytes(body),
        label=settings.label,
        tags=(*settings.tags, f"format:{fmt}"),
    )
    received = exchange.response
    grouped: dict[str, list[str]] = {}
    for name, value in received.headers:
        grouped.setdefault(name.lower(), []).append(value)
    response = schemathesis.Response(
        status_code=received.status,
        headers=grouped,
        content=received.body,
        request=prepared,
        elapsed=received.elapsed,
        verify=bool(client.options.verify),
    )
    return response, exchange


def _call(case: Any, settings: PropertySettings, fmt: str) -> tuple[Any, Exchange]:
    if settings.client is not None:
        return _through_client(settings.client, case, settings, fmt)
    response = case.call(headers=FORMATS[fmt])
    exchange = exchange_from_response(response)
    return response, replace(exchange, tags=(*exchange.tags, f"format:{fmt}"))


def checks_for(settings: PropertySettings) -> tuple[list[Any], list[Any]]:
    """The checks to add to and to exclude from schemathesis's own, for both engines."""
    extra = [em_conformance_checks] if settings.project_checks else []
    # `ignored_auth` sends its own probes (no token, a wrong one) through schemathesis's
    # transport, past the client's deadline, body cap and recording; the authorization
    # flows judge the same thing on every operation (EM-AUTHZ), recorded.
    excluded = [ignored_auth] if settings.client is not None else []
    # Importing the bridge registers the catalogue as a schemathesis check for everyone;
    # a caller that judges the recording with the catalogue must not judge it twice.
    excluded += [] if settings.project_checks else [em_conformance_checks]
    return extra, excluded


def _fuzz(operation: Any, settings: PropertySettings, run: PropertyRun) -> None:
    """One hypothesis run per operation; each case it draws is sent in every format.
    Generation is the costly part, and a separate run per format drew the very same
    cases anyway (`derandomize` seeds both from the same test function)."""

    @hypothesis.settings(
        max_examples=settings.max_examples, deadline=None, database=None, derandomize=True,
        phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
    )  # fmt: skip
    @hypothesis.given(case=operation.as_strategy())
    def exercise(case: Any) -> None:
        for fmt in settings.formats:
            if run.stopped is not None:
                return  # the target stopped answering: nothing more is sent to it
            _exercise(operation, case, fmt, settings, run)

    exercise()


def _exercise(
    operation: Any, case: Any, fmt: str, settings: PropertySettings, run: PropertyRun
) -> None:
    """Send `case` in format `fmt`, judge the response, record the exchange."""
    extra, excluded = checks_for(settings)
    try:
        response, exchange = _call(case, settings, fmt)
    except TargetError as stop:
        run.stopped = stop
        return
    titles: list[str] = []
    try:
        case.validate_response(
            response, headers=FORMATS[fmt], additional_checks=extra, excluded_checks=excluded
        )
    except (Exception, BaseExceptionGroup) as failure:  # a FailureGroup is a BaseExceptionGroup
        run.findings.append(Finding(operation.label, fmt, describe_failure(failure), exchange))
        titles = failure_titles(failure)
    tags = tuple(FAILURE_TAG + title for title in titles)
    if tags and settings.client is not None:
        exchange = settings.client.retag(exchange, tags)
    elif tags:
        exchange = replace(exchange, tags=exchange.tags + tags)
    run.exchanges.append(exchange)


def run_properties(
    settings: PropertySettings, progress: Callable[[str], None] | None = None
) -> PropertyRun:
    """Fuzz every included operation in every format; failures are collected, not raised."""
    run = PropertyRun()
    for result in _schema(settings).get_all_operations():
        operation = result.ok()
        run.operations += 1
        if progress is not None:
            progress(f"property-based: {operation.label} ({'+'.join(settings.formats)})")
        _fuzz(operation, settings, run)
        if run.stopped is not None:
            return run
    return run
