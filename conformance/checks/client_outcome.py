"""Client outcomes: how a client program ended, judged together with its traffic.

Under a fault a good client either copes (`handled`) or stops with a clear error
(`noticed`).  Three endings are failures, each of a named rule: a crash (a traceback
or a signal, EM-CLIENT-011), a hang past the deadline (EM-CLIENT-012), and success
reported for work that did not succeed (EM-CLIENT-013): exit 0 while a task the
client started finished `Success="false"` or was never seen finished at all.
These rules need the exit status and output, which no exchange carries, so they are
judged here from a `ClientEnding` rather than through the registry.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from conformance.checks.client_traffic import ClientTraffic, task_id_of
from conformance.checks.rule import Level, Rule, rule_maker
from conformance.checks.verdict import Outcome, Verdict
from conformance.exchange import Exchange

__all__ = [
    "CRASH_MARKERS",
    "OUTCOME_RULES",
    "Behaviour",
    "ClientEnding",
    "judge_ending",
]

_rule = rule_maker("CLIENT", "client")
EXITS_CLEANLY = _rule(
    11,
    Level.SHOULD,
    "http_response_codes.html",
    "A client that cannot go on stops with an error message and a non-zero exit,"
    " not a traceback or a signal.",
)
FINISHES = _rule(
    12,
    Level.SHOULD,
    "get_tasks_id.html",
    "A client finishes or gives up before the deadline; it never waits without end.",
)
REPORTS_RESULT = _rule(
    13,
    Level.MUST,
    "get_tasks_id.html",
    'A client reports success (exit 0) only when every task it started finished Success="true"'
    " or was cancelled by it.",
)
OUTCOME_RULES: tuple[Rule, ...] = (EXITS_CLEANLY, FINISHES, REPORTS_RESULT)

# What an unhandled error prints in the languages clients are written in: Python's
# traceback, Go's panic, Java's and .NET's uncaught exception headers.
CRASH_MARKERS = (
    "Traceback (most recent call last):",
    "panic: ",
    'Exception in thread "',
    "Unhandled exception.",
)


class Behaviour(enum.Enum):
    """How a client ended, from best to worst."""

    HANDLED = "handled"
    NOTICED = "noticed"
    CRASHED = "crashed"
    HUNG = "hung"
    WRONG_RESULT = "wrong result"


@dataclass(frozen=True)
class ClientEnding:
    """What a client run ended with: its exit status (None: stopped at the deadline)."""

    returncode: int | None
    output: str
    deadline: float


def _crash(ending: ClientEnding) -> str | None:
    if ending.returncode is not None and ending.returncode < 0:
        return f"killed by signal {-ending.returncode}"
    marker = next((m for m in CRASH_MARKERS if m in ending.output), None)
    return None if marker is None else f"exited {ending.returncode} printing {marker.strip()!r}"


def _cancelled(exchanges: Sequence[Exchange]) -> set[str]:
    return {
        task_id
        for e in exchanges
        if e.request.method == "DELETE" and 200 <= e.response.status < 300
        if (task_id := task_id_of(e))
    }


def _unsuccessful(exchanges: Sequence[Exchange]) -> list[str]:
    """Tasks the client started that it never saw succeed nor cancelled, with why."""
    traffic = ClientTraffic.read(tuple(enumerate(exchanges)))
    cancelled = _cancelled(exchanges)
    found = []
    for task_id in traffic.created_by:
        if task_id in cancelled:
            continue
        seen = traffic.finished.get(task_id)
        result = seen[1].result if seen else None
        if seen is None:
            found.append(f"{task_id} never seen Finished")
        elif result is None or result.success is not True:
            found.append(f'{task_id} finished Success="false"')
    return found


def _verdict(rule: Rule, outcome: Outcome, expected: str = "", received: str = "") -> Verdict:
    return Verdict(rule, rule.id.lower(), outcome, (), expected, received)


def _result_verdict(ending: ClientEnding, exchanges: Sequence[Exchange]) -> Verdict:
    failed = _unsuccessful(exchanges)
    if ending.returncode != 0:
        return _verdict(REPORTS_RESULT, Outcome.PASSED, received=f"exited {ending.returncode}")
    if failed:
        expected = "a non-zero exit when a task did not succeed"
        return _verdict(
            REPORTS_RESULT, Outcome.FAILED, expected, "exit 0 with " + "; ".join(failed)
        )
    return _verdict(REPORTS_RESULT, Outcome.PASSED)


def _hung(ending: ClientEnding) -> list[Verdict]:
    why = "the client was stopped at the deadline"
    return [
        _verdict(EXITS_CLEANLY, Outcome.SKIPPED, received=why),
        _verdict(FINISHES, Outcome.FAILED, f"an exit within {ending.deadline:g} s",
                 "still running at the deadline; stopped"),
        _verdict(REPORTS_RESULT, Outcome.SKIPPED, received=why),
    ]  # fmt: skip


def _crashed(crash: str) -> list[Verdict]:
    return [
        _verdict(EXITS_CLEANLY, Outcome.FAILED, "an error message and a non-zero exit", crash),
        _verdict(FINISHES, Outcome.PASSED),
        _verdict(REPORTS_RESULT, Outcome.SKIPPED, received="the client crashed"),
    ]


def judge_ending(
    ending: ClientEnding, exchanges: Sequence[Exchange]
) -> tuple[Behaviour, list[Verdict]]:
    """The client's behaviour and the verdicts of the outcome rules."""
    if ending.returncode is None:
        return Behaviour.HUNG, _hung(ending)
    crash = _crash(ending)
    if crash is not None:
        return Behaviour.CRASHED, _crashed(crash)
    result = _result_verdict(ending, exchanges)
    clean = _verdict(EXITS_CLEANLY, Outcome.PASSED, received=f"exited {ending.returncode}")
    verdicts = [clean, _verdict(FINISHES, Outcome.PASSED), result]
    if result.failed:
        return Behaviour.WRONG_RESULT, verdicts
    return (Behaviour.HANDLED if ending.returncode == 0 else Behaviour.NOTICED), verdicts
