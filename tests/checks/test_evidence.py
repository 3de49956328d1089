"""Evidence grades verdicts: every rule says what it rests on, a failure that rests only on
inferred or observed constraints fails at SHOULD, a documented one at the rule's level."""

from __future__ import annotations

import json

import pytest

from conformance.checks import REGISTRY, Level, Outcome, Rule, judge
from conformance.checks.grounds import GROUNDS
from conformance.evidence import Evidence, Kind

from ._exchanges import JSON, exchange, response, task_json, twins_of
from .test_representation import FLAT, NEITHER, NESTED, entry_json


def _verdicts(check: str, exchanges: list, level: str = "should") -> list:
    """The verdicts of one check alone: no other rule's failure blocks it here."""
    return [v for v in judge(exchanges, level=level, blocking=False) if v.check == check]


def test_every_rule_has_evidence() -> None:
    missing = [rule.id for rule in REGISTRY.rules() if rule.evidence is None]
    assert missing == []
    assert set(GROUNDS) == {rule.id for rule in REGISTRY.rules()}


def test_no_must_rule_rests_on_inference_or_observation() -> None:
    weak = [
        rule.id
        for rule in REGISTRY.rules()
        if rule.level is Level.MUST and rule.evidence and not rule.evidence.documented
    ]
    assert weak == []


def test_a_must_rule_on_inferred_evidence_is_refused() -> None:
    analogy = Evidence(Kind.INFERRED, "https://example.invalid/", "like something else")
    with pytest.raises(ValueError, match="SHOULD at most"):
        Rule("EM-TEST-001", Level.MUST, "test", "https://example.invalid/", "X.", analogy)
    assert Rule("EM-TEST-001", Level.SHOULD, "test", "x.html", "X.", analogy).evidence


def test_the_wrong_method_rule_is_should_and_says_why() -> None:
    rule = REGISTRY.rule("EM-ERR-003")
    assert rule.level is Level.SHOULD
    assert rule.evidence is not None and rule.evidence.kind is Kind.INFERRED
    assert "501" in rule.evidence.note


@pytest.mark.parametrize("body", [FLAT, NESTED], ids=["flat", "nested"])
def test_both_supported_versions_forms_pass_every_check(body: bytes) -> None:
    verdicts = judge([entry_json(body)], rules={"EM-LOGON-001", "EM-REPR-001", "EM-REPR-002"})
    assert {v.rule.id: v.outcome for v in verdicts} == {
        "EM-LOGON-001": Outcome.PASSED,
        "EM-REPR-001": Outcome.PASSED,
        "EM-REPR-002": Outcome.PASSED,
    }


def test_the_form_seen_is_reported() -> None:
    (flat,) = _verdicts("supported_versions_form_seen", [entry_json(FLAT)])
    (nested,) = _verdicts("supported_versions_form_seen", [entry_json(NESTED)])
    assert (flat.received, nested.received) == (
        "SupportedVersions as a flat array",
        "SupportedVersions as a nested wrapper",
    )
    assert flat.rule.level is Level.INFO


@pytest.mark.parametrize("body", [FLAT, NESTED], ids=["flat", "nested"])
def test_both_forms_carry_the_xml_twins_content(body: bytes) -> None:
    xml = (
        b'<EnterpriseManager xmlns="http://www.veeam.com/ent/v1.0"><SupportedVersions>'
        b'<SupportedVersion Name="v1_7"/></SupportedVersions></EnterpriseManager>'
    )
    (verdict,) = _verdicts("xml_and_json_agree", twins_of("/", xml, body))
    assert verdict.outcome is Outcome.PASSED, verdict.message()


@pytest.mark.parametrize("check", ["entry_point_answers", "body_matches_schema"])
def test_an_inferred_constraint_failing_yields_should_never_must(check: str) -> None:
    (verdict,) = _verdicts(check, [entry_json(NEITHER)])
    assert verdict.outcome is Outcome.FAILED
    assert verdict.rule.level is Level.MUST
    assert verdict.level is Level.SHOULD
    assert verdict.blocking
    kinds = {v.evidence.kind for v in verdict.constraints if v.evidence}
    assert kinds == {Kind.INFERRED}
    assert "inferred" in verdict.message() and "Fails at SHOULD" in verdict.message()


def test_at_level_must_an_inferred_failure_does_not_block() -> None:
    (verdict,) = _verdicts("entry_point_answers", [entry_json(NEITHER)], level="must")
    assert verdict.outcome is Outcome.FAILED
    assert verdict.level is Level.INFO
    assert not verdict.blocking


def test_a_documented_constraint_failing_still_yields_must() -> None:
    body = json.loads(task_json())
    body["State"] = "Done"  # the states are stated on get_tasks_id.html
    answer = exchange("GET", "/tasks/task-1", response(200, json.dumps(body)), accept=JSON)
    (verdict,) = _verdicts("body_matches_schema", [answer])
    assert verdict.outcome is Outcome.FAILED
    assert verdict.level is Level.MUST
    assert any(v.evidence and v.evidence.documented for v in verdict.constraints)


def test_an_observed_constraint_failing_yields_should() -> None:
    # The JSON Task's closed key set rests on one community capture.
    body = json.loads(task_json()) | {"Extra": 1}
    answer = exchange("GET", "/tasks/task-1", response(200, json.dumps(body)), accept=JSON)
    (verdict,) = _verdicts("body_matches_schema", [answer])
    assert verdict.level is Level.SHOULD
    assert {v.evidence.kind for v in verdict.constraints if v.evidence} == {Kind.OBSERVED}


def test_a_body_of_the_wrong_shape_fails_at_the_rules_level() -> None:
    answer = exchange("GET", "/tasks/task-1", response(200, b'{"Task": {}}'), accept=JSON)
    (verdict,) = _verdicts("body_matches_schema", [answer])
    assert verdict.level is Level.MUST
