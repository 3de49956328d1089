"""A server that sends the other known form of an undocumented shape is still conformant.

Issue 8: an implementation faithful to every documented statement sent
`"SupportedVersions": [{"Name": "v1_7"}]` in the JSON of `GET /api/` and was called NOT
CONFORMANT (EM-LOGON-001, EM-REPR-001, EM-NEG-009).  The faithful run's recording, with
that one body rewritten to the flat form, must judge exactly as the original does.
"""

from __future__ import annotations

import json
from dataclasses import replace

from conformance.checks import Outcome, api_path, judge
from conformance.exchange import Exchange, RecordedResponse
from conformance.suite import JudgedResult


def _flat(exchange: Exchange) -> Exchange:
    response = exchange.response
    if api_path(exchange.request.url) != "/" or "json" not in response.media_type:
        return exchange
    document = json.loads(response.body)
    document["SupportedVersions"] = document["SupportedVersions"]["SupportedVersions"]
    body = json.dumps(document).encode()
    headers = [
        (k, str(len(body)) if k.lower() == "content-length" else v) for k, v in response.headers
    ]
    return replace(exchange, response=RecordedResponse.build(response.status, headers, body))


def _outcomes(exchanges: list[Exchange]) -> dict[str, set[Outcome]]:
    found: dict[str, set[Outcome]] = {}
    for verdict in judge(exchanges):
        found.setdefault(verdict.rule.id, set()).add(verdict.outcome)
    return found


def _forms(exchanges: list[Exchange]) -> set[str]:
    return {v.received for v in judge(exchanges, rules={"EM-REPR-002"}) if v.received}


def test_the_flat_supported_versions_form_judges_like_the_nested_one(
    em_faithful_run: JudgedResult,
) -> None:
    original = list(em_faithful_run.exchanges)
    flat = [_flat(exchange) for exchange in original]
    assert flat != original, "the faithful run fetched no JSON GET /api/"
    assert _outcomes(flat) == _outcomes(original)
    assert not any(verdict.blocking for verdict in judge(flat))
    assert _forms(original) == {"SupportedVersions as a nested wrapper"}
    assert _forms(flat) == {"SupportedVersions as a flat array"}
