"""A 10,000-interaction cassette loads and replays, with cost linear in its size.

Cost is counted, never timed: every Python and C function call made while loading
and replaying, through `sys.setprofile`.  Doubling the cassette must double the
count (within 10%); a lookup that scanned the recording, or a load that re-read what
it had read, would show as a ratio near 4.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from conformance.cassette import Replayer, load_cassette, render_cassette
from conformance.exchange import Exchange, RecordedRequest, RecordedResponse

STATES = ("Running", "OperationFinished", "Finished")


def synthetic(count: int, tasks: int = 500) -> list[Exchange]:
    """`count` polls spread over `tasks` task URLs, each task walking its states."""
    exchanges = []
    for index in range(count):
        task = f"task-{index % tasks}"
        href = f"https://em.example:9398/api/tasks/{task}"
        body = (
            f'<Task xmlns="http://www.veeam.com/ent/v1.0" Type="Task" Href="{href}">\n'
            f"  <TaskId>{task}</TaskId>\n  <State>{STATES[min(index // tasks, 2)]}</State>\n"
            "  <Operation>DeleteJob</Operation>\n</Task>\n"
        )
        request = RecordedRequest.build("GET", href, {"X-RestSvcSessionId": "<redacted:token-1>"})
        response = RecordedResponse.build(
            200, {"Content-Type": "application/xml", "Content-Length": str(len(body))}, body
        )
        exchanges.append(Exchange(request, response, "poll task", ("format:xml",)))
    return exchanges


def _load_and_replay(path: Path) -> int:
    exchanges = load_cassette(path).exchanges
    assert len(exchanges) == int(path.stem.split("-")[1])
    replayer = Replayer(exchanges)
    served = [replayer.handle(exchange.request) for exchange in exchanges]
    assert served == [exchange.response for exchange in exchanges]
    return replayer.probes


def calls_made(function: Callable[[], Any]) -> int:
    count = 0

    def profile(frame: FrameType, event: str, arg: object) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        function()
    finally:
        sys.setprofile(None)
    return count


def _write(tmp_path: Path, count: int) -> Path:
    path = tmp_path / f"synthetic-{count}.yaml"
    path.write_text(render_cassette(synthetic(count)), encoding="utf-8")
    return path


def test_ten_thousand_interactions_load_and_replay(tmp_path: Path) -> None:
    # One lookup per request, none per recorded interaction.
    assert _load_and_replay(_write(tmp_path, 10_000)) == 10_000


def test_cost_is_linear_in_size(tmp_path: Path) -> None:
    small, large = _write(tmp_path, 1_000), _write(tmp_path, 2_000)
    small_calls = calls_made(lambda: _load_and_replay(small))
    large_calls = calls_made(lambda: _load_and_replay(large))
    assert 1.8 <= large_calls / small_calls <= 2.2, (small_calls, large_calls)


def test_the_counter_would_see_quadratic_work() -> None:
    def quadratic(size: int) -> None:
        for _ in range(size):
            for _ in range(size):
                abs(1)

    assert calls_made(lambda: quadratic(200)) / calls_made(lambda: quadratic(100)) > 3.5
