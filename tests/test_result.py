"""The judged result: one value for every command, and the exit code defined on it once.

Every reporter takes the value alone, whatever was judged: a live target, a cassette or a
client program's traffic (no settings, no stand-in target)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from conformance.checks import REGISTRY, Level, Outcome, Verdict
from conformance.report import build_report, junit_xml, render_summary
from conformance.report.html import render_html
from conformance.report.markdown import render_markdown
from conformance.result import JudgedResult, JudgedSubject, StopReason, SubjectKind

TARGET = JudgedSubject(SubjectKind.TARGET, "https://em:9398/api")
CASSETTE = JudgedSubject(SubjectKind.CASSETTE, "saved.yaml", "recorded with vcrpy")
CLIENT = JudgedSubject(SubjectKind.CLIENT, "python client.py", "against the emulator")


def verdict(rule_id: str, outcome: Outcome) -> Verdict:
    return Verdict(REGISTRY.rule(rule_id), "c", outcome, (), "202 Accepted", "200 OK")


PASSED = JudgedResult(TARGET, verdicts=(verdict("EM-DEL-001", Outcome.PASSED),))
FAILED = JudgedResult(TARGET, verdicts=(verdict("EM-DEL-001", Outcome.FAILED),))


@pytest.mark.parametrize(
    ("result", "conformant", "exit_code"),
    [
        (PASSED, True, 0),
        (FAILED, False, 1),
        (replace(PASSED, problems=("the client exited 2",)), False, 1),
        (replace(PASSED, stopped="gone", stop_reason=StopReason.UNREACHABLE), False, 3),
        (replace(PASSED, stopped="gone", stop_reason=StopReason.LOGON_REFUSED), False, 3),
        (replace(FAILED, stopped="^C", stop_reason=StopReason.INTERRUPTED), False, 130),
    ],
    ids=["passed", "rule-failed", "problem", "unreachable", "logon-refused", "interrupted"],
)
def test_conformance_and_exit_code(result: JudgedResult, conformant: bool, exit_code: int) -> None:
    assert (result.conformant, result.exit_code) == (conformant, exit_code)


def test_a_failure_below_the_judged_level_does_not_fail() -> None:
    note = replace(verdict("EM-DEL-001", Outcome.FAILED), cap=Level.INFO)
    assert JudgedResult(TARGET, verdicts=(note,)).exit_code == 0


def test_the_summary_of_a_cassette_names_the_file_not_a_target() -> None:
    text = render_summary(replace(FAILED, subject=CASSETTE))
    first, second = text.split("\n")[:2]
    assert first.endswith("saved.yaml (cassette recorded with vcrpy)")
    assert second.startswith("level should; 0 exchanges judged offline;")
    assert "formats" not in second and "flow runs" not in second


def test_the_summary_prints_the_facts_of_the_run_from_the_value() -> None:
    run = replace(PASSED, formats=("xml", "json"), seed=7, faults=("busy-503",), insecure=True)
    first, second = render_summary(run).split("\n")[:2]
    assert "(remote target, faults busy-503, TLS NOT VERIFIED (--insecure))" in first
    assert second.startswith("level should, formats xml+json;") and "seed 7" in second


def test_problems_outside_the_rules_are_printed_and_fail_the_verdict() -> None:
    text = render_summary(replace(PASSED, subject=CLIENT, problems=("the client exited 2",)))
    assert "Failures outside the rules:\n  the client exited 2" in text
    assert text.rstrip().endswith("NOT CONFORMANT: 1 failure(s) outside the rules (exit 1)")


@pytest.mark.parametrize("subject", [TARGET, CASSETTE, CLIENT], ids=lambda s: s.kind.name)
def test_every_reporter_takes_any_subject(subject: JudgedSubject) -> None:
    result = replace(FAILED, subject=subject)
    report = json.loads(json.dumps(build_report(result)))
    assert report["subject"] == {"kind": subject.kind.name.lower(), "name": subject.name}
    assert report["conformant"] is False and report["exit_code"] == 1
    assert ET.fromstring(junit_xml(result)).findall(".//failure")
    assert subject.name in render_markdown(result) and subject.name in render_html(result)
