"""Flow building blocks: clone specs, the disposable-job supply, tagging, the plan."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, replace

import pytest

from conformance.checks import Level
from conformance.client import EmClient, Logon
from conformance.flows import FLOWS, FlowContext, FlowRun, FlowSkipped, JobSupply
from conformance.flows.disposable import clone_spec
from conformance.flows.plan import RunPlan
from conformance.representations import validate_xml
from conformance.suite.plan import resolve_plan
from conformance.suite.settings import Settings
from conformance.suite.target import Target


@pytest.mark.parametrize("job_type", ["Backup", "Replica"])
def test_clone_specs_are_valid_job_clone_specs(job_type: str) -> None:
    body = clone_spec(job_type, "em-conformance 1a2b3c4d", "urn:veeam:Repository:abc")
    result = validate_xml(body, "JobCloneSpec")
    assert result.valid, result.violations


def test_only_backup_and_replica_jobs_are_cloned() -> None:
    with pytest.raises(FlowSkipped, match="give a Backup or Replica job"):
        clone_spec("BackupCopy", "x")


def plan_for(settings: Settings | None = None) -> RunPlan:
    target = Target("http://em.invalid/api", True, "u", "p")
    return resolve_plan(settings or Settings(seed=7), target)


def run_for(supply: JobSupply | None = None) -> FlowRun:
    context = FlowContext(EmClient("http://em.invalid/api"), plan_for(), supply=supply)
    return FlowRun(context, "delete-and-poll", "json", "delete-and-poll-json")


def test_the_context_takes_the_plan_whole_and_draws_from_its_seed() -> None:
    plan = plan_for(Settings(seed=7, disposable_jobs=("a",), destructive=True))
    first, second = (FlowContext(EmClient(plan.base_url), plan) for _ in range(2))
    assert first.plan is plan and first.supply is not None
    assert first.supply.prefix == second.supply.prefix  # type: ignore[union-attr]
    assert first.rng.random() == second.rng.random()
    other = FlowContext(EmClient(plan.base_url), replace(plan, seed=8))
    assert other.supply is not None and other.supply.prefix != first.supply.prefix
    with pytest.raises(FrozenInstanceError):
        plan.seed = 9  # type: ignore[misc]


def test_the_plan_resolves_the_budgets_and_the_target() -> None:
    plan = plan_for(Settings(seed=1, timeout=2.0, connect_timeout=5.0, level=Level.MUST))
    assert (plan.connect_timeout, plan.timeout, plan.level) == (2.0, 2.0, Level.MUST)
    assert plan.clock.travel is None and not plan.embedded and not plan.destructive
    with pytest.raises(ValueError, match="seed"):
        resolve_plan(Settings(), Target("http://em.invalid/api", True, "u", "p"))


def test_given_jobs_are_handed_out_once_and_can_come_back() -> None:
    supply, logon = JobSupply(["a", "b"]), Logon("t", "s", "h")
    run = run_for(supply)
    assert [supply.take(run, logon), supply.take(run, logon)] == ["a", "b"]
    supply.give_back("b")
    assert supply.take(run, logon) == "b"
    with pytest.raises(FlowSkipped, match="--disposable-job ID \\(repeatable\\) or --clone-from"):
        supply.take(run, logon)


def test_a_run_tags_its_exchanges_and_a_format_tag_can_override() -> None:
    run = run_for()
    assert run.tags == ("flow:delete-and-poll", "format:json", "run:delete-and-poll-json")
    assert run.tagged(("format:xml",)) == (
        "flow:delete-and-poll",
        "run:delete-and-poll-json",
        "format:xml",
    )
    assert run.accept == "application/json"


def test_the_plan_names_each_flow_once() -> None:
    names = [flow.name for flow in FLOWS]
    assert len(set(names)) == len(names)
    assert {"auth", "negotiation", "delete-and-poll", "delete-and-cancel", "isolation"} <= set(
        names
    )
    assert all(flow.destructive for flow in FLOWS if flow.embedded_only)
