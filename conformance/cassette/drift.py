"""Contract drift between two recordings of the same flows (before and after an upgrade).

Steps pair by what they are (`pairing`); each pair is compared on what a contract
fixes: the status code, the media type, the set of headers (and the values of those
whose value is the contract) and the body's shape (element, attribute and key paths,
JSON value types).  When the status or the media type changed, the rest of the answer
is a different kind of answer, so it is not compared piece by piece.  Values that vary
by run (IDs, dates, tokens) are never compared; the vocabularies of enumerated keys (a
task's `State`, link `Rel`s, versions) are compared over the whole recording, since
which states a poll catches depends on timing.  Generated (property-based) exchanges
are compared by operation and status class.  The drifts are then grouped into
findings (`findings`), each with its impact for a client.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from conformance.cassette.findings import Divergence, Drift, Finding, Impact, group
from conformance.cassette.pairing import PairKey, pair_key, step_groups
from conformance.cassette.pairing import pairs as pair_steps
from conformance.cassette.shape import Shape, body_shape
from conformance.cassette.vocabulary import generated_drifts, vocabulary_drifts
from conformance.checks.steps import Label
from conformance.exchange import Exchange

__all__ = [
    "FAIL_ON",
    "Drift",
    "DriftReport",
    "PairKey",
    "compare_recordings",
    "pair_key",
    "pairs",
]

# Headers that differ by run or by connection, not by contract.
_VOLATILE_HEADERS = frozenset(
    {"date", "content-length", "connection", "keep-alive", "transfer-encoding", "server", "expires"}
)
_MAX_REPEAT_CANDIDATES = 50
# Headers whose value, not only their presence, is part of the contract.
_VALUE_HEADERS = ("content-type", "www-authenticate")
# Which impacts fail the diff for each --fail-on choice.
FAIL_ON: dict[str, frozenset[Impact]] = {
    "breaking": frozenset({Impact.BREAKING}),
    "compatible": frozenset({Impact.BREAKING, Impact.COMPATIBLE}),
    "any": frozenset(Impact),
}


@dataclass(frozen=True)
class DriftReport:
    old_name: str
    new_name: str
    paired: int
    drifts: tuple[Drift, ...]
    repeats: int = 0  # unpaired repetitions of an answer the other side also gave
    generated: int = 0  # property-based exchanges, compared by operation and status class
    findings: tuple[Finding, ...] = ()
    # Generated operations whose random inputs reached other status classes, all of
    # which both recordings saw: no finding, but listed so nothing is dropped silently.
    varied: tuple[str, ...] = ()

    @property
    def drifted(self) -> bool:
        return bool(self.findings)

    def count(self, impact: Impact) -> int:
        return sum(finding.impact is impact for finding in self.findings)

    def exit_code(self, fail_on: str = "breaking") -> int:
        """1 when a finding of an impact `fail_on` names exists, else 0."""
        return int(any(f.impact in FAIL_ON[fail_on] for f in self.findings))


def _step(key: PairKey) -> str:
    return f"{key.flow or 'steps'} {key.format}"


def _distance(old: Exchange, new: Exchange) -> int:
    return len(_Comparer(pair_key(old), None, None).compare(old, new))


def pairs(
    old: Sequence[Exchange], new: Sequence[Exchange]
) -> list[tuple[PairKey, int | None, int | None]]:
    """Every flow step of OLD and NEW with its partner (None: unpaired), in OLD's order."""
    return pair_steps(old, new, _distance)


