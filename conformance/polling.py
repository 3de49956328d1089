"""Polling a task: an interval that grows with the task's age (or exponential back-off),
jitter, an overall deadline, and `Retry-After` honoured; the states seen are recorded.

A task that never finishes ends the poll at the deadline with `timed_out` set, never
a hang: no sleep reaches past the deadline, whatever `Retry-After` asks for.  The last
interval is cut short so that the final poll lands on the deadline itself: a coarse
interval must not declare a task late that finishes before the deadline.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from conformance.errors import UsageError
from conformance.exchange import Exchange, RecordedResponse
from conformance.model import Task

__all__ = ["AgeBackoff", "Backoff", "PollPolicy", "PollResult", "poll_task", "retry_after"]

# Statuses after which polling goes on (honouring Retry-After) rather than stops.
_RETRYABLE = frozenset({429, 503})


class PollPolicy(Protocol):
    """How long to wait before the next poll: `attempt` polls after the first, `age`
    seconds since polling began."""

    def delay(self, attempt: int, age: float, rng: random.Random) -> float: ...


@dataclass(frozen=True)
class AgeBackoff:
    """Wait `fraction` of the task's age, between `floor` and `ceiling`, plus up to
    `jitter` of that (one-sided, so that jitter never adds a poll).

    With the default fraction 1 the polls at least double their spacing, so a task of
    length L is seen finished within log2(L / floor) + 2 polls (rounded up), and the
    suite notices the end at most one interval late: (1 + jitter) times the age at the
    last poll before it.  A smaller fraction notices sooner, at most `fraction * (1 +
    jitter)` of the age late, at the price of more polls.  No schedule has both bounds:
    noticing within a quarter of the age needs every interval under a quarter of the
    age, hence about log_1.25(L / floor) polls, 3.1 times log2(L / floor).
    """

    floor: float = 0.05
    fraction: float = 1.0
    ceiling: float = 60.0
    jitter: float = 0.25

    def __post_init__(self) -> None:
        if self.floor <= 0 or self.fraction <= 0 or self.ceiling < self.floor:
            raise UsageError(
                "Expected floor > 0, fraction > 0 and ceiling >= floor; received"
                f" floor={self.floor}, fraction={self.fraction}, ceiling={self.ceiling}."
            )
        if not 0 <= self.jitter < 1:
            raise UsageError(f"Expected 0 <= jitter < 1; received {self.jitter}.")

    def delay(self, attempt: int, age: float, rng: random.Random) -> float:
        base = min(self.ceiling, max(self.floor, self.fraction * age))
        return base * (1 + self.jitter * rng.random())


@dataclass(frozen=True)
class Backoff:
    """Delay before poll n (0-based): `initial * factor**n`, capped, with +/- `jitter`."""

    initial: float = 0.05
    factor: float = 2.0
    cap: float = 2.0
    jitter: float = 0.25

    def __post_init__(self) -> None:
        if self.initial <= 0 or self.factor < 1 or self.cap < self.initial:
            raise UsageError(
                "Expected initial > 0, factor >= 1 and cap >= initial; received"
                f" initial={self.initial}, factor={self.factor}, cap={self.cap}."
            )
        if not 0 <= self.jitter < 1:
            raise UsageError(f"Expected 0 <= jitter < 1; received {self.jitter}.")

    def delay(self, attempt: int, age: float, rng: random.Random) -> float:
        base = min(self.cap, self.initial * self.factor ** min(attempt, 64))
        return base * (1 + self.jitter * (2 * rng.random() - 1))


def retry_after(response: RecordedResponse, now: float | None = None) -> float | None:
    """Seconds a `Retry-After` header asks to wait (delta-seconds or an HTTP date)."""
    value = (response.header("Retry-After") or "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - (time.time() if now is None else now))


@dataclass
class PollResult:
    """What polling saw: every exchange, the states in order, and why it stopped."""

    exchanges: list[Exchange] = field(default_factory=list)
    states: list[str] = field(default_factory=list)
    task: Task | None = None
    timed_out: bool = False
    stopped: str = ""

    @property
    def finished(self) -> bool:
        return self.task is not None and self.task.finished

    @property
    def polls(self) -> int:
        return len(self.exchanges)


@dataclass
class _Clock:
    now: Callable[[], float]
    sleep: Callable[[float], None]


def _observe(result: PollResult, exchange: Exchange) -> bool:
    """Record one poll; True when polling should go on."""
    result.exchanges.append(exchange)
    status = exchange.response.status
    if status in _RETRYABLE:
        return True
    task = Task.from_exchange(exchange) if status == 200 else None
    if task is None:
        result.stopped = f"poll answered {status} with no readable Task"
        return False
    result.task = task
    result.states.append(task.state)
    return True


def poll_task(
    fetch: Callable[[], Exchange],
    *,
    timeout: float,
    backoff: PollPolicy | None = None,
    confirm: int = 0,
    now: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    rng: random.Random | None = None,
) -> PollResult:
    """Poll with `fetch` until the task is Finished, then `confirm` more times, or until
    `timeout` seconds have passed; the result says which.  The jitter comes from `rng`
    (by default one seeded alike for every call, so that polling is reproducible)."""
    clock, policy = _Clock(now, sleep), backoff or AgeBackoff()
    chooser = rng or random.Random(0)  # jitter only; not security-relevant
    start, result = clock.now(), PollResult()
    deadline, attempt, extra = start + timeout, 0, confirm
    while _observe(result, fetch()):
        if result.finished:
            if extra <= 0:
                result.stopped = "finished"
                return result
            extra -= 1
        moment = clock.now()
        delay = policy.delay(attempt, moment - start, chooser)
        wait = _wait(delay, result.exchanges[-1].response, deadline - moment)
        if wait is None:
            return _timed_out(result, timeout)
        clock.sleep(wait)
        attempt += 1
    return result


def _wait(delay: float, response: RecordedResponse, remaining: float) -> float | None:
    """The wait before the next poll, cut to the deadline; None when no poll is left:
    the deadline has come, or `Retry-After` asks to wait past it."""
    asked = retry_after(response)
    if remaining <= 0 or (asked is not None and asked > remaining):
        return None
    return min(remaining, delay if asked is None else max(delay, asked))


def _timed_out(result: PollResult, timeout: float) -> PollResult:
    state = result.states[-1] if result.states else "no state"
    result.timed_out = not result.finished
    result.stopped = "finished" if result.finished else f"deadline of {timeout:g} s ({state})"
    return result
