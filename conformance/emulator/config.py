"""The emulator's configuration: seed, inventory size, timings, users, faults and clock."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from conformance.emulator.clock import Clock, SystemClock
from conformance.emulator.faults import FaultSet
from conformance.emulator.journal import BODY_LIMIT, BYTE_LIMIT, LIMIT
from conformance.emulator.sessions import DEFAULT_USERS, User
from conformance.errors import UsageError
from conformance.options import default

__all__ = ["EmulatorConfig"]


# The inventory lives in memory and is built at start: a hundred million jobs would take
# the machine's memory long before the server answered.
MAX_JOBS = 1_000_000


@dataclass(frozen=True)
class EmulatorConfig:
    """Everything that shapes one emulator; the same config always seeds the same state.

    `jobs` counts the jobs served under `/jobs` (cycling through vSphere, Cloud Director
    and Hyper-V backups, replication and backup copy jobs); `nas_jobs` and `agent_jobs`
    are served under `/nas/jobs` and `/agents/jobs` only. Times are in seconds;
    `idle_timeout=None` never expires a session. `run_duration` is how long a started
    job stays running.

    Bounds, so that no client can grow the emulator without end: `max_sessions` logon
    sessions (the longest idle is evicted), `max_tasks_per_session` tasks per session
    (the oldest finished is forgotten), and a journal of at most `journal_limit` entries
    and `journal_bytes` bytes whose bodies are cut at `journal_body_limit` bytes.
    """

    seed: int = default("emulate-seed")  # each default is the option table's
    jobs: int = default("emulate-jobs")
    nas_jobs: int = 2
    agent_jobs: int = 2
    task_duration: float = default("emulate-task-duration")
    run_duration: float = 30.0
    idle_timeout: float | None = 15 * 60.0
    users: tuple[User, ...] = DEFAULT_USERS
    faults: Iterable[str] = ()
    clock: Clock = field(default_factory=SystemClock)
    journal_limit: int | None = LIMIT
    journal_bytes: int | None = BYTE_LIMIT
    journal_body_limit: int = BODY_LIMIT
    max_sessions: int | None = default("max-sessions")
    max_tasks_per_session: int | None = 1000

    def __post_init__(self) -> None:
        object.__setattr__(self, "faults", frozenset(self.faults))
        object.__setattr__(self, "users", tuple(self.users))
        for name in ("jobs", "nas_jobs", "agent_jobs"):
            if not 0 <= getattr(self, name) <= MAX_JOBS:
                raise UsageError(
                    f"Expected {name} from 0 to {MAX_JOBS:,}; received {getattr(self, name)}."
                )
        for name in ("task_duration", "run_duration"):
            if not getattr(self, name) >= 0:  # NaN too: no task would ever be due
                raise UsageError(f"Expected {name} >= 0 seconds; received {getattr(self, name)}.")
        for name in ("max_sessions", "max_tasks_per_session", "journal_limit", "journal_bytes"):
            if getattr(self, name) is not None and getattr(self, name) < 1:
                raise UsageError(f"Expected {name} >= 1; received {getattr(self, name)}.")
        if not self.users:
            raise UsageError("Expected at least one user; received none.")
        FaultSet(self.faults)

    @property
    def fault_set(self) -> FaultSet:
        return FaultSet(self.faults)