class _Comparer:
    """Compares one pair, collecting drifts that name the pair."""

    def __init__(self, key: PairKey, old_index: int | None, new_index: int | None) -> None:
        self.key, self.old_index, self.new_index = key, old_index, new_index
        self.found: list[Drift] = []

    def add(self, kind: str, where: str, old: str, new: str) -> None:
        self.found.append(
            Drift(
                kind, self.key.describe(), where, old, new, self.old_index, self.new_index,
                _step(self.key),
            )
        )  # fmt: skip

    def compare(self, old: Exchange, new: Exchange) -> list[Drift]:
        was, now = old.response, new.response
        if was.status != now.status:
            self.add("status", "status code", str(was.status), str(now.status))
        elif was.media_type != now.media_type:
            self.add("content type", "Content-Type", was.media_type, now.media_type)
        else:
            self._headers(old, new)
            self._bodies(old, new)
        return self.found

    def _headers(self, old: Exchange, new: Exchange) -> None:
        before = {name.lower(): name for name, _ in old.response.headers}
        after = {name.lower(): name for name, _ in new.response.headers}
        for name in sorted(before.keys() - after.keys() - _VOLATILE_HEADERS):
            self.add("header removed", before[name], "present", "absent")
        for name in sorted(after.keys() - before.keys() - _VOLATILE_HEADERS):
            self.add("header added", after[name], "absent", "present")
        for name in _VALUE_HEADERS:
            was, now = old.response.header(name), new.response.header(name)
            if was is not None and now is not None and was != now:
                self.add("header value", before[name], was, now)

    def _bodies(self, old: Exchange, new: Exchange) -> None:
        was = body_shape(old.response.body, old.response.media_type)
        now = body_shape(new.response.body, new.response.media_type)
        if (was is None) != (now is None):
            self.add("body", "body", _describe_body(old, was), _describe_body(new, now))
        elif was is not None and now is not None:
            self._shapes(was, now)

    def _shapes(self, was: Shape, now: Shape) -> None:
        removed, added = sorted(was.keys() - now.keys()), sorted(now.keys() - was.keys())
        renamed = _renames(removed, added)
        for old_path, new_path in renamed.items():
            # `$.Links[]` and `$.Result.Success` move with a renamed parent: one entry each.
            if _last_step(old_path) != _last_step(new_path) and not old_path.endswith("[]"):
                self.add("key renamed", old_path, old_path, new_path)
        for path in _topmost(p for p in removed if p not in renamed):
            kind = "collection emptied" if _emptied(path, now) else "key removed"
            self.add(kind, path, "present", "absent")
        for path in _topmost(p for p in added if p not in renamed.values()):
            kind = "collection filled" if _emptied(path, was) else "key added"
            self.add(kind, path, "absent", "present")
        for path in sorted(was.keys() & now.keys()):
            if was[path] != now[path]:
                self.add(
                    "type changed", path, "|".join(sorted(was[path])), "|".join(sorted(now[path]))
                )


def _last_step(path: str) -> str:
    return re.split(r"[./]", path)[-1]


def _parent(path: str) -> str:
    # A step may carry a namespace, `{http://www.veeam.com/ent/v1.1}Task`, dots and all.
    return re.sub(r"(\[\]|[./](\{[^}]*\})?[^./\[{]*)$", "", path)


def _emptied(path: str, other: Shape) -> bool:
    """Whether `path` is missing from `other` only because its parent there is an empty
    list or element: a job list with no jobs this time says nothing about the contract."""
    parent = _parent(path)
    return parent in other and not any(_parent(p) == parent for p in other if p != parent)


def _topmost(paths: Iterable[str]) -> list[str]:
    """Paths whose parent is not among them: a removed element, not also its children."""
    chosen = sorted(paths)
    kept = set(chosen)
    return [path for path in chosen if _parent(path) not in kept]


def _renames(removed: list[str], added: list[str]) -> dict[str, str]:
    """Removed paths whose new spelling differs only in letter case (EM 13's camelCase)."""
    by_folded: dict[str, str] = {path.casefold(): path for path in added}
    return {path: by_folded[path.casefold()] for path in removed if path.casefold() in by_folded}


def _describe_body(exchange: Exchange, shape: Shape | None) -> str:
    if not exchange.response.body.strip():
        return "empty"
    if shape is None:
        return f"unparseable {exchange.response.media_type or 'body'}"
    return f"{exchange.response.media_type or 'body'} document"


