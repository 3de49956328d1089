"""Findings: the changes between two recordings grouped by what they mean for a client.

A comparison yields one `Drift` per difference per exchange; an upgrade that renames
every JSON key yields hundreds.  A finding is one systematic change with its count and
a few examples ("JSON property names changed from PascalCase to camelCase in 41 bodies:
TaskId -> taskId, ..."), and an impact class:

- breaking: a client written against OLD can fail against NEW (a status code or media
  type changed, a key renamed or removed, a type changed, an enumerated value changed
  such as a task state, a logon version refused, a header removed);
- compatible: NEW only adds (a key, a header, a link relation, a version);
- noise: nothing a contract fixes (timing, the order of steps, a flow that took another
  path because of a breaking change already reported for it).
"""

from __future__ import annotations

import enum
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

__all__ = ["EXAMPLES", "Divergence", "Drift", "Finding", "Impact", "group"]

# Examples quoted per finding; the JSON output keeps every drift.
EXAMPLES = 3


class Impact(enum.Enum):
    BREAKING = "breaking"
    COMPATIBLE = "compatible"
    NOISE = "noise"


@dataclass(frozen=True)
class Drift:
    """One difference between a pair of exchanges (or an exchange with no partner)."""

    kind: str
    request: str
    where: str
    old: str
    new: str
    old_index: int | None
    new_index: int | None
    step: str = ""  # flow and format, e.g. "delete-and-poll json"


@dataclass(frozen=True)
class Finding:
    """One systematic change: its impact, a sentence, how often, and a few examples."""

    impact: Impact
    kind: str
    summary: str
    count: int
    examples: tuple[str, ...]
    drifts: tuple[Drift, ...]

    @property
    def steps(self) -> frozenset[str]:
        return frozenset(d.step for d in self.drifts if d.step)


def _style(name: str) -> str:
    if name[:1].isupper():
        return "PascalCase"
    return "camelCase" if name[:1].islower() else "other"


def _last(path: str) -> str:
    for separator in "./":
        path = path.rsplit(separator, 1)[-1]
    return path.removesuffix("[]").removeprefix("@")


def _exchanges(drifts: Sequence[Drift]) -> int:
    return len({(d.old_index, d.new_index) for d in drifts})


