"""The building blocks: clocks, the seeded inventory, the configuration."""

from __future__ import annotations

import random

import pytest

from conformance.emulator import EmulatorConfig, ManualClock, SystemClock
from conformance.emulator.clock import MANUAL_EPOCH, utc
from conformance.emulator.inventory import AGENT, JOB, NAS, Inventory
from conformance.errors import UsageError


def test_manual_clock_moves_only_forward() -> None:
    clock = ManualClock()
    assert clock.now() == MANUAL_EPOCH
    assert clock.advance(1.5) == MANUAL_EPOCH + 1.5 == clock.now()
    with pytest.raises(ValueError, match="never go back"):
        clock.advance(-1)


def test_system_clock_is_monotonic_and_near_wall_time() -> None:
    import time

    clock = SystemClock()
    readings = [clock.now() for _ in range(1000)]
    assert readings == sorted(readings)
    assert abs(readings[0] - time.time()) < 60


def test_utc_format() -> None:
    assert utc(MANUAL_EPOCH + 0.9) == "2026-01-01T00:00:00Z"


def _inventory(seed: int, jobs: int = 6, nas: int = 2, agents: int = 2) -> Inventory:
    return Inventory(random.Random(seed), MANUAL_EPOCH, jobs, nas, agents)


def test_inventory_covers_every_kind() -> None:
    inventory = _inventory(0)
    jobs = inventory.jobs(JOB)
    assert {(job.job_type, job.platform) for job in jobs} >= {
        ("Backup", "VMware"), ("Backup", "vCloud"), ("Backup", "HyperV"), ("Replica", "VMware"),
        ("BackupCopy", "VMware")}  # fmt: skip
    assert [job.uid.split(":")[2] for job in inventory.jobs(NAS)] == ["NasJob", "NasJob"]
    assert [job.uid.split(":")[2] for job in inventory.jobs(AGENT)] == ["AgentBackupJob"] * 2
    assert all(
        inventory.get(job.job_id) is None for job in inventory.jobs(NAS) + inventory.jobs(AGENT)
    )
    assert all(inventory.get(job.job_id, None) is job for job in inventory.jobs(NAS))


def test_many_jobs_have_unique_ids_and_names() -> None:
    jobs = _inventory(5, jobs=1000).jobs(JOB)
    assert len(jobs) == 1000
    assert len({job.job_id for job in jobs}) == len({job.name for job in jobs}) == 1000
    assert jobs[6].name == "CRM Backup 002"


def test_seeds_are_deterministic() -> None:
    ids = [job.job_id for job in _inventory(11).jobs(JOB)]
    assert ids == [job.job_id for job in _inventory(11).jobs(JOB)]
    assert ids != [job.job_id for job in _inventory(12).jobs(JOB)]


def test_some_seeded_jobs_failed_last_time() -> None:
    results = [job.last_result(MANUAL_EPOCH) for job in _inventory(0).jobs(JOB)]
    assert results == ["Success", "Success", "Failed", "Success", "Success", "Failed"]


@pytest.mark.parametrize(
    "field", ["jobs", "nas_jobs", "agent_jobs", "task_duration", "run_duration"]
)
def test_config_refuses_negative_numbers(field: str) -> None:
    with pytest.raises(UsageError, match=f"Expected {field} (>= 0|from 0 to)"):
        EmulatorConfig(**{field: -1})  # type: ignore[arg-type]


@pytest.mark.parametrize("field", ["jobs", "nas_jobs", "agent_jobs"])
def test_config_refuses_more_jobs_than_memory_can_hold(field: str) -> None:
    with pytest.raises(UsageError, match=f"Expected {field} from 0 to 1,000,000"):
        EmulatorConfig(**{field: 1_000_001})  # type: ignore[arg-type]


def test_config_needs_a_user() -> None:
    with pytest.raises(UsageError, match="at least one user"):
        EmulatorConfig(users=())


@pytest.mark.parametrize("json", [False, True])
@pytest.mark.parametrize("task_id", ["task-1", "task-10", "task-12345"])
def test_task_templates_render_exactly_like_a_fresh_rendering(json: bool, task_id: str) -> None:
    from conformance.emulator.bodies import Body, BodyCache
    from conformance.emulator.endpoints.tasks import task_body
    from conformance.emulator.render import TaskView, task
    from conformance.emulator.tasks import Outcome
    from conformance.representations import dump_json, dump_xml, element_to_json

    def serialise(body: Body) -> bytes:
        return dump_json(body.json()) if json else dump_xml(body.xml())

    cache = BodyCache()
    for view in (TaskView(task_id, "Running", "DeleteJob", None),
                 TaskView(task_id, "Finished", "CloneJob", Outcome(True, "Ok", ("1234", "New job"))),
                 TaskView(task_id, "Finished", "StartJob", Outcome(False, 'Job "x" is already running.'))):  # fmt: skip
        for _ in range(2):
            filled = cache.fill(task_body("https://em.test:9398/api", view), json, serialise)
            element = task("https://em.test:9398/api", view)
            assert filled == (dump_json(element_to_json(element)) if json else dump_xml(element))
