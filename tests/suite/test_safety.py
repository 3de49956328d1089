"""Safety against a target that is not ours: proven from the emulator's journal.

The emulator is seeded with jobs the suite is not given; a destructive run deletes
none of them (only its own clones, or the one job it was given), and a read-only run
sends no DELETE to any job or task at all (logging out its own session is fine).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conformance.checks import api_path
from conformance.cli import main
from conformance.emulator import EmulatorConfig
from conformance.emulator.server import EmulatorServer

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
