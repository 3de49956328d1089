"""The catalogue as a whole: every check is exercised both ways, rules are well formed,
and the registry, scopes and `judge` behave as documented."""

from __future__ import annotations

from collections import defaultdict

import pytest

from conformance.checks import (
    AREAS,
    REGISTRY,
    Each,
    Level,
    Outcome,
    Registry,
    Rule,
    Subject,
    api_path,
    check,
    fail,
    judge,
    path_matches,
    summarize,
)

from . import (
    test_authorization,
    test_cancellation,
    test_delete_job,
    test_isolation,
    test_logon,
    test_negotiation,
    test_properties,
    test_representation,
    test_robustness,
    test_safety,
    test_tasks,
    test_tolerance,
)
from ._exchanges import exchange, response

TABLES = (
    test_authorization,
    test_cancellation,
    test_delete_job,
    test_isolation,
    test_logon,
    test_negotiation,
    test_properties,
    test_properties,
    test_representation,
    test_robustness,
    test_safety,
    test_tasks,
    test_tolerance,
)


def _case_outcomes() -> dict[str, set[Outcome]]:
    seen: dict[str, set[Outcome]] = defaultdict(set)
    for module in TABLES:
        for case in module.CASES:
            name, _, outcome = case.values
            seen[name].add(outcome)
    return seen


def test_every_check_has_a_passing_and_a_failing_case() -> None:
    seen = _case_outcomes()
    missing = {
        c.name: sorted(o.value for o in {Outcome.PASSED, Outcome.FAILED} - seen[c.name])
        for c in REGISTRY.checks()
    }
    assert {name: lack for name, lack in missing.items() if lack} == {}


def test_rules_are_well_formed_and_unique() -> None:
    rules = REGISTRY.rules()
    assert len({rule.id for rule in rules}) == len(rules)
    assert {rule.area for rule in rules} == set(AREAS)
    for rule in rules:
        assert rule.doc.startswith("https://"), rule.id
        assert rule.statement.endswith("."), rule.id
        assert REGISTRY.checks_for(rule.id), rule.id


def test_judge_at_must_leaves_should_rules_out() -> None:
    judged = {verdict.rule.level for verdict in judge([], level="must")}
    assert judged == {Level.MUST, Level.INFO}
    assert {v.rule.level for v in judge([], level=Level.SHOULD)} == set(Level)


def test_judge_on_nothing_skips_every_rule_with_a_reason() -> None:
    verdicts = judge([])
    assert {verdict.outcome for verdict in verdicts} == {Outcome.SKIPPED}
    assert all("no exchange" in verdict.received for verdict in verdicts)
    assert len(summarize(verdicts)) == len(REGISTRY.rules())


def test_judge_can_be_restricted_to_rules() -> None:
    verdicts = judge([], rules={"EM-DEL-001"})
    assert {verdict.rule.id for verdict in verdicts} == {"EM-DEL-001"}


def test_unknown_level_names_the_choices() -> None:
    with pytest.raises(ValueError, match="must, should, info"):
        Level.parse("may")


def test_rule_ids_are_checked() -> None:
    with pytest.raises(ValueError, match="EM-AREA-001"):
        Rule("TASK-1", Level.MUST, "task", "get_tasks_id.html", "x.")


def test_a_private_registry_takes_custom_checks() -> None:
    registry = Registry()
    rule = Rule("EM-TEST-001", Level.SHOULD, "test", "https://example.invalid/", "Nothing is 418.")

    @check(rule, Each(status=lambda status: status == 418), registry=registry)
    def not_a_teapot(subject: Subject) -> None:
        fail("anything but 418", "418")

    answers = [exchange("GET", "/tasks", response(418)), exchange("GET", "/tasks", response(200))]
    (verdict,) = judge(answers, registry=registry)
    assert (verdict.outcome, verdict.exchanges) == (Outcome.FAILED, (0,))
    assert registry.applicable(answers[0])[0].name == "not_a_teapot"
    assert registry.applicable(answers[1]) == []
    with pytest.raises(ValueError, match="already registered"):
        check(rule, Each(), registry=registry)(not_a_teapot)


def test_summaries_fold_outcomes_per_rule() -> None:
    answers = [exchange("GET", "/jobs/x", response(500)), exchange("GET", "/jobs/y", response(404))]
    by_rule = {summary.rule.id: summary for summary in summarize(judge(answers))}
    assert by_rule["EM-ERR-007"].outcome is Outcome.FAILED
    assert by_rule["EM-DEL-001"].outcome is Outcome.SKIPPED
    assert by_rule["EM-ERR-004"].outcome is Outcome.FAILED  # both bodies are empty


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("https://em:9398/api/jobs/1?format=Entity", "/jobs/1"),
        ("https://em:9398/api/", "/"),
        ("https://em:9398/api", "/"),
        ("https://em:9398/proxy/api/tasks", "/tasks"),
        ("/api/sessionMngr/?v=latest", "/sessionMngr/"),
        ("https://em:9398/apiary/x", "/apiary/x"),
    ],
)
def test_api_path(url: str, path: str) -> None:
    assert api_path(url) == path


@pytest.mark.parametrize(
    ("template", "url", "matches"),
    [
        ("/jobs/{id}", "https://em/api/jobs/abc", True),
        ("/jobs/{id}", "https://em/api/jobs/abc/", True),
        ("/jobs/{id}", "https://em/api/jobs", False),
        ("/jobs/{id}", "https://em/api/jobs/a/backupSessions", False),
        ("/logonSessions/{id}", "https://em/api/logonsessions/1", True),
        ("/sessionMngr/", "https://em/api/sessionMngr?v=latest", True),
        ("/", "https://em/api/", True),
        ("/", "https://em/api/jobs", False),
    ],
)
def test_path_matches(template: str, url: str, matches: bool) -> None:
    assert path_matches(template, url) is matches


def test_one_exchange_can_be_judged_alone() -> None:
    from conformance.checks import judge_exchange

    answer = exchange("DELETE", "/jobs/x", response(500), label="delete-job")
    failed = {v.rule.id for v in judge_exchange(answer) if v.outcome is Outcome.FAILED}
    assert {"EM-DEL-001", "EM-ERR-007", "EM-ERR-004"} <= failed
    assert all(v.rule.level is not Level.SHOULD for v in judge_exchange(answer, level="must"))
