"""Blocked verdicts: a failure on an exchange that broke a root rule, a missing step of
a run that failed another rule, and a status filter that hid the exchange are blocked
by that rule; everything else keeps its outcome."""

from __future__ import annotations

import pytest

from conformance.checks import REGISTRY, Outcome, RuleVerdict, Verdict
from conformance.checks.blocking import ROOTS, attribute, blocker_of_unmatched
from conformance.checks.scope import Each
from conformance.checks.verdict import MISSING_STEP
from conformance.exchange import Exchange, RecordedRequest, RecordedResponse

FAILED, SKIPPED, PASSED, BLOCKED = (
    Outcome.FAILED,
    Outcome.SKIPPED,
    Outcome.PASSED,
    Outcome.BLOCKED,
)


def _verdict(rule_id: str, outcome: Outcome, *at: int, received: str = "") -> Verdict:
    return Verdict(REGISTRY.rule(rule_id), "a_check", outcome, at, "x", received)


def _outcomes(verdicts: list[Verdict]) -> list[tuple[str, str, str]]:
    return [(v.rule.id, v.outcome.value, v.blocked_by) for v in verdicts]


def test_a_failure_on_an_exchange_that_broke_a_root_is_blocked_by_it() -> None:
    verdicts = [_verdict("EM-NEG-006", FAILED, 3), _verdict("EM-REPR-001", FAILED, 3)]
    assert _outcomes(attribute(verdicts)) == [
        ("EM-NEG-006", "failed", ""),
        ("EM-REPR-001", "blocked", "EM-NEG-006"),
    ]


def test_a_failure_elsewhere_stays_failed() -> None:
    verdicts = [_verdict("EM-NEG-006", FAILED, 3), _verdict("EM-REPR-001", FAILED, 4)]
    assert [v.outcome for v in attribute(verdicts)] == [FAILED, FAILED]


def test_only_a_root_ranked_above_blocks_and_never_the_rule_itself() -> None:
    verdicts = [
        _verdict("EM-NEG-006", FAILED, 1),
        _verdict("EM-NEG-004", FAILED, 1),
        _verdict("EM-NEG-006", FAILED, 2),
    ]
    assert _outcomes(attribute(verdicts)) == [
        ("EM-NEG-006", "blocked", "EM-NEG-004"),
        ("EM-NEG-004", "failed", ""),
        ("EM-NEG-006", "failed", ""),
    ]
    assert ROOTS.index("EM-NEG-004") < ROOTS.index("EM-NEG-006")


def test_a_non_root_failure_does_not_block_another_failure() -> None:
    verdicts = [
        _verdict("EM-DEL-001", FAILED, 5, received="DELETE /jobs/1 -> 200"),
        _verdict("EM-DEL-003", FAILED, 5, received="Operation StartJob"),
    ]
    assert [v.outcome for v in attribute(verdicts)] == [FAILED, FAILED]


def test_a_failure_repeating_an_earlier_rules_evidence_is_blocked_by_it() -> None:
    same = "DELETE /tasks/task-6 -> 200"
    verdicts = [
        _verdict("EM-CANCEL-001", FAILED, 9, received=same),
        _verdict("EM-CANCEL-002", FAILED, 9, received=same),
        _verdict("EM-CANCEL-001", FAILED, 12, received=same),
        _verdict("EM-CANCEL-003", FAILED, 10, received=same),
    ]
    assert _outcomes(attribute(verdicts)) == [
        ("EM-CANCEL-001", "failed", ""),
        ("EM-CANCEL-002", "blocked", "EM-CANCEL-001"),
        ("EM-CANCEL-001", "failed", ""),
        ("EM-CANCEL-003", "failed", ""),
    ]


def test_a_server_error_blocks_the_other_failures_on_its_exchange() -> None:
    verdicts = [_verdict("EM-ERR-001", FAILED, 4, received="a"), _verdict("EM-ERR-007", FAILED, 4)]
    assert _outcomes(attribute(verdicts))[0] == ("EM-ERR-001", "blocked", "EM-ERR-007")


def test_an_info_rule_blocks_nothing() -> None:
    verdicts = [
        _verdict("EM-TASK-013", FAILED, 1, 2),
        _verdict("EM-TASK-008", SKIPPED, 1, 2, received=f"{MISSING_STEP}get-job-after step"),
    ]
    assert [v.outcome for v in attribute(verdicts)] == [FAILED, SKIPPED]


