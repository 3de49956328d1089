"""The suite as pytest items: one per rule, judged from one run, in JUnit by rule ID."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conformance.checks import REGISTRY

from ._inner import EXAMPLES, output, run

pytest_plugins = ["pytester"]

RULES = REGISTRY.rules()


def _junit_cases(path: Path) -> dict[str, ET.Element]:
    # Written by the inner pytest run a moment ago: trusted input.
    root = ET.parse(path).getroot()
    return {case.get("name", ""): case for case in root.iter("testcase")}


def test_the_suite_passes_against_the_embedded_emulator(pytester: pytest.Pytester) -> None:
    result = run(
        pytester, "--em-run", "--em-max-examples", EXAMPLES,
        "--junitxml=junit.xml", "--em-report=report.json",
    )  # fmt: skip
    result.assert_outcomes(passed=len(RULES))
    assert result.ret == pytest.ExitCode.OK
    cases = _junit_cases(pytester.path / "junit.xml")
    assert set(cases) == {rule.id for rule in RULES}
    for rule in RULES:
        assert cases[rule.id].get("classname") == f"em-conformance.{rule.area}"
    assert json.loads((pytester.path / "report.json").read_text())["conformant"] is True
    result.stdout.fnmatch_lines(["*- em-conformance -*", "*(embedded emulator); level should*"])


def test_a_fault_fails_its_rule_with_expected_and_received(pytester: pytest.Pytester) -> None:
    result = run(
        pytester, "--em-run", "--em-fault", "camelcase-json", "--em-format", "json",
        "--em-max-examples", EXAMPLES, "-k", "EM-NEG-007 or EM-NEG-006",
    )  # fmt: skip
    result.assert_outcomes(failed=1, passed=1, deselected=len(RULES) - 2)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "*_ EM-NEG-007 [[]MUST[]] _*",
            "EM-NEG-007 [[]MUST[]] Every JSON property name is PascalCase*",
            "  Expected: PascalCase property names*",
            "  Received: $.*",
            "  At: json, exchange *",
            "See https://helpcenter.veeam.com/docs/vbr/em_rest/*",
            "FAILED em-conformance::negotiation::EM-NEG-007 - *",
        ]
    )
    assert "Traceback" not in output(result)


# A stand-in for the session's run: the items judge whatever `em_suite_run` gives them.
CANNED_RUN = """
import pytest
from conformance.checks import REGISTRY, Level, Outcome, Verdict
from conformance.result import JudgedResult, JudgedSubject, SubjectKind

def verdict(rule_id, outcome, expected="", received=""):
    return Verdict(REGISTRY.rule(rule_id), "canned", outcome, (), expected, received, "xml")

@pytest.fixture(scope="session")
def em_suite_run():
    verdicts = [
        verdict("EM-DEL-001", Outcome.FAILED, "202 Accepted", "200 OK"),
        verdict("EM-DEL-003", Outcome.SKIPPED, received="no DeleteJob task to read"),
        verdict("EM-LOGON-002", Outcome.PASSED),
        verdict("EM-TASK-013", Outcome.FAILED, "Message 'Ok'", "Message 'Done'"),
    ]
    subject = JudgedSubject(SubjectKind.TARGET, "http://em.invalid/api")
    return JudgedResult(subject, Level.{level}, verdicts=tuple(verdicts))
"""


def test_items_judge_whatever_em_suite_run_holds(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CANNED_RUN.format(level="SHOULD"))
    ids = "EM-DEL-001 or EM-DEL-003 or EM-LOGON-002 or EM-TASK-013 or EM-NEG-001"
    result = run(pytester, "--em-run", "-k", ids, "-rs", "--junitxml=junit.xml")
    # An INFO rule (EM-TASK-013) never fails; a rule no verdict mentions is skipped.
    result.assert_outcomes(failed=1, passed=2, skipped=2, deselected=len(RULES) - 5)
    result.stdout.fnmatch_lines(
        [
            "EM-DEL-001 [[]MUST[]] DELETE /jobs/{ID} of a deletable job answers 202 Accepted.",
            "  Expected: 202 Accepted",
            "  Received: 200 OK",
            "  At: xml",
            "See https://helpcenter.veeam.com/docs/vbr/em_rest/delete_jobs_id.html",
        ]
    )
    result.stdout.fnmatch_lines(["SKIPPED * EM-DEL-003: no DeleteJob task to read"])
    result.stdout.fnmatch_lines(["SKIPPED * EM-NEG-001: no check judged it"])
    info = _junit_cases(pytester.path / "junit.xml")["EM-TASK-013"]
    notes = [p.get("value", "") for p in info.iter("property") if p.get("name") == "note"]
    rule = REGISTRY.rule("EM-TASK-013")
    evidence = f"Evidence: {rule.evidence}."
    assert notes == [f"Expected Message 'Ok'; received Message 'Done'. {evidence} See {rule.doc}"]


def test_should_rules_are_skipped_at_level_must(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CANNED_RUN.format(level="MUST"))
    should = next(rule for rule in RULES if rule.level.value == "SHOULD")
    result = run(pytester, "--em-run", "-k", should.id, "-rs")
    result.assert_outcomes(skipped=1, deselected=len(RULES) - 1)
    result.stdout.fnmatch_lines(["*SHOULD rule: not judged at --em-level must"])


def test_m_selects_the_suite_or_one_area(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CANNED_RUN.format(level="SHOULD"))
    pytester.makepyfile(test_own="def test_own():\n    pass\n")
    area = [rule for rule in RULES if rule.area == "delete-job"]
    result = run(pytester, "--em-run", "-m", "em_area(name='delete-job')")
    # EM-DEL-001 fails in the canned run; the other delete-job rules were not judged.
    result.assert_outcomes(failed=1, skipped=len(area) - 1, deselected=len(RULES) - len(area) + 1)
    run(pytester, "--em-run", "-m", "not em_area").assert_outcomes(passed=1, deselected=len(RULES))
