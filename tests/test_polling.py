"""Polling: back-off with jitter and a cap, Retry-After, the deadline, the states seen.

A fake clock drives every test: nothing sleeps for real.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator

import pytest

from conformance.errors import UsageError
from conformance.exchange import Exchange, RecordedRequest, RecordedResponse
from conformance.polling import AgeBackoff, Backoff, poll_task, retry_after

NS = "http://www.veeam.com/ent/v1.0"


def task_body(state: str, success: bool | None = None) -> bytes:
    result = "" if success is None else f'<Result Success="{str(success).lower()}"/>'
    return (
        f'<Task xmlns="{NS}" Href="http://em/api/tasks/task-1"><TaskId>task-1</TaskId>'
        f"<State>{state}</State><Operation>DeleteJob</Operation>{result}</Task>"
    ).encode()


def answer(state: str | None, status: int = 200, **headers: str) -> Exchange:
    body = task_body(state, True if state == "Finished" else None) if state else b""
    fields = {
        "Content-Type": "application/xml",
        **{k.replace("_", "-"): v for k, v in headers.items()},
    }
    return Exchange(
        RecordedRequest.build("GET", "http://em/api/tasks/task-1"),
        RecordedResponse.build(status, fields, body),
    )


class FakeClock:
    def __init__(self) -> None:
        self.time = 0.0
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.time

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.time += seconds


def server(*answers: Exchange) -> tuple[FakeClock, Iterator[Exchange], list[Exchange]]:
    clock, sent = FakeClock(), []

    def replies() -> Iterator[Exchange]:
        for item in answers:
            sent.append(item)
            yield item
        while True:  # the last answer repeats: a task that stays where it is
            sent.append(answers[-1])
            yield answers[-1]

    return clock, replies(), sent


def poll(clock: FakeClock, replies: Iterator[Exchange], **kw: object):
    kw.setdefault("timeout", 10.0)
    return poll_task(
        lambda: next(replies), now=clock.now, sleep=clock.sleep, rng=random.Random(7), **kw
    )  # type: ignore[arg-type]


def test_polls_until_finished_and_records_the_states() -> None:
    clock, replies, _ = server(answer("Running"), answer("OperationFinished"), answer("Finished"))
    result = poll(clock, replies)
    assert result.finished and not result.timed_out
    assert result.states == ["Running", "OperationFinished", "Finished"]
    assert (result.polls, result.stopped) == (3, "finished")


def test_backoff_grows_exponentially_with_jitter_up_to_the_cap() -> None:
    clock, replies, _ = server(answer("Running"))
    poll(clock, replies, timeout=30.0, backoff=Backoff(initial=0.1, factor=2, cap=1.0, jitter=0.2))
    sleeps = clock.sleeps
    assert 0.08 <= sleeps[0] <= 0.12 and 0.16 <= sleeps[1] <= 0.24 and 0.32 <= sleeps[2] <= 0.48
    assert max(sleeps) <= 1.2 and min(sleeps[5:-1]) >= 0.8  # capped, jitter within 20 %
    assert clock.time == pytest.approx(30.0)  # the last wait, cut short, lands on the deadline
    assert len(set(sleeps)) > 5  # jittered, not lockstep


def _sleeps(rng: random.Random | None) -> list[float]:
    clock, replies, _ = server(answer("Running"))
    poll_task(lambda: next(replies), timeout=20.0, now=clock.now, sleep=clock.sleep, rng=rng)
    return clock.sleeps


def test_jitter_follows_its_seed() -> None:
    assert _sleeps(random.Random(3)) == _sleeps(random.Random(3))
    assert _sleeps(random.Random(3)) != _sleeps(random.Random(4))


def test_jitter_without_a_generator_is_the_same_every_call() -> None:
    first = _sleeps(None)
    assert first == _sleeps(None) and len(set(first)) > 5  # reproducible, still jittered


def test_a_task_that_never_finishes_times_out_at_the_deadline() -> None:
    clock, replies, _ = server(answer("Running"))
    result = poll(clock, replies, timeout=5.0)
    assert result.timed_out and not result.finished
    assert clock.time <= 5.0
    assert result.stopped == "deadline of 5 s (Running)"
    assert set(result.states) == {"Running"}


def test_retry_after_is_honoured_but_never_past_the_deadline() -> None:
    clock, replies, _ = server(answer("Running", Retry_After="2"), answer("Finished"))
    assert poll(clock, replies, timeout=10.0).finished
    assert clock.sleeps[0] == pytest.approx(2.0)
    clock, replies, _ = server(answer("Running", Retry_After="3600"))
    result = poll(clock, replies, timeout=10.0)
    assert result.timed_out and clock.time == 0.0  # did not wait an hour


def test_busy_answers_with_retry_after_keep_the_poll_going() -> None:
    clock, replies, _ = server(answer(None, 503, Retry_After="1"), answer("Finished"))
    result = poll(clock, replies)
    assert result.finished and result.polls == 2 and clock.sleeps[0] >= 1.0


def test_an_error_answer_stops_polling_and_says_so() -> None:
    clock, replies, _ = server(answer("Running"), answer(None, 404))
    result = poll(clock, replies)
    assert not result.finished and not result.timed_out
    assert result.stopped == "poll answered 404 with no readable Task"


def test_confirming_polls_after_finished_see_a_regression() -> None:
    clock, replies, sent = server(answer("Finished"), answer("Running"), answer("Finished"))
    result = poll(clock, replies, confirm=1)
    assert result.states == ["Finished", "Running", "Finished"]
    assert result.finished and len(sent) == 3


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("5", 5.0), ("", None), ("soon", None), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0)],
)
def test_retry_after_values(value: str, seconds: float | None) -> None:
    response = RecordedResponse.build(503, {"Retry-After": value} if value else {})
    assert retry_after(response) == seconds


def test_retry_after_dates_in_the_future() -> None:
    response = RecordedResponse.build(503, {"Retry-After": "Wed, 21 Oct 2015 07:28:30 GMT"})
    assert retry_after(response, now=1445412480.0) == pytest.approx(30.0)


@pytest.mark.parametrize(
    "kwargs",
    [{"initial": 0}, {"factor": 0.5}, {"cap": 0.01}, {"jitter": 1.0}],
    ids=["zero-initial", "shrinking", "cap-below-initial", "full-jitter"],
)
def test_nonsense_backoff_is_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(UsageError, match="Expected"):
        Backoff(**kwargs)


def timed_task(clock: FakeClock, length: float) -> Callable[[], Exchange]:
    """A task that is Running until `length` seconds on `clock`, then Finished."""
    return lambda: answer("Finished" if clock.time >= length else "Running")


def poll_timed(length: float, policy: AgeBackoff, seed: int) -> tuple[int, float]:
    clock = FakeClock()
    result = poll_task(
        timed_task(clock, length),
        timeout=length * 3,
        backoff=policy,
        now=clock.now,
        sleep=clock.sleep,
        rng=random.Random(seed),
    )
    assert result.finished
    return result.polls, clock.time - length


@pytest.mark.parametrize("length", [1.0, 5.0, 20.0, 120.0, 3.3])
@pytest.mark.parametrize("seed", range(8))
def test_polls_grow_with_the_tasks_age_to_log2_of_its_length(length: float, seed: int) -> None:
    polls, late = poll_timed(length, AgeBackoff(), seed)
    assert polls <= math.ceil(math.log2(length / 0.05)) + 2
    assert late <= length * 1.25  # one interval at most: the age, jittered


@pytest.mark.parametrize("length", [1.0, 5.0, 20.0, 120.0, 3.3])
@pytest.mark.parametrize("seed", range(3))
def test_a_smaller_fraction_notices_within_a_quarter_of_the_age(length: float, seed: int) -> None:
    polls, late = poll_timed(length, AgeBackoff(fraction=0.2), seed)
    assert late <= length / 4  # 0.2 of the age, +25 % jitter at most
    assert polls > math.ceil(math.log2(length / 0.05)) + 2  # the price: more polls


@pytest.mark.parametrize(
    ("age", "expected"), [(0.0, 0.05), (0.01, 0.05), (3.0, 1.5), (10.0, 5.0), (100.0, 20.0)]
)
def test_age_interval_is_the_fraction_between_floor_and_ceiling(
    age: float, expected: float
) -> None:
    policy = AgeBackoff(floor=0.05, fraction=0.5, ceiling=20.0, jitter=0.0)
    assert policy.delay(0, age, random.Random(0)) == pytest.approx(expected)
    jittered = AgeBackoff(floor=0.05, fraction=0.5, ceiling=20.0, jitter=0.25)
    spread = {jittered.delay(0, age, random.Random(seed)) for seed in range(20)}
    assert expected <= min(spread) and max(spread) <= expected * 1.25 and len(spread) > 10


def test_a_task_finishing_just_before_the_deadline_is_still_seen() -> None:
    clock = FakeClock()
    result = poll_task(
        timed_task(clock, 9.9), timeout=10.0, now=clock.now, sleep=clock.sleep, rng=random.Random(0)
    )
    assert result.finished and clock.time == pytest.approx(10.0)


@pytest.mark.parametrize(
    "kwargs",
    [{"floor": 0}, {"fraction": 0}, {"ceiling": 0.01}, {"jitter": 1.0}],
    ids=["zero-floor", "zero-fraction", "ceiling-below-floor", "full-jitter"],
)
def test_nonsense_age_backoff_is_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(UsageError, match="Expected"):
        AgeBackoff(**kwargs)
