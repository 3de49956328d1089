"""Task lives: every Task body a run saw, grouped by task, drawn as an inline SVG timeline.

A task's life is the states its answers reported (the 202 that created it, then each
poll): Running, OperationFinished, Finished (em-api-facts §5).  Time comes from the
responses' `Date` headers when they differ (a real server polled with back-off shows
its gaps, to the second); when they do not (the embedded emulator lets its clock jump
instead of sleeping), polls are drawn evenly spaced, in order, and the picture says so.
"""

from __future__ import annotations

import email.utils
import html
from collections.abc import Sequence
from dataclasses import dataclass

from conformance.checks.steps import FLOW_TAG, FORMAT_TAG
from conformance.exchange import Exchange
from conformance.model import Task

__all__ = ["MAX_TIMELINES", "Poll", "TaskLife", "task_lives", "timeline_svg"]

# Timelines drawn per report: enough for every task of a full run, bounded for size.
MAX_TIMELINES = 60
_STATES = ("Running", "OperationFinished", "Finished")
_COLOURS = {"Running": "#d9822b", "OperationFinished": "#2b7bd9", "Finished": "#2e9e4f"}
_OTHER = "#8a5cd6"
_WIDTH, _HEIGHT, _LEFT, _RIGHT, _TOP = 640, 92, 118, 16, 14


@dataclass(frozen=True)
class Poll:
    """One answer about a task: which exchange, what state, when (seconds, if known)."""

    index: int
    state: str
    status: int
    at: float | None


@dataclass(frozen=True)
class TaskLife:
    task: str
    where: str  # flow and format
    operation: str
    polls: tuple[Poll, ...]

    @property
    def timed(self) -> bool:
        # Date headers tick in whole seconds: a time axis only helps when most answers
        # fall in seconds of their own, else the dots pile up at a few instants.
        moments = {p.at for p in self.polls if p.at is not None}
        return len(moments) > 1 and len(moments) * 2 >= len(self.polls)

    @property
    def states(self) -> list[str]:
        return list(dict.fromkeys(poll.state for poll in self.polls))


def _moment(exchange: Exchange) -> float | None:
    value = exchange.response.header("Date")
    try:
        return email.utils.parsedate_to_datetime(value).timestamp() if value else None
    except (TypeError, ValueError):
        return None


def _task(exchange: Exchange) -> Task | None:
    response = exchange.response
    if not 200 <= response.status < 300 or b"TaskId" not in response.body:
        return None
    return Task.from_exchange(exchange)


def _where(exchange: Exchange) -> str:
    found = {t.split(":", 1)[0]: t.split(":", 1)[1] for t in exchange.tags if ":" in t}
    return " ".join(filter(None, (found.get(FLOW_TAG, ""), found.get(FORMAT_TAG, ""))))


def task_lives(exchanges: Sequence[Exchange]) -> list[TaskLife]:
    """Every task a Task body answered about, in the order tasks first appeared."""
    found: dict[tuple[str, str], list[tuple[Poll, str]]] = {}
    for index, exchange in enumerate(exchanges):
        task = _task(exchange)
        if task is not None and task.task_id:
            poll = Poll(index, task.state, exchange.response.status, _moment(exchange))
            found.setdefault((_where(exchange), task.task_id), []).append((poll, task.operation))
    return [
        TaskLife(task_id, where, items[-1][1], tuple(poll for poll, _ in items))
        for (where, task_id), items in found.items()
    ]


def _level(state: str) -> int:
    return _STATES.index(state) if state in _STATES else len(_STATES)


def _xs(life: TaskLife) -> list[float]:
    span = _WIDTH - _LEFT - _RIGHT
    if life.timed:
        times = [p.at if p.at is not None else 0.0 for p in life.polls]
        start, total = min(times), (max(times) - min(times)) or 1.0
        return [_LEFT + span * (t - start) / total for t in times]
    steps = max(1, len(life.polls) - 1)
    return [_LEFT + span * i / steps for i in range(len(life.polls))]


def _y(state: str) -> float:
    return _TOP + (len(_STATES) - _level(state)) * 16


def _segment(poll: Poll, x: float, following: tuple[Poll, float] | None) -> str:
    """The band from one answer to the next, and a thin riser where the state changes."""
    if following is None:
        return ""
    colour, y = _COLOURS.get(poll.state, _OTHER), _y(poll.state)
    after, x2 = following
    riser = (
        f'<line x1="{x2:.1f}" y1="{y:.1f}" x2="{x2:.1f}" y2="{_y(after.state):.1f}"'
        ' stroke="#9ca3af" stroke-width="1"/>'
        if after.state != poll.state
        else ""
    )
    return (
        f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{x2:.1f}" y2="{y:.1f}"'
        f' stroke="{colour}" stroke-width="4"/>{riser}'
    )


def _marks(life: TaskLife, xs: list[float]) -> list[str]:
    parts = []
    points = list(zip(life.polls, xs, strict=True))
    for (poll, x), following in zip(points, [*points[1:], None], strict=True):
        colour, y = _COLOURS.get(poll.state, _OTHER), _y(poll.state)
        parts.append(_segment(poll, x, following))
        title = html.escape(f"exchange #{poll.index}: {poll.state} ({poll.status})")
        parts.append(
            f'<circle class="poll" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}">'
            f"<title>{title}</title></circle>"
        )
    return parts


def _gaps(life: TaskLife, xs: list[float]) -> list[str]:
    if not life.timed:
        return []
    times = [p.at or 0.0 for p in life.polls]
    base = _TOP + 4 * 16 + 12
    return [
        f'<text x="{(a + b) / 2:.1f}" y="{base}" font-size="9" text-anchor="middle">'
        f"{t2 - t1:g}s</text>"
        for a, b, t1, t2 in zip(xs, xs[1:], times, times[1:], strict=False)
        if b - a > 18
    ]


def _axis() -> list[str]:
    labels = [*_STATES, "other"]
    return [
        f'<text x="{_LEFT - 8}" y="{_y(state) + 3:.1f}" font-size="10" text-anchor="end">'
        f"{html.escape(state)}</text>"
        for state in labels
    ]


def timeline_svg(life: TaskLife) -> str:
    """One task's life as an inline SVG: a band per state, a dot per answer."""
    xs = _xs(life)
    scale = "time from the Date headers" if life.timed else "polls in order (no time recorded)"
    caption = html.escape(
        f"{life.task} {life.operation} ({life.where}): {len(life.polls)} answer(s),"
        f" {' -> '.join(life.states)}; {scale}"
    )
    body = [*_axis(), *_marks(life, xs), *_gaps(life, xs)]
    return (
        f'<figure class="timeline"><svg xmlns="http://www.w3.org/2000/svg" role="img"'
        f' width="{_WIDTH}" height="{_HEIGHT}" viewBox="0 0 {_WIDTH} {_HEIGHT}">'
        f"<title>{caption}</title>{''.join(body)}</svg><figcaption>{caption}</figcaption></figure>"
    )
