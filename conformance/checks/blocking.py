"""Blocked verdicts: one fault, one finding.

A server that breaks one rule early (a byte-order mark before its JSON, a Content-Type
naming the other format, a logon answering 200) would otherwise fail every later rule
whose check read the same exchange.  After judging, such verdicts are re-labelled
*blocked by* the rule at the root, so a reader sees what to fix first:

- a failure blamed on an exchange that already broke a *root* rule ranked above its
  own is blocked by that root (roots are the wire-level rules below: they decide
  whether a body can be taken at its word at all);
- a failure receiving what an earlier rule's failure received, on the same
  exchanges, is blocked by it;
- a check that skipped because a step of its flow run is missing (the flow stopped
  short) is blocked by the last rule that failed on an exchange of that run;
- a check that matched nothing only because its status filter left out an exchange
  that failed another rule (a logon answering 200 hides every "the 201 logon ..."
  rule) is blocked by that rule;
- a failure of a rule that restates another through a second engine (schemathesis's
  schema check restates EM-REPR-001) on an exchange where that rule failed is blocked
  by it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from conformance.checks.rule import Level
from conformance.checks.scope import Each
from conformance.checks.verdict import MISSING_STEP, Outcome, Verdict
from conformance.exchange import Exchange

__all__ = ["ROOTS", "attribute", "blocker_of_unmatched", "failures_by_exchange"]

# Most fundamental first.  A body whose Content-Type lies, that starts with a BOM or
# whose length is wrong cannot be taken at its word; one in the wrong format, or with
# property names in the wrong case, cannot be compared with what the schemas say; a
# 5xx answer says the server failed, so it tells nothing of the contract's other rules.
ROOTS = (
    "EM-NEG-004",
    "EM-NEG-006",
    "EM-NEG-005",
    "EM-NEG-001",
    "EM-NEG-002",
    "EM-NEG-003",
    "EM-NEG-007",
    "EM-ERR-007",
)
_UNRANKED = len(ROOTS)
# Rules that judge what another rule judges, with another engine: EM-PROP-001 fails
# when schemathesis finds a generated answer outside specs/, as EM-REPR-001 does.
_RESTATES = {"EM-PROP-001": ("EM-REPR-001",)}


def _rank(rule_id: str) -> int:
    return ROOTS.index(rule_id) if rule_id in ROOTS else _UNRANKED


def _root_of(verdict: Verdict) -> str:
    return verdict.blocked_by or verdict.rule.id


def _counts(verdict: Verdict) -> bool:
    """Whether a verdict is a failure that can block others (INFO rules never fail a target)."""
    return verdict.outcome in (Outcome.FAILED, Outcome.BLOCKED) and (
        verdict.rule.level is not Level.INFO
    )


def _failed_at(verdicts: Iterable[Verdict], roots_only: bool) -> dict[int, list[str]]:
    """For each exchange index, the root rules that failed there, best first."""
    found: dict[int, list[str]] = {}
    for verdict in verdicts:
        if verdict.outcome is Outcome.PASSED or not _counts(verdict):  # most: the cheap test
            continue
        root = _root_of(verdict)
        if not roots_only or root in ROOTS:
            for index in verdict.exchanges:
                found.setdefault(index, []).append(root)
    return {index: sorted(dict.fromkeys(rules), key=_rank) for index, rules in found.items()}


def _blocked(verdict: Verdict, root: str) -> Verdict:
    return dataclasses.replace(verdict, outcome=Outcome.BLOCKED, blocked_by=root)


def _block_failure(verdict: Verdict, roots_at: dict[int, list[str]]) -> Verdict:
    if verdict.outcome is not Outcome.FAILED:
        return verdict
    own = _rank(verdict.rule.id)
    above = [r for i in verdict.exchanges for r in roots_at.get(i, []) if _rank(r) < own]
    if not above:
        return verdict
    return _blocked(verdict, min(above, key=_rank))


def _block_skip(verdict: Verdict, failed_at: dict[int, list[str]]) -> Verdict:
    if verdict.outcome is not Outcome.SKIPPED or not verdict.received.startswith(MISSING_STEP):
        return verdict
    # The failure nearest before the run stopped short is the likeliest reason it did.
    for index in sorted(verdict.exchanges, reverse=True):
        others = [rule for rule in failed_at.get(index, []) if rule != verdict.rule.id]
        if others:
            return _blocked(verdict, others[0])
    return verdict


def _evidence(verdict: Verdict) -> tuple[object, ...]:
    return (verdict.exchanges, verdict.received)


def _block_repeats(verdicts: list[Verdict]) -> list[Verdict]:
    """A failure with the very evidence of an earlier rule's failure (the same exchanges,
    the same thing Received) is that rule's finding again: a later check needed what the
    earlier one judges (a status, a refusal) before it could judge its own aspect."""
    owners: dict[tuple[object, ...], Verdict] = {}
    settled = []
    for verdict in verdicts:
        owner = owners.setdefault(_evidence(verdict), verdict) if verdict.failed else verdict
        if owner is not verdict and owner.rule.id != verdict.rule.id and _counts(owner):
            verdict = _blocked(verdict, _root_of(owner))
        settled.append(verdict)
    return settled


def _block_restated(verdict: Verdict, settled: Sequence[Verdict]) -> Verdict:
    restated = _RESTATES.get(verdict.rule.id, ())
    if not verdict.failed or not restated:
        return verdict
    at = set(verdict.exchanges)
    for other in settled:
        if other.rule.id in restated and _counts(other) and at & set(other.exchanges):
            return _blocked(verdict, _root_of(other))
    return verdict


def attribute(verdicts: Sequence[Verdict]) -> list[Verdict]:
    """The verdicts with the failures and skips caused by another rule's failure blocked.

    `verdicts` come in catalogue order, so of two rules failing with the same evidence
    the first registered keeps the finding."""
    roots_at = _failed_at(verdicts, roots_only=True)
    settled = _block_repeats([_block_failure(verdict, roots_at) for verdict in verdicts])
    failed_at = _failed_at(settled, roots_only=False)
    settled = [_block_restated(verdict, settled) for verdict in settled]
    return [_block_skip(verdict, failed_at) for verdict in settled]


def blocker_of_unmatched(
    scope: object, exchanges: Sequence[Exchange], failed_at: dict[int, list[str]]
) -> str:
    """The rule that kept an unmatched single-exchange check from matching, or ''."""
    if not isinstance(scope, Each) or scope.status is None:
        return ""
    relaxed = dataclasses.replace(scope, status=None)
    causes = [  # only where something failed, in the recording's order
        rule
        for index in sorted(failed_at)
        if relaxed.matches(exchanges[index])
        for rule in failed_at[index]
    ]
    return min(causes, key=_rank) if causes else ""


def failures_by_exchange(verdicts: Iterable[Verdict]) -> dict[int, list[str]]:
    """For each exchange index, the rules (at their roots) that failed there, best first."""
    return _failed_at(verdicts, roots_only=False)
