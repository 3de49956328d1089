"""schemathesis over specs/ against the emulator, with the project's checks bridged in."""

from __future__ import annotations

import pytest

from conformance.checks.scope import api_path
from conformance.emulator.server import EmulatorServer
from conformance.properties.engine import PropertySettings, run_properties
from tests.properties.conftest import logon


def settings_for(server: EmulatorServer, **changes: object) -> PropertySettings:
    values: dict[str, object] = {"max_examples": 5, "unsafe_methods": True}
    values.update(changes)
    return PropertySettings(server.base_url, logon(server.base_url), **values)  # type: ignore[arg-type]


def test_faithful_emulator_has_no_findings(em_server: EmulatorServer) -> None:
    run = run_properties(settings_for(em_server))
    assert run.findings == []
    accepts = {e.request.header("Accept") for e in run.exchanges}
    assert "application/json" in accepts
    assert any(a != "application/json" for a in accepts)
    assert {e.request.method for e in run.exchanges} >= {"GET", "DELETE", "POST"}


def test_read_only_run_sends_only_gets(em_server: EmulatorServer) -> None:
    run = run_properties(settings_for(em_server, unsafe_methods=False))
    assert run.exchanges
    assert {e.request.method for e in run.exchanges} == {"GET"}


def test_no_generated_request_gets_a_5xx(em_server: EmulatorServer) -> None:
    run = run_properties(settings_for(em_server, max_examples=15))
    server_errors = [
        (e.request.method, api_path(e.request.url))
        for e in run.exchanges
        if e.response.status >= 500
    ]
    assert server_errors == []


@pytest.mark.parametrize(
    ("em_server", "rule"),
    [(("camelcase-json",), "EM-NEG-007"), (("wrong-namespace",), "EM-REPR")],
    indirect=["em_server"],
    ids=["camelcase-json", "wrong-namespace"],
)
def test_faults_are_reported_with_rule_ids(em_server: EmulatorServer, rule: str) -> None:
    run = run_properties(settings_for(em_server, max_examples=3, unsafe_methods=False))
    assert any(rule in finding.message for finding in run.findings), [
        f.message[:200] for f in run.findings
    ]


@pytest.mark.parametrize(
    ("em_server", "failing_format"),
    [(("json-bom",), "json"), (("wrong-namespace",), "xml")],
    indirect=["em_server"],
    ids=["json-only-fault", "xml-only-fault"],
)
def test_each_format_is_judged_on_its_own(em_server: EmulatorServer, failing_format: str) -> None:
    run = run_properties(settings_for(em_server, max_examples=3, unsafe_methods=False))
    assert {finding.format for finding in run.findings} == {failing_format}


def test_every_drawn_case_is_sent_in_each_format(em_server: EmulatorServer) -> None:
    run = run_properties(settings_for(em_server, max_examples=3, unsafe_methods=False))

    def sent(json: bool) -> list[tuple[str, str, bytes]]:
        return [
            (e.request.method, e.request.url, e.request.body)
            for e in run.exchanges
            if (e.request.header("Accept") == "application/json") is json
        ]

    assert sent(json=True)
    assert sent(json=True) == sent(json=False)
