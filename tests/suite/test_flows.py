"""Flow building blocks: clone specs, the disposable-job supply, tagging, the plan."""

from __future__ import annotations

import pytest

from conformance.client import EmClient, Logon
from conformance.flows import FLOWS, FlowContext, FlowRun, FlowSkipped, JobSupply
from conformance.flows.disposable import clone_spec
from conformance.representations import validate_xml


@pytest.mark.parametrize("job_type", ["Backup", "Replica"])
def test_clone_specs_are_valid_job_clone_specs(job_type: str) -> None:
    body = clone_spec(job_type, "em-conformance 1a2b3c4d", "urn:veeam:Repository:abc")
    result = validate_xml(body, "JobCloneSpec")
    assert result.valid, result.violations


def test_only_backup_and_replica_jobs_are_cloned() -> None:
    with pytest.raises(FlowSkipped, match="give a Backup or Replica job"):
        clone_spec("BackupCopy", "x")


def run_for(supply: JobSupply | None = None) -> FlowRun:
    context = FlowContext(EmClient("http://em.invalid/api"), "u", "p", supply=supply)
    return FlowRun(context, "delete-and-poll", "json", "delete-and-poll-json")


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
