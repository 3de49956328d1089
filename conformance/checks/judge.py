"""`judge`: run the registered checks over any sequence of recorded exchanges, offline."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace

from conformance._collector import collector_paused
from conformance.checks.blocking import attribute, blocker_of_unmatched, failures_by_exchange
from conformance.checks.registry import REGISTRY, Check, Registry
from conformance.checks.rule import Level
from conformance.checks.scope import Subject
from conformance.checks.verdict import Outcome, Verdict
from conformance.exchange import Exchange
from conformance.views import shared_views

__all__ = ["judge", "judge_exchange"]


def _unmatched(check: Check) -> Verdict:
    reason = f"no exchange in the recording matched ({check.scope.describe()})"
    return Verdict(check.rule, check.name, Outcome.SKIPPED, (), "", reason)


def _at(level: Level, verdict: Verdict) -> Verdict:
    """A failure capped below the judged level (an inferred constraint of a MUST rule in a
    `--level must` run) is recorded like an INFO rule's: it never fails the target."""
    if verdict.failed and not level.includes(verdict.level):
        return replace(verdict, cap=Level.INFO)
    return verdict


def judge(
    exchanges: Sequence[Exchange],
    *,
    level: Level | str = Level.SHOULD,
    rules: Collection[str] | None = None,
    registry: Registry | None = None,
    blocking: bool = True,
) -> list[Verdict]:
    """Every verdict of every check at `level` (MUST, or MUST and SHOULD; INFO always).

    A check whose scope selects nothing yields one skipped verdict, so every rule
    judged appears in the result; `rules` restricts judging to those rule IDs.  What
    could not be judged because of another rule's failure is blocked by that rule
    (`blocking=False` keeps each check's own outcome, to test a check alone).
    """
    chosen = Level.parse(level) if isinstance(level, str) else level
    # Each body parsed, validated and read once, not once per check; the cyclic collector
    # paused, as its passes over a large recording's objects grow with the recording.
    with shared_views(), collector_paused():
        return _judge(exchanges, chosen, rules, registry or REGISTRY, blocking)


def _judge(
    exchanges: Sequence[Exchange],
    chosen: Level,
    rules: Collection[str] | None,
    registry: Registry,
    blocking: bool,
) -> list[Verdict]:
    verdicts: list[Verdict] = []
    unmatched: dict[int, Check] = {}
    for check in registry.checks(chosen):
        if rules is not None and check.rule.id not in rules:
            continue
        judged = [
            _at(chosen, verdict) if verdict.outcome is Outcome.FAILED else verdict
            for verdict in map(check, check.subjects(exchanges))
        ]
        if not judged:
            unmatched[len(verdicts)] = check
        verdicts.extend(judged or [_unmatched(check)])
    if not blocking:
        return verdicts
    return _block_unmatched(attribute(verdicts), unmatched, exchanges)


def _block_unmatched(
    verdicts: list[Verdict], unmatched: dict[int, Check], exchanges: Sequence[Exchange]
) -> list[Verdict]:
    """Unmatched checks whose status filter left out an exchange that broke another rule
    are blocked by it: a logon answering 200 is why no "201 logon" step was there."""
    failed_at = failures_by_exchange(verdicts)
    for position, check in unmatched.items():
        root = blocker_of_unmatched(check.scope, exchanges, failed_at)
        if root and root != check.rule.id:
            reason = f"no exchange with the status this check judges; {root} failed there"
            verdicts[position] = replace(
                verdicts[position], outcome=Outcome.BLOCKED, blocked_by=root, received=reason
            )
    return verdicts


def judge_exchange(
    exchange: Exchange, *, level: Level | str = Level.SHOULD, registry: Registry | None = None
) -> list[Verdict]:
    """The verdicts of every single-exchange check that applies to one exchange: how a
    front end judging responses one at a time (a schemathesis check) reuses the catalogue."""
    chosen = Level.parse(level) if isinstance(level, str) else level
    applicable = (registry or REGISTRY).applicable(exchange)
    subject = Subject(((0, exchange),))
    with shared_views():
        return [
            _at(chosen, check(subject)) for check in applicable if chosen.includes(check.rule.level)
        ]
