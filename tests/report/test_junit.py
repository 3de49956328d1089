"""JUnit XML as CI systems read it: parsed by a real JUnit parser (junitparser), one case
per rule with its time, classname by area, the rule's page and evidence as properties,
skips with their reason, and an error case for a run that stopped early."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from junitparser import Error, JUnitXml, Properties, Skipped, TestCase

from conformance.checks import REGISTRY, Level, judge
from conformance.exchange import Exchange, RecordedRequest, RecordedResponse
from conformance.report import write_junit
from conformance.report.junit import rule_time
from conformance.result import JudgedResult, JudgedSubject, SubjectKind

JOB = "5b89dae5-6f08-45ec-b068-08f0bd08394a"


def _parse(result: JudgedResult, tmp_path: Path) -> dict[str, TestCase]:
    path = tmp_path / "junit.xml"
    write_junit(result, path)
    cases: dict[str, TestCase] = {}
    for suite in JUnitXml.fromfile(str(path)):
        for case in suite:
            cases[case.name.split(" ", 1)[0]] = case
    return cases


def _properties(case: TestCase) -> dict[str, str]:
    found = case.child(Properties)
    return {prop.name: prop.value for prop in found} if found is not None else {}


def test_a_full_run_has_one_timed_case_per_rule(
    em_faithful_run: JudgedResult, tmp_path: Path
) -> None:
    cases = _parse(em_faithful_run, tmp_path)
    assert set(cases) == {rule.id for rule in REGISTRY.rules()}
    rules = {summary.rule.id: summary for summary in em_faithful_run.rules}
    for rule_id, case in cases.items():
        summary = rules[rule_id]
        assert case.classname == f"em-conformance.{summary.rule.area}"
        expected = rule_time(summary, em_faithful_run.exchanges)
        assert case.time == pytest.approx(expected, abs=0.0006)
        if any(verdict.exchanges for verdict in summary.verdicts):
            assert case.time > 0, rule_id  # it cites exchanges, and every answer takes time


def test_each_case_carries_its_page_and_evidence(
    em_faithful_run: JudgedResult, tmp_path: Path
) -> None:
    cases = _parse(em_faithful_run, tmp_path)
    for rule in REGISTRY.rules():
        shown = _properties(cases[rule.id])
        assert (shown["rule"], shown["level"], shown["doc"]) == (
            rule.id,
            rule.level.value,
            rule.doc,
        )
        if rule.evidence is not None:
            assert shown["evidence"] == rule.evidence.kind.value
            assert shown["evidence.source"] == rule.evidence.source


def _delete_answered(status: int, elapsed: float) -> JudgedResult:
    request = RecordedRequest.build(
        "DELETE", f"https://em:9398/api/jobs/{JOB}", {"X-RestSvcSessionId": "t"}
    )
    answer = RecordedResponse.build(status, elapsed=elapsed)
    exchanges = [Exchange(request, answer, "delete-job", ("format:json",))]
    return JudgedResult(
        JudgedSubject(SubjectKind.TARGET, "https://em:9398/api"),
        Level.SHOULD,
        tuple(exchanges),
        tuple(judge(exchanges)),
    )


def test_a_case_time_is_the_time_of_the_exchanges_it_cites(tmp_path: Path) -> None:
    cases = _parse(_delete_answered(200, elapsed=0.25), tmp_path)
    assert cases["EM-DEL-001"].is_failure and cases["EM-DEL-001"].time == pytest.approx(0.25)


def test_skipped_rules_say_why_and_a_stopped_run_is_an_error(tmp_path: Path) -> None:
    result = replace(
        _delete_answered(200, elapsed=0.1),
        stopped="the target stopped answering",
        stop_reason="unreachable",
    )
    cases = _parse(result, tmp_path)
    skipped = [case for case in cases.values() if case.is_skipped]
    assert skipped
    for case in skipped:
        (reason,) = [r for r in case.result if isinstance(r, Skipped)]
        assert reason.message and case.time == 0
    (error,) = cases["run"].result
    assert isinstance(error, Error) and error.message == "the target stopped answering"