def _is_repeat(exchange: Exchange, others: Sequence[Exchange], candidates: list[int]) -> bool:
    """Whether an unpaired step repeats an answer the other recording gave too: a task
    polled once more in one run than in the other is no drift.  Which task states a
    poll catches (OperationFinished or not) depends on timing, so an extra poll only
    needs the status of a poll the other recording made."""
    chosen = [others[j] for j in candidates[:_MAX_REPEAT_CANDIDATES]]
    if "poll" in exchange.label:
        return any(other.response.status == exchange.response.status for other in chosen)
    return any(_distance(exchange, other) == 0 for other in chosen)


def _before(matched: list[tuple[int, int]], limit: int) -> int:
    """The greatest second index among pairs whose first index is below `limit`, or -1;
    `matched` is sorted, with running maxima of the second index."""
    position = bisect.bisect_left(matched, (limit, -1))
    return matched[position - 1][1] if position else -1


def _running_max(found: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    result, best = [], -1
    for first, second in sorted(found):
        best = max(best, second)
        result.append((first, best))
    return result


def _divergence(
    matched: Sequence[tuple[int, int]], unpaired: Sequence[tuple[int | None, int | None]]
) -> Divergence:
    """The first unpaired step, placed in both recordings: just after the last pair
    before it in the other one."""
    by_old, by_new = _running_max(matched), _running_max((j, i) for i, j in matched)
    candidates = [
        (i, 1 + _before(by_old, i)) if i is not None else (1 + _before(by_new, j or 0), j or 0)
        for i, j in unpaired
    ]
    if not candidates:
        return Divergence()
    return Divergence(*min(candidates, key=sum))


def _steps(
    old: Sequence[Exchange], new: Sequence[Exchange]
) -> tuple[list[Drift], int, int, Divergence]:
    """Drifts of every flow step, the number of pairs and of repeats ignored, and where
    the flows first took another path."""
    left, right = step_groups(old), step_groups(new)
    drifts: list[Drift] = []
    paired = repeats = 0
    unpaired: list[tuple[int | None, int | None]] = []
    found = pairs(old, new)
    for key, old_index, new_index in found:
        comparer = _Comparer(key, old_index, new_index)
        if old_index is not None and new_index is not None:
            paired += 1
            comparer.compare(old[old_index], new[new_index])
        elif new_index is not None:
            if _is_repeat(new[new_index], old, left.get(key, [])):
                repeats += 1
                continue
            comparer.add("only in new", "interaction", "absent", "present")
            unpaired.append((None, new_index))
        elif old_index is not None:
            if _is_repeat(old[old_index], new, right.get(key, [])):
                repeats += 1
                continue
            comparer.add("only in old", "interaction", "present", "absent")
            unpaired.append((old_index, None))
        drifts.extend(comparer.found)
    matched = [(i, j) for _, i, j in found if i is not None and j is not None]
    return drifts, paired, repeats, _divergence(matched, unpaired)


def compare_recordings(
    old: Sequence[Exchange],
    new: Sequence[Exchange],
    *,
    old_name: str = "OLD",
    new_name: str = "NEW",
) -> DriftReport:
    """Every contract drift from `old` to `new`, and the findings they add up to."""
    drifts, paired, repeats, divergence = _steps(old, new)
    drifts += vocabulary_drifts(old, new, _step_of)
    changed, varied = generated_drifts(old, new)
    drifts += changed
    generated = sum(e.label == Label.GENERATED for e in (*old, *new))
    return DriftReport(
        old_name,
        new_name,
        paired,
        tuple(drifts),
        repeats,
        generated,
        tuple(group(drifts, divergence)),
        tuple(varied),
    )


def _step_of(exchange: Exchange) -> str:
    return _step(pair_key(exchange))
