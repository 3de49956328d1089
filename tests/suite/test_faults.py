"""Every emulator fault profile makes `em-conformance run` exit 1 and name a failing rule
that matches the fault; the mapping below is the catalogue's answer to each fault."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conformance.cli import main
from conformance.emulator import FAULTS

# fault -> rules that describe it; at least one of them must fail.
FAULT_RULES = {
    "delete-returns-200": {"EM-DEL-001"},
    "json-ignored": {"EM-NEG-002", "EM-NEG-003"},
    "xml-errors": {"EM-AUTHZ-004", "EM-ERR-005"},
    "wrong-namespace": {"EM-REPR-001", "EM-LOGON-005", "EM-ERR-004"},
    "content-type-mismatch": {"EM-NEG-004"},
    "camelcase-json": {"EM-NEG-007"},
    "json-bom": {"EM-NEG-006"},
    "wrapped-json-root": {"EM-REPR-001", "EM-DEL-002"},
    "success-as-string-in-json": {"EM-TASK-001", "EM-TASK-004"},
    "no-content-length": {"EM-NEG-005"},
    "wrong-content-length": {"EM-NEG-005"},
    "href-wrong-host": {"EM-DEL-005"},
    "missing-task-href": {"EM-DEL-004"},
    "task-never-finishes": {"EM-TASK-006"},
    "state-goes-backwards": {"EM-TASK-005"},
    "result-while-running": {"EM-TASK-003"},
    "job-survives-delete": {"EM-TASK-008", "EM-TASK-009"},
    "running-job-deletable": {"EM-TASK-014"},
    "half-state-on-failed-delete": {"EM-TASK-011"},
    "nas-job-deletable": {"EM-SAFE-002"},
    "unknown-job-202": {"EM-ERR-001"},
    "500-on-unknown-job": {"EM-ERR-001", "EM-ERR-007"},
    "delete-link-on-job": {"EM-SAFE-001"},
    "cancel-returns-200-with-body": {"EM-CANCEL-001"},
    "task-survives-cancel": {"EM-CANCEL-002", "EM-CANCEL-003"},
    "cross-session-task-leak": {"EM-ISO-001", "EM-ISO-003"},
    "auth-not-enforced": {"EM-AUTHZ-001", "EM-AUTHZ-002", "EM-AUTHZ-003"},
    "logout-token-still-valid": {"EM-LOGON-009"},
    "no-idle-timeout": {"EM-LOGON-013"},
    "header-wins-over-cookie": {"EM-LOGON-012"},
    "no-session-cookie": {"EM-LOGON-004"},
    "no-www-authenticate": {"EM-LOGON-007"},
    "unsupported-version-accepted": {"EM-LOGON-010"},
    "wrong-method-404": {"EM-ERR-003"},
}


def test_the_mapping_covers_every_fault_profile() -> None:
    assert set(FAULT_RULES) == set(FAULTS)


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_fault_is_caught(fault: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "report.json"
    code = main(["run", "--fault", fault, "--task-timeout", "20", "--report", str(report)])
    out, err = capsys.readouterr()
    failing = {
        rule["id"]
        for rule in json.loads(report.read_text())["rules"]
        if rule["verdict"] == "failed"
    }
    assert code == 1, out
    assert failing & FAULT_RULES.get(fault, set()), f"{fault}: failing rules {sorted(failing)}"
    assert "Traceback" not in out + err
    assert any(rule_id in out for rule_id in failing & FAULT_RULES[fault])
