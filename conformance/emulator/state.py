"""The emulator's state: one seeded inventory, the logon sessions and the tasks."""

from __future__ import annotations

import math
import random

from conformance.emulator.config import EmulatorConfig
from conformance.emulator.fault_catalogue import NO_IDLE_TIMEOUT, TASK_NEVER_FINISHES
from conformance.emulator.inventory import Inventory, new_guid
from conformance.emulator.sessions import SessionStore
from conformance.emulator.tasks import TaskBoard

__all__ = ["State"]


class State:
    """Everything a request can change; rebuilt from the config by `reset()`."""

    def __init__(self, config: EmulatorConfig) -> None:
        self.config = config
        self.faults = config.fault_set
        self.clock = config.clock
        self._rng = random.Random(config.seed)
        self.inventory = Inventory(
            self._rng, self.clock.now(), config.jobs, config.nas_jobs, config.agent_jobs
        )
        timeout = None if self.faults.on(NO_IDLE_TIMEOUT) else config.idle_timeout
        self.tasks = TaskBoard(config.max_tasks_per_session)
        # A session that ends (logout, idle timeout, eviction) takes its tasks with it.
        self.sessions = SessionStore(
            config.users, timeout, config.max_sessions, on_close=self.tasks.drop_owner
        )

    def guid(self) -> str:
        """A new GUID from the seeded generator (same seed and requests, same IDs)."""
        return new_guid(self._rng)

    @property
    def task_duration(self) -> float:
        return math.inf if self.faults.on(TASK_NEVER_FINISHES) else self.config.task_duration
