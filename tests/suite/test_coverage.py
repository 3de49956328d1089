"""Coverage: every rule a run skips is listed with the reason the user can act on (a
read-only run, too few disposable jobs, a flow or rule for the embedded emulator only)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import pytest

from conformance.checks import REGISTRY, Outcome
from conformance.emulator import EmulatorConfig
from conformance.emulator.server import EmulatorServer
from conformance.flows import FLOWS
from conformance.report import build_report, render_summary
from conformance.suite import JudgedResult
from conformance.suite.coverage import FEEDERS, ON_A_SERVER, not_judged, skipped_rules

from ._remote import run_remote

Factory = Callable[[EmulatorConfig], EmulatorServer]
READ_ONLY = "read-only run: give --destructive"
NO_JOB_LEFT = "no disposable job left"
EMBEDDED_FLOW = "starts a job, so it runs against the embedded emulator only"
# Flows that run on every target, whatever the options.
ALWAYS = {"preflight", "auth", "negotiation", "robustness", "property-based"}


def test_feeders_name_rules_of_the_catalogue_and_flows_of_the_plan() -> None:
    rule_ids = {rule.id for rule in REGISTRY.rules()}
    assert set(FEEDERS) | set(ON_A_SERVER) <= rule_ids
    assert {flow for feeders in FEEDERS.values() for flow in feeders} <= {f.name for f in FLOWS}


def _feeders_seen(result: JudgedResult) -> dict[str, set[str]]:
    seen: dict[str, set[str]] = defaultdict(set)
    for verdict in result.verdicts:
        if verdict.outcome is Outcome.PASSED:
            for index in verdict.exchanges:
                tags = result.exchanges[index].tags
                seen[verdict.rule.id] |= {t[5:] for t in tags if t.startswith("flow:")}
    return seen


def test_feeders_match_what_the_faithful_run_judged(em_faithful_run: JudgedResult) -> None:
    """A rule fed by a flow that may not run names that flow (property-based sends
    DELETEs on the emulator only); any other rule is fed by a flow that always runs."""
    wrong = {}
    for rule_id, flows in _feeders_seen(em_faithful_run).items():
        if rule_id in FEEDERS:
            extra = flows - set(FEEDERS[rule_id]) - {"property-based"}
        else:
            extra = set() if flows & ALWAYS or rule_id in ON_A_SERVER else flows
        if extra:
            wrong[rule_id] = sorted(extra)
    assert wrong == {}


def _reasons(result: JudgedResult) -> dict[str, str]:
    return {rule: reason for reason, rules in skipped_rules(result).items() for rule in rules}


@pytest.mark.usefixtures("em_password")
def test_a_read_only_run_explains_every_skipped_rule(em_server_factory: Factory) -> None:
    result = run_remote(em_server_factory(EmulatorConfig(task_duration=0.05)), level="should")
    reasons = _reasons(result)
    assert {"EM-ISO-001", "EM-CANCEL-002", "EM-DEL-001", "EM-SAFE-002", "EM-PROP-002"} <= set(
        reasons
    )
    embedded_only = {"EM-TASK-011", "EM-TASK-014"}
    assert all(reasons[rule].startswith(READ_ONLY) for rule in set(FEEDERS) - embedded_only)
    assert reasons["EM-TASK-011"] == reasons["EM-TASK-014"] == EMBEDDED_FLOW
    assert reasons["EM-LOGON-013"] == ON_A_SERVER["EM-LOGON-013"]
    assert set(reasons) == set(FEEDERS) | {"EM-LOGON-013"}
    summary = render_summary(result)
    assert "Rules skipped, and why:" in summary and f"  {reasons['EM-ISO-001']}:" in summary
    assert f"seed {result.seed} (--seed {result.seed} replays" in summary
    report = build_report(result)
    assert report["seed"] == result.seed == 20261130  # EM_SEED of the conftest
    assert report["skipped_because"] == skipped_rules(result)


@pytest.mark.usefixtures("em_password")
def test_one_disposable_job_leaves_rules_for_lack_of_jobs(em_server_factory: Factory) -> None:
    server = em_server_factory(EmulatorConfig(task_duration=0.05))
    job = server.emulator.state.inventory.jobs("job")[0].job_id
    result = run_remote(server, job)
    reasons = _reasons(result)
    short = {r for r, why in reasons.items() if why.startswith(NO_JOB_LEFT)}
    # --level must: the SHOULD rules among them (EM-ISO-002, ...) are not judged at all.
    assert short == {"EM-CANCEL-001", "EM-CANCEL-002", "EM-CANCEL-003", "EM-CANCEL-004",
                     "EM-ISO-001", "EM-ISO-003"}  # fmt: skip
    assert "EM-DEL-001" not in reasons  # delete-and-poll took the job and ran
    assert reasons["EM-SAFE-005"] == ON_A_SERVER["EM-SAFE-005"]  # given jobs are not cloned
    assert not_judged(result) and set(not_judged(result)).isdisjoint(reasons)
    assert "not judged at --level must" in render_summary(result)
