"""One fault, one finding: each emulator fault profile, run once, fails exactly the rules
it breaks; what it kept from being judged is blocked by one of them, never failed.

Each fault's whole suite runs once per session (a run takes seconds; `em_fault_run`, in
tests/conftest.py) and every test of that fault judges the same result, as does
tests/cassette/test_recordings.py, which judges the same run offline.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from conformance.checks import Level, Outcome
from conformance.cli import main
from conformance.emulator import FAULTS
from conformance.report import build_report, junit_xml, render_summary
from conformance.suite import JudgedResult

# fault -> the exact set of rules it fails, as each fault constant declares it
# (conformance/emulator/fault_catalogue.py, `breaks`).
FAULT_RULES: dict[str, frozenset[str]] = {name: fault.breaks for name, fault in FAULTS.items()}

# Faults whose run the emulator does not yet play cleanly (an emulator bug, not the
# suite's): the exact-set test is expected to fail until it is fixed, then flags itself.
# Faults whose run the emulator itself gets wrong (none known): each is an xfail until fixed.
EMULATOR_BUGS: dict[str, str] = {}

RunOf = Callable[[str], JudgedResult]


def _rules(result: JudgedResult, outcome: Outcome) -> set[str]:
    """The rules with `outcome`; INFO notes (which never fail a target) are not failures."""
    return {
        summary.rule.id
        for summary in result.rules
        if summary.outcome is outcome
        and (outcome is not Outcome.FAILED or summary.level is not Level.INFO)
    }


def _exact(fault: str) -> object:
    reason = EMULATOR_BUGS.get(fault)
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
    return pytest.param(fault, marks=marks, id=fault)


def test_every_fault_profile_names_the_rules_it_breaks() -> None:
    assert all(FAULT_RULES.values())
    assert set(EMULATOR_BUGS) <= set(FAULTS)


@pytest.mark.parametrize("fault", [_exact(fault) for fault in sorted(FAULTS)])
def test_exactly_its_own_rules_fail(fault: str, em_fault_run: RunOf) -> None:
    result = em_fault_run(fault)
    assert sorted(_rules(result, Outcome.FAILED)) == sorted(FAULT_RULES[fault])
    assert result.exit_code == 1 and not result.stopped


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_what_it_kept_from_being_judged_is_blocked_by_its_own_rules(
    fault: str, em_fault_run: RunOf
) -> None:
    result = em_fault_run(fault)
    failed = _rules(result, Outcome.FAILED)
    for summary in result.rules:
        if summary.outcome is Outcome.BLOCKED:
            assert set(summary.blocked_by) <= failed, summary.rule.id


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_every_output_shows_the_root_and_what_it_blocked(fault: str, em_fault_run: RunOf) -> None:
    result = em_fault_run(fault)
    text = render_summary(result)
    report = build_report(result)
    rows = {row["id"]: row for row in report["rules"]}
    junit = ET.fromstring(junit_xml(result))  # our own output
    assert "Traceback" not in text and "NOT CONFORMANT" in text
    for rule_id in _rules(result, Outcome.FAILED):
        assert rule_id in text and rows[rule_id]["verdict"] == "failed"
    for rule_id in _rules(result, Outcome.BLOCKED):
        root = rows[rule_id]["blocked_by"][0]
        assert rule_id in report["summary"]["roots"][root]
        assert text.index(root) < text.index(f"        {rule_id} ")  # listed under its root
        case = next(c for c in junit.iter("testcase") if c.get("name", "").startswith(rule_id))
        skipped = case.find("skipped")
        assert skipped is not None and f"blocked by {root}" in skipped.get("message", "")
    assert report["summary"]["blocked"] == len(_rules(result, Outcome.BLOCKED))


def test_a_logon_answering_200_is_a_finding_and_the_run_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "report.json"
    junit = tmp_path / "junit.xml"
    options = ["--task-timeout", "20", "--report", str(report), "--junitxml", str(junit)]
    code = main(["run", "--fault", "logon-returns-200", *options])
    out, err = capsys.readouterr()
    assert code == 1, out
    assert "Traceback" not in out + err and "STOPPED" not in out
    document = json.loads(report.read_text())
    assert document["exit_code"] == 1 and not document["stopped"]
    assert {flow["status"] for flow in document["flows"]} == {"ran"}
    assert document["summary"]["roots"]["EM-LOGON-002"]
    assert "blocked by EM-LOGON-002" in junit.read_text()
