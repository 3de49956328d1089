"""The embedded target: a virtual clock that moves only when the suite lets time pass,
and an emulator seeded with the run's seed."""

from __future__ import annotations

from conformance.client import ClientOptions, EmClient, SafetyGuard
from conformance.model import EntityRef, Task
from conformance.suite import Settings
from conformance.suite.target import (
    EMBEDDED_TASK_DURATION,
    VIRTUAL_EPOCH,
    VirtualClock,
    open_target,
)


def test_the_virtual_clock_moves_only_when_told() -> None:
    clock = VirtualClock()
    assert clock.now() == VIRTUAL_EPOCH == clock.now()
    clock.advance(2.5)
    clock.advance(-1.0)  # time never goes back
    assert clock.now() == VIRTUAL_EPOCH + 2.5


def _first_job_and_task(seed: int) -> tuple[list[str], list[str]]:
    """Job IDs listed, then the states of one deletion polled four times with no time
    passing and once after the task's duration."""
    with open_target(Settings(seed=seed)) as target:
        assert target.clock is not None
        client = EmClient(target.base_url, ClientOptions(), SafetyGuard(destructive=True))
        _, logon = client.logon(target.username, target.password)
        assert logon is not None
        listing = client.send("GET", "/jobs", logon=logon).response
        jobs = [ref.id for ref in EntityRef.list_from_body(listing.body, listing.media_type)]
        client.guard.jobs.add(jobs[0])
        deleted = client.send("DELETE", f"/jobs/{jobs[0]}", logon=logon).response
        task = Task.from_body(deleted.body, deleted.media_type)
        states = []
        for wait in (0.0, 0.0, 0.0, 0.0, EMBEDDED_TASK_DURATION):
            target.clock.advance(wait)
            polled = client.send("GET", f"/tasks/{task.task_id}", logon=logon).response
            states.append(Task.from_body(polled.body, polled.media_type).state)
        client.close()
    return jobs, states


def test_an_embedded_task_waits_for_the_suite_not_for_the_wall_clock() -> None:
    jobs, states = _first_job_and_task(seed=3)
    assert states == ["Running"] * 4 + ["Finished"]
    assert _first_job_and_task(seed=3)[0] == jobs  # the run's seed seeds the emulator
    assert _first_job_and_task(seed=4)[0] != jobs
