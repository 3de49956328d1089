"""Safety against a target that is not ours: proven from the emulator's journal.

The emulator is seeded with jobs the suite is not given; a destructive run deletes
none of them (only its own clones, or the one job it was given), and a read-only run
sends no DELETE to any job or task at all (logging out its own session is fine).  A NAS
or Agent job the user gives is aimed at by the safety flow only, through /jobs/{ID},
and must survive it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conformance.checks import Outcome, api_path
from conformance.cli import main
from conformance.emulator import EmulatorConfig
from conformance.emulator.server import EmulatorServer
from conformance.flows.safety import NO_JOB
from conformance.suite import JudgedResult

from ._remote import run_remote

Factory = Callable[[EmulatorConfig], EmulatorServer]


def _all_jobs(server: EmulatorServer) -> dict[str, str]:
    inventory = server.emulator.state.inventory
    return {job.job_id: kind for kind in ("job", "nas", "agent") for job in inventory.jobs(kind)}


def _deletes(server: EmulatorServer) -> list[tuple[str, int]]:
    entries = server.emulator.journal.entries()
    return [
        (api_path(e.exchange.request.url), e.exchange.response.status)
        for e in entries
        if e.exchange.request.method == "DELETE"
    ]


def _run(server: EmulatorServer, *extra: str) -> int:
    return main(["run", "--target", server.base_url, "--username", "administrator", *extra])


@pytest.mark.usefixtures("em_password")
def test_a_destructive_run_deletes_only_its_own_clones(em_server_factory: Factory) -> None:
    server = em_server_factory(EmulatorConfig(jobs=8, seed=11, task_duration=0.05))
    seeded = _all_jobs(server)
    source = next(
        j.job_id for j in server.emulator.state.inventory.jobs("job") if j.job_type == "Backup"
    )
    assert _run(server, "--destructive", "--clone-from", source) == 0
    targeted = {
        path.rsplit("/", 1)[-1] for path, _ in _deletes(server) if path.startswith("/jobs/")
    }
    assert targeted and not targeted & set(seeded)
    assert set(seeded) <= set(_all_jobs(server))  # every seeded job, NAS and Agent ones too
    accepted = [
        path for path, status in _deletes(server) if path.startswith("/jobs/") and status == 202
    ]
    assert len(accepted) >= 4  # the clones really were deleted: the flows ran


@pytest.mark.usefixtures("em_password")
def test_a_given_disposable_job_is_the_only_seeded_job_touched(em_server_factory: Factory) -> None:
    server = em_server_factory(EmulatorConfig(jobs=6, seed=5, task_duration=0.05))
    seeded = _all_jobs(server)
    given = server.emulator.state.inventory.jobs("job")[0].job_id
    _run(server, "--destructive", "--disposable-job", given)
    targeted = {
        path.rsplit("/", 1)[-1] for path, _ in _deletes(server) if path.startswith("/jobs/")
    }
    assert targeted & set(seeded) == {given}
    assert set(_all_jobs(server)) == set(seeded) - {given}


@pytest.mark.usefixtures("em_password")
def test_a_read_only_run_sends_no_delete_to_any_job_or_task(em_server_factory: Factory) -> None:
    server = em_server_factory(EmulatorConfig(seed=2))
    seeded = _all_jobs(server)
    assert _run(server) == 0
    deletes = _deletes(server)
    assert deletes and all(path.startswith("/logonSessions/") for path, _ in deletes)
    writes = {
        (e.exchange.request.method, api_path(e.exchange.request.url))
        for e in server.emulator.journal.entries()
        if e.exchange.request.method in ("POST", "PUT", "PATCH")
    }
    assert {method for method, path in writes if path != "/sessionMngr/"} <= {"PUT", "PATCH"}
    assert all(path in ("/sessionMngr/", "/tasks", "/jobs") for _, path in writes)
    assert _all_jobs(server) == seeded


def _outcomes(result: JudgedResult, *rule_ids: str) -> dict[str, Outcome]:
    return {s.rule.id: s.outcome for s in result.rules if s.rule.id in rule_ids}


SAFE = ("EM-SAFE-002", "EM-SAFE-003", "EM-SAFE-004")


@pytest.mark.usefixtures("em_password")
def test_given_nas_and_agent_jobs_are_aimed_at_and_survive(em_server_factory: Factory) -> None:
    server = em_server_factory(EmulatorConfig(seed=4, task_duration=0.05))
    inventory = server.emulator.state.inventory
    nas, agent = inventory.jobs("nas")[0].job_id, inventory.jobs("agent")[0].job_id
    job = inventory.jobs("job")[0].job_id
    result = run_remote(server, nas, job, agent, level="should")
    assert {(r.format, r.status) for r in result.flows if r.flow == "safety"} == {
        ("xml", "ran"), ("json", "ran")
    }  # fmt: skip
    assert _outcomes(result, *SAFE) == dict.fromkeys(SAFE, Outcome.PASSED)
    aimed = [
        (e.label, e.request.path.rsplit("/", 1)[-1])
        for e in result.exchanges
        if e.request.method == "DELETE" and e.request.path.rsplit("/", 1)[-1] in (nas, agent)
    ]
    # Only the safety flow aims at them, once per format; the deleting flows took the job.
    assert sorted(aimed) == sorted(2 * [("delete-nas-job", nas), ("delete-agent-job", agent)])
    assert {nas, agent} <= set(_all_jobs(server)) and job not in _all_jobs(server)


@pytest.mark.usefixtures("em_password")
def test_a_server_that_deletes_a_given_nas_job_fails(em_server_factory: Factory) -> None:
    server = em_server_factory(
        EmulatorConfig(seed=4, task_duration=0.05, faults=("nas-job-deletable",))
    )
    nas = server.emulator.state.inventory.jobs("nas")[0].job_id
    result = run_remote(server, nas)
    assert result.exit_code == 1
    assert _outcomes(result, "EM-SAFE-002")["EM-SAFE-002"] is Outcome.FAILED
    assert nas not in _all_jobs(server)  # the user gave it; the server really lost it


@pytest.mark.usefixtures("em_password")
def test_without_a_nas_or_agent_job_the_safety_rules_say_how(em_server_factory: Factory) -> None:
    server = em_server_factory(EmulatorConfig(seed=4, task_duration=0.05))
    result = run_remote(server, server.emulator.state.inventory.jobs("job")[0].job_id)
    assert {r.reason for r in result.flows if r.flow == "safety"} == {NO_JOB}
    assert _outcomes(result, *SAFE) == dict.fromkeys(
        ("EM-SAFE-002", "EM-SAFE-003"), Outcome.SKIPPED
    )
    foreign = {job for job, kind in _all_jobs(server).items() if kind != "job"}
    deleted = {
        e.request.path.rsplit("/", 1)[-1] for e in result.exchanges if e.request.method == "DELETE"
    }
    assert deleted and not deleted & foreign
