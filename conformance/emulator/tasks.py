"""Tasks: what an asynchronous request leaves behind, with a state that follows the clock.

A task is Running until 70% of its duration has passed; then its operation happens on
the "backup server" (the outcome is decided and applied) and it is OperationFinished;
after the full duration it is Finished (get_tasks_id.html documents all three states).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["FINISHED", "OPERATION_FINISHED", "RUNNING", "Outcome", "Task", "TaskBoard"]

RUNNING = "Running"
OPERATION_FINISHED = "OperationFinished"
FINISHED = "Finished"

# Share of a task's duration after which the backup server has done the work.
OPERATION_SHARE = 0.7
# Scheduled steps of a task: the operation on the backup server, then EM collecting it.
_OPERATE, _PUBLISH = 0, 1


@dataclass(frozen=True)
class Outcome:
    """How an operation ended; `related` is (job ID, job name) of an object it created.

    `publish` runs when the task is Finished: EM has collected the change and shows it.
    """

    success: bool
    message: str
    related: tuple[str, str] | None = None
    publish: Callable[[], None] | None = field(default=None, compare=False, repr=False)


@dataclass(eq=False)
class Task:
    number: int
    operation: str
    owner: str
    created: float
    duration: float
    work: Callable[[float], Outcome] = field(repr=False)
    outcome: Outcome | None = None
    cancelled: bool = False
    polls: int = 0

    @property
    def task_id(self) -> str:
        return f"task-{self.number}"

    @property
    def operation_due(self) -> float:
        return self.created + OPERATION_SHARE * self.duration

    def state(self, now: float) -> str:
        if self.outcome is None:
            return RUNNING
        return OPERATION_FINISHED if now < self.created + self.duration else FINISHED


class TaskBoard:
    """Every task by ID and by owning session, and a schedule of the operations to happen.

    A session keeps at most `limit` tasks: past it, a new task makes the session forget
    its oldest finished one (its oldest one when none has finished; the operation still
    happens). EM documents no retention; without a bound a client deleting thousands
    of jobs in one session would grow the emulator without end.
    """

    def __init__(self, limit: int | None = None) -> None:
        self._limit = limit
        self._tasks: dict[str, Task] = {}
        self._owned: dict[str, dict[str, Task]] = {}
        self._schedule: list[tuple[float, int, int, Task]] = []
        self._next_number = 1

    def __len__(self) -> int:
        return len(self._tasks)

    def create(self, operation: str, owner: str, now: float, duration: float,
               work: Callable[[float], Outcome]) -> Task:  # fmt: skip
        self._make_room(owner, now)
        task = Task(self._next_number, operation, owner, now, duration, work)
        self._next_number += 1
        self._tasks[task.task_id] = task
        self._owned.setdefault(owner, {})[task.task_id] = task
        if math.isfinite(task.operation_due):
            heapq.heappush(self._schedule, (task.operation_due, task.number, _OPERATE, task))
        return task

    def _make_room(self, owner: str, now: float) -> None:
        owned = self._owned.get(owner, {})
        while self._limit is not None and owned and len(owned) >= self._limit:
            oldest = next(iter(owned.values()))
            done = next((t for t in owned.values() if t.state(now) == FINISHED), oldest)
            self._forget(done)

    def settle(self, now: float) -> bool:
        """Carry out, in time order, every operation and publication whose time has come;
        True if any was due."""
        due_any = bool(self._schedule) and self._schedule[0][0] <= now
        while self._schedule and self._schedule[0][0] <= now:
            due, number, step, task = heapq.heappop(self._schedule)
            if step == _OPERATE and not task.cancelled:
                task.outcome = task.work(due)
                # Published even if the task is removed meanwhile: EM collects it anyway.
                heapq.heappush(
                    self._schedule, (task.created + task.duration, number, _PUBLISH, task)
                )
            elif step == _PUBLISH and task.outcome is not None and task.outcome.publish is not None:
                task.outcome.publish()
        return due_any

    def get(self, task_id: str) -> Task | None:
        return self._tasks.get(task_id.lower())

    def listed(self, owner: str | None) -> list[Task]:
        """The tasks of one logon session (every task when `owner` is None), oldest first."""
        if owner is None:
            return list(self._tasks.values())
        return list(self._owned.get(owner, {}).values())

    def _forget(self, task: Task) -> None:
        self._tasks.pop(task.task_id, None)
        owned = self._owned.get(task.owner)
        if owned is not None:
            owned.pop(task.task_id, None)
            if not owned:
                del self._owned[task.owner]

    def remove(self, task: Task, *, cancel: bool = True) -> None:
        """Forget `task`; with `cancel`, an operation that has not happened yet never will."""
        self._forget(task)
        if cancel and task.outcome is None:
            task.cancelled = True

    def drop_owner(self, owner: str) -> None:
        """Forget a closed session's tasks; their pending operations still happen."""
        for task_id in self._owned.pop(owner, {}):
            self._tasks.pop(task_id, None)