def _distinct(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _examples(values: Iterable[str], total: int | None = None) -> str:
    shown = _distinct(values)
    more = ", ..." if len(shown) > EXAMPLES or (total or 0) > EXAMPLES else ""
    return ", ".join(shown[:EXAMPLES]) + more


def _status(drifts: Sequence[Drift]) -> str:
    first, n = drifts[0], _exchanges(drifts)
    version = re.search(r"sessionMngr/?\?v=([\w.]+)", first.request)
    if version and first.old.startswith("2") and first.new == "401":
        return f"API version {version.group(1)} no longer accepted at logon: {first.old} -> 401"
    return f"Status code changed {first.old} -> {first.new} in {n} response(s)"


def _media(drifts: Sequence[Drift]) -> str:
    first, n = drifts[0], _exchanges(drifts)
    asked = " (JSON asked for, XML returned)" if "json" in first.old and "xml" in first.new else ""
    return f"Media type changed {first.old} -> {first.new} in {n} response(s){asked}"


def _renamed(drifts: Sequence[Drift]) -> str:
    first, n = drifts[0], _exchanges(drifts)
    was, now = _style(_last(first.old)), _style(_last(first.new))
    names = _examples(f"{_last(d.old)} -> {_last(d.new)}" for d in drifts)
    return f"JSON property names changed from {was} to {now} in {n} bodies: {names}"


def _keyed(text: str) -> Callable[[Sequence[Drift]], str]:
    def summary(drifts: Sequence[Drift]) -> str:
        first = drifts[0]
        paths = _examples(d.where for d in drifts)
        wrappers = _examples(f"{{{_last(d.new if d.new != '$' else d.old)}: ...}}" for d in drifts)
        return text.format(
            name=_last(first.where), where=first.where, old=first.old, new=first.new,
            n=_exchanges(drifts), paths=paths, examples=wrappers,
        )  # fmt: skip

    return summary


def _backwards(drifts: Sequence[Drift]) -> str:
    """One finding however many states a task fell back from: the fault is the order, and
    how many intermediate states a poll catches is timing."""
    moves = Counter(f"{d.old} -> {d.new}" for d in drifts)
    listed = ", ".join(f"{move} ({count})" for move, count in moves.most_common())
    return f"Task state went backwards in {_exchanges(drifts)} answer(s): {listed}"


@dataclass(frozen=True)
class _Rule:
    impact: Impact
    key: Callable[[Drift], tuple[str, ...]]
    summary: Callable[[Sequence[Drift]], str]


_RULES: dict[str, _Rule] = {
    "status": _Rule(Impact.BREAKING, lambda d: (d.old, d.new), _status),
    "content type": _Rule(Impact.BREAKING, lambda d: (d.old, d.new), _media),
    "header removed": _Rule(
        Impact.BREAKING, lambda d: (d.where.lower(),), _keyed("Header {where} no longer sent in {n} response(s)")
    ),
    "header added": _Rule(
        Impact.COMPATIBLE, lambda d: (d.where.lower(),), _keyed("Header {where} added in {n} response(s)")
    ),
    "header value": _Rule(
        Impact.BREAKING, lambda d: (d.where.lower(), d.old, d.new),
        _keyed("Header {where} changed from {old!r} to {new!r} in {n} response(s)"),
    ),
    "key renamed": _Rule(
        Impact.BREAKING, lambda d: (_style(_last(d.old)), _style(_last(d.new))), _renamed
    ),
    "key removed": _Rule(
        Impact.BREAKING, lambda d: (_last(d.where),), _keyed("Key {name} gone from {n} bodies: {paths}")
    ),
    "key added": _Rule(
        Impact.COMPATIBLE, lambda d: (_last(d.where),), _keyed("Key {name} added in {n} bodies: {paths}")
    ),
    "namespace changed": _Rule(
        Impact.BREAKING, lambda d: (d.old, d.new),
        _keyed("XML namespace changed from {old} to {new} in {n} bodies: {paths}"),
    ),
    "root wrapped": _Rule(
        Impact.BREAKING, lambda d: (),
        _keyed("JSON bodies wrapped in their root element in {n} bodies: {examples}"),
    ),
    "root unwrapped": _Rule(
        Impact.BREAKING, lambda d: (),
        _keyed("JSON bodies no longer wrapped in their root element in {n} bodies: {examples}"),
    ),
    "link origin": _Rule(
        Impact.BREAKING, lambda d: (d.new,),
        _keyed("Links (Href) name {new} instead of {old} in {n} response(s)"),
    ),
    "value gone": _Rule(
        Impact.BREAKING, lambda d: (_last(d.where), d.old),
        _keyed("{name} {old} never seen any more, though NEW answered {n} times with a {name}: {paths}"),
    ),
    "state order": _Rule(Impact.BREAKING, lambda d: (), _backwards),
    "collection emptied": _Rule(
        Impact.NOISE, lambda d: (_last(d.where),),
        _keyed("No {name} in {n} collection(s) this time (empty, not removed): {paths}"),
    ),
    "collection filled": _Rule(
        Impact.NOISE, lambda d: (_last(d.where),),
        _keyed("{name} in {n} collection(s) that were empty in OLD: {paths}"),
    ),
    "type changed": _Rule(
        Impact.BREAKING, lambda d: (_last(d.where), d.old, d.new),
        _keyed("Type of {name} changed from {old} to {new} in {n} bodies: {paths}"),
    ),
    "body": _Rule(
        Impact.BREAKING, lambda d: (d.old, d.new), _keyed("Body changed from {old} to {new} in {n} response(s)")
    ),
    "value changed": _Rule(
        Impact.BREAKING, lambda d: (_last(d.where), d.old, d.new),
        _keyed("Values of {name} changed: {old} no longer seen, {new} instead, in {n} bodies: {paths}"),
    ),
    "value added": _Rule(
        Impact.COMPATIBLE, lambda d: (_last(d.where), d.new),
        _keyed("New value(s) of {name}: {new}, in {n} bodies: {paths}"),
    ),
    "value not seen": _Rule(
        Impact.NOISE, lambda d: (_last(d.where), d.old),
        _keyed("Value(s) of {name} not seen in NEW: {old} (NEW did not reach those answers): {paths}"),
    ),
    "generated status": _Rule(
        Impact.BREAKING, lambda d: (d.where,),
        _keyed("Generated requests to {where}: status classes {old} -> {new}"),
    ),
}  # fmt: skip

_UNPAIRED = ("only in old", "only in new")
# Kinds that depend on the server's state, not only on its contract.
_STATEFUL = ("status", "generated status")


def _finding(kind: str, drifts: Sequence[Drift]) -> Finding:
    rule = _RULES[kind]
    examples = _distinct(f"{d.request} ({_indices(d)})" for d in drifts)[:EXAMPLES]
    return Finding(
        rule.impact, kind, rule.summary(drifts), _exchanges(drifts), examples, tuple(drifts)
    )


def _indices(drift: Drift) -> str:
    old = "-" if drift.old_index is None else f"#{drift.old_index}"
    new = "-" if drift.new_index is None else f"#{drift.new_index}"
    return f"OLD {old}, NEW {new}"


@dataclass(frozen=True)
class Divergence:
    """Where the flows first took another path, as an index into OLD and into NEW.  After
    it the server's state may differ (a job not deleted, a clone not used), so a status
    code that differs there may follow from a change reported earlier."""

    old: int | None = None
    new: int | None = None

    def after(self, drifts: Sequence[Drift]) -> bool:
        return bool(drifts) and all(
            _later(d.old_index, self.old) or _later(d.new_index, self.new) for d in drifts
        )


def _later(index: int | None, first: int | None) -> bool:
    return index is not None and first is not None and index > first


def _demoted(finding: Finding, why: str) -> Finding:
    return replace(finding, impact=Impact.NOISE, summary=f"{finding.summary} ({why})")


def _unpaired(
    kind: str,
    drifts: Sequence[Drift],
    explained: frozenset[str],
    divergence: Divergence,
    changed_state: Divergence,
) -> Finding:
    side = "OLD" if kind == "only in old" else "NEW"
    step = drifts[0].step or "steps"
    labels = _examples((d.request.rsplit("[", 1)[-1].rstrip("]") for d in drifts), len(drifts))
    summary = f"{len(drifts)} step(s) of {step} only in {side}: {labels}"
    examples = _distinct(f"{d.request} ({_indices(d)})" for d in drifts)[:EXAMPLES]
    finding = Finding(Impact.BREAKING, kind, summary, len(drifts), examples, tuple(drifts))
    if step in explained:
        return _demoted(finding, "the flow took another path after a breaking change in it")
    if divergence.after(drifts) or changed_state.after(drifts):
        return _demoted(finding, "after another flow took another path")
    return finding


def _generated_follow(findings: list[Finding]) -> list[Finding]:
    """Generated requests take their IDs from earlier answers (a session ID from the logon
    body), so when the flows show a breaking change, theirs may follow from it."""
    if not any(f.impact is Impact.BREAKING and f.kind != "generated status" for f in findings):
        return findings
    why = "generated inputs come from earlier answers: may follow from above"
    return [_demoted(f, why) if f.kind == "generated status" else f for f in findings]


def group(drifts: Iterable[Drift], divergence: Divergence | None = None) -> list[Finding]:
    """Findings from drifts, breaking first, each group in order of first appearance."""
    grouped: dict[tuple[str, ...], list[Drift]] = {}
    for drift in drifts:
        rule = _RULES.get(drift.kind)
        key = (drift.kind, drift.step) if rule is None else (drift.kind, *rule.key(drift))
        grouped.setdefault(key, []).append(drift)
    divergence = divergence or Divergence()
    findings = []
    for (kind, *_), items in grouped.items():
        if kind in _UNPAIRED:
            continue
        finding = _finding(kind, items)
        if kind in _STATEFUL and divergence.after(items):
            finding = _demoted(finding, "after the flows took another path: may follow from above")
        findings.append(finding)
    findings = _generated_follow(findings)
    explained = frozenset(s for f in findings if f.impact is Impact.BREAKING for s in f.steps)
    # A breaking status change (a job not deleted) changes what later flows find.
    changed = [
        d for f in findings if f.impact is Impact.BREAKING and f.kind == "status" for d in f.drifts
    ]
    first = min(changed, key=lambda d: d.old_index or 0, default=None)
    changed_state = Divergence(first.old_index, first.new_index) if first else Divergence()
    findings += [
        _unpaired(k[0], g, explained, divergence, changed_state)
        for k, g in grouped.items()
        if k[0] in _UNPAIRED
    ]
    order = list(Impact)
    return sorted(findings, key=lambda f: order.index(f.impact))
