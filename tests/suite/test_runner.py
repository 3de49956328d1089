"""The full run against the faithful embedded emulator: every MUST and SHOULD rule
passes, in XML and in JSON, and every flow runs to its end."""

from __future__ import annotations

from dataclasses import replace

from conformance.checks import REGISTRY, Level, Outcome
from conformance.suite import JudgedResult


def test_the_faithful_emulator_is_conformant(em_faithful_run: JudgedResult) -> None:
    assert em_faithful_run.exit_code == 0 and not em_faithful_run.stopped
    assert [r for r in em_faithful_run.flows if r.status != "ran"] == []


def test_every_rule_is_judged_and_passes(em_faithful_run: JudgedResult) -> None:
    outcomes = {summary.rule.id: summary.outcome for summary in em_faithful_run.rules}
    assert set(outcomes) == {rule.id for rule in REGISTRY.rules()}
    assert {rule: o for rule, o in outcomes.items() if o is not Outcome.PASSED} == {}


def test_flow_rules_pass_in_both_formats(em_faithful_run: JudgedResult) -> None:
    areas = ("delete-job", "task", "cancellation", "isolation", "robustness", "logon")
    missing = {}
    for summary in em_faithful_run.rules:
        if summary.rule.area in areas and summary.rule.level is not Level.INFO:
            formats = {v.format for v in summary.verdicts if v.outcome is Outcome.PASSED}
            if not {"xml", "json"} <= formats:
                missing[summary.rule.id] = sorted(formats)
    assert missing == {}


def test_each_flow_makes_requests_in_each_format(em_faithful_run: JudgedResult) -> None:
    seen = {(r.flow, r.format) for r in em_faithful_run.flows if r.requests > 0}
    per_format = {
        "auth",
        "robustness",
        "delete-and-poll",
        "delete-and-cancel",
        "isolation",
        "delete-running-job",
    }
    assert {(flow, fmt) for flow in per_format for fmt in ("xml", "json")} <= seen
    assert ("negotiation", "both") in seen


def test_tasks_were_polled_with_back_off(em_faithful_run: JudgedResult) -> None:
    polls = [e for e in em_faithful_run.exchanges if e.label == "poll-task"]
    assert polls and all(e.response.status == 200 for e in polls)
    assert len(polls) < 40  # back-off, not a busy loop


def test_the_poll_fraction_reaches_every_poll() -> None:
    # --poll-fraction trades polls for a sooner notice: a quarter of the age polls more.
    from conformance.checks.steps import Label
    from conformance.suite import Settings, run_suite
    from tests._runs import EXAMPLES, SEED

    def polls(fraction: float) -> int:
        settings = Settings(formats=("xml",), max_examples=EXAMPLES, seed=SEED)
        result = run_suite(replace(settings, poll_fraction=fraction))
        assert result.conformant
        return sum(e.label == Label.POLL_TASK for e in result.exchanges)

    assert polls(0.25) > polls(1.0) > 0
