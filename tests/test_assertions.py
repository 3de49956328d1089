"""`assert_conformant`: silent on a conformant recording, `ConformanceFailure` naming each
failing rule otherwise, `TargetError` for a run that stopped before judging everything."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pytest

from conformance import (
    ConformanceFailure,
    Error,
    JudgedResult,
    TargetError,
    assert_conformant,
)
from conformance.assertions import MAX_SHOWN
from conformance.checks import REGISTRY, Level, Outcome, Rule, Verdict
from conformance.result import JudgedSubject, SubjectKind
from conformance.spec import cassettes_dir
from conformance.suite.offline import check_cassette


def _of(verdicts: Sequence[Verdict], stopped: str = "") -> JudgedResult:
    subject = JudgedSubject(SubjectKind.EMULATOR, "https://em.test:9398/api")
    return JudgedResult(subject, verdicts=tuple(verdicts), stopped=stopped)


def _judged(cassette: str) -> JudgedResult:
    return check_cassette(cassettes_dir() / cassette)


def _failed(rule: Rule, received: str = "something else") -> Verdict:
    return Verdict(rule, "a_check", Outcome.FAILED, (0,), "the documented thing", received)


def _rules(level: Level) -> list[Rule]:
    return [rule for rule in REGISTRY.rules() if rule.level is level]


def test_a_conformant_recording_passes() -> None:
    assert_conformant(_judged("client-session-json.yaml"))


def test_a_recording_breaking_a_rule_fails_naming_the_rule_and_its_page() -> None:
    with pytest.raises(ConformanceFailure) as caught:
        assert_conformant(_judged("emulator-fault-camelcase-json.yaml"))
    message = str(caught.value)
    assert message.startswith("Not conformant: 1 rule(s) failed.")
    assert "EM-NEG-007 [MUST]" in message
    assert "  Expected: PascalCase property names" in message
    rule = next(rule for rule in REGISTRY.rules() if rule.id == "EM-NEG-007")
    assert f"  See {rule.doc}" in message
    assert isinstance(caught.value, Error) and caught.value.exit_code == 1


def test_an_info_rule_never_fails() -> None:
    assert_conformant(_of([_failed(_rules(Level.INFO)[0])]))


def test_a_should_rule_fails_as_the_command_line_does() -> None:
    rule = _rules(Level.SHOULD)[0]
    with pytest.raises(ConformanceFailure, match=f"{rule.id} \\[SHOULD\\]"):
        assert_conformant(_of([_failed(rule, "the received thing")]))


def test_the_first_blocking_failure_of_a_rule_is_shown() -> None:
    rule = _rules(Level.MUST)[0]
    passed = Verdict(rule, "a_check", Outcome.PASSED)
    with pytest.raises(ConformanceFailure, match="Received: the received thing"):
        assert_conformant(_of([passed, _failed(rule, "the received thing")]))


def test_past_the_first_rules_the_rest_are_counted() -> None:
    rules = _rules(Level.MUST)[: MAX_SHOWN + 2]
    with pytest.raises(ConformanceFailure) as caught:
        assert_conformant(_of([_failed(rule) for rule in rules]))
    message = str(caught.value)
    assert f"Not conformant: {MAX_SHOWN + 2} rule(s) failed." in message
    assert rules[MAX_SHOWN - 1].id in message and rules[MAX_SHOWN].id not in message
    assert message.endswith("... and 2 more rule(s) (see the JSON report)")


def test_a_stopped_run_is_a_target_error_not_a_verdict() -> None:
    with pytest.raises(TargetError, match="judge every rule: the target did not answer"):
        assert_conformant(_of([], stopped="the target did not answer"))


def test_it_fails_exactly_when_the_result_is_not_conformant() -> None:
    # What the em_suite_run fixture gives a user's own tests: one criterion, the result's.
    result = _of([])
    assert result.conformant
    assert_conformant(result)
    failed = replace(result, verdicts=(_failed(_rules(Level.MUST)[0]),))
    assert not failed.conformant  # the same criterion as `run`'s exit code
    with pytest.raises(ConformanceFailure):
        assert_conformant(failed)
    unexplained = replace(result, problems=("the replay had no answer for GET /jobs",))
    with pytest.raises(ConformanceFailure, match="Outside the rules: the replay had no answer"):
        assert_conformant(unexplained)
