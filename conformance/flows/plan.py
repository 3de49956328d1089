"""The run plan: a run's settings resolved once, against its target, into one value.

The runner builds it (`conformance.suite.plan.resolve_plan`) from the settings and the
opened target, after the seed is chosen, and hands it whole to every flow through the
`FlowContext`; nothing changes it afterwards.  What changes during a run (the client and
its recording, the safety guard, the job supply, the random generators) is the
context's, never the plan's.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from conformance.checks import Level

__all__ = ["Clock", "RunPlan"]


@dataclass(frozen=True)
class Clock:
    """How a run reads and spends time: the wall clock, or the embedded emulator's
    virtual clock, whose time moves only when the suite waits.  `travel` jumps ahead
    without waiting (the idle-timeout rule's 15 minutes): the virtual clock only."""

    now: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    travel: Callable[[float], None] | None = None


@dataclass(frozen=True)
class RunPlan:
    """Everything decided before the first request: where, as whom, what, how long.

    `destructive` is resolved (given, or the throw-away embedded emulator) and `seed` is
    the one this run uses (given, or drawn and printed in the summary)."""

    base_url: str
    verify: bool | str
    embedded: bool
    username: str
    password: str = field(repr=False)
    api_version: str
    timeout: float
    connect_timeout: float
    max_body: int
    seed: int
    level: Level
    formats: tuple[str, ...]
    max_examples: int
    task_timeout: float
    poll_fraction: float  # each wait between polls, as a fraction of the task's age
    destructive: bool
    disposable_jobs: tuple[str, ...]
    clone_from: str | None
    clone_repository: str | None
    clock: Clock = field(default_factory=Clock)