def test_a_missing_step_of_a_run_that_failed_a_rule_is_blocked_by_it() -> None:
    missing = f"{MISSING_STEP}poll-task step"
    verdicts = [
        _verdict("EM-DEL-001", FAILED, 7),
        _verdict("EM-TASK-006", SKIPPED, 6, 7, received=missing),
        _verdict("EM-TASK-007", SKIPPED, 8, 9, received=missing),
    ]
    assert _outcomes(attribute(verdicts))[1:] == [
        ("EM-TASK-006", "blocked", "EM-DEL-001"),
        ("EM-TASK-007", "skipped", ""),
    ]


def test_a_missing_step_is_blocked_by_the_last_failure_before_the_run_stopped() -> None:
    missing = f"{MISSING_STEP}cancel-task step"
    verdicts = [
        _verdict("EM-LOGON-005", FAILED, 1, received="a"),
        _verdict("EM-REPR-001", FAILED, 3, received="b"),
        _verdict("EM-CANCEL-002", SKIPPED, 1, 2, 3, 4, received=missing),
    ]
    assert attribute(verdicts)[2].blocked_by == "EM-REPR-001"


def test_a_skip_that_is_not_a_missing_step_stays_skipped() -> None:
    verdicts = [
        _verdict("EM-DEL-001", FAILED, 7),
        _verdict("EM-TASK-011", SKIPPED, 6, 7, received="the deletion did not finish"),
    ]
    assert attribute(verdicts)[1].outcome is SKIPPED


def test_a_skip_is_blocked_by_the_root_of_a_blocked_failure() -> None:
    verdicts = [
        _verdict("EM-NEG-006", FAILED, 2),
        _verdict("EM-DEL-002", FAILED, 2),
        _verdict("EM-DEL-004", SKIPPED, 2, received=f"{MISSING_STEP}delete-job step"),
    ]
    assert attribute(verdicts)[2].blocked_by == "EM-NEG-006"


def _exchange(status: int) -> Exchange:
    request = RecordedRequest.build("POST", "https://em:9398/api/sessionMngr/?v=latest", [])
    return Exchange(request, RecordedResponse.build(status, []))


@pytest.mark.parametrize(
    ("status", "failed_there", "expected"),
    [
        pytest.param(200, ["EM-LOGON-002"], "EM-LOGON-002", id="hidden-by-the-status"),
        pytest.param(200, [], "", id="nothing-failed-there"),
        pytest.param(201, ["EM-LOGON-002"], "EM-LOGON-002", id="any-status"),
    ],
)
def test_an_unmatched_check_is_blocked_by_what_its_status_filter_hid(
    status: int, failed_there: list[str], expected: str
) -> None:
    scope = Each(method="POST", path="/sessionMngr/", status=lambda s: s == 201)
    assert blocker_of_unmatched(scope, [_exchange(status)], {0: failed_there}) == expected


def test_an_unmatched_check_without_a_status_filter_is_not_blocked() -> None:
    scope = Each(method="POST", path="/sessionMngr/")
    assert blocker_of_unmatched(scope, [_exchange(200)], {0: ["EM-LOGON-002"]}) == ""


def test_a_rule_partly_blocked_is_blocked_and_names_its_roots() -> None:
    rule = REGISTRY.rule("EM-REPR-001")
    verdicts = (
        _verdict("EM-REPR-001", PASSED, 1),
        Verdict(rule, "c", BLOCKED, (2,), "x", "y", blocked_by="EM-NEG-006"),
    )
    summary = RuleVerdict(rule, verdicts)
    assert summary.outcome is BLOCKED
    assert summary.blocked_by == ("EM-NEG-006",)
    assert not summary.blocking
    assert summary.verdicts[1].message().startswith("Blocked by EM-NEG-006: y")


def test_a_failure_outranks_a_block() -> None:
    rule = REGISTRY.rule("EM-REPR-001")
    verdicts = (
        Verdict(rule, "c", BLOCKED, (2,), blocked_by="EM-NEG-006"),
        _verdict("EM-REPR-001", FAILED, 1),
    )
    assert RuleVerdict(rule, verdicts).outcome is FAILED
