"""Contract drift between two recordings of the same flows (before and after an upgrade).

Interactions are paired by what identifies a step of a flow across runs: the method,
the path with IDs generalised (`/tasks/task-{n}`, `/jobs/{id}`), the query, the
negotiated format and the step's label; repetitions of one step (polls) pair with the
repetition they differ from least, and a surplus repetition of an answer both sides gave
is no drift.  Property-based exchanges (label `generated`) are random each run and are
not compared.  Each pair is compared on what a contract fixes: the status code, the
media type, the set of headers (and the values of those whose value is the contract),
and the body's shape: element, attribute and key paths and JSON value types.  Values
that vary by run (IDs, dates, tokens) are never compared, so two runs of a conformant
server show no drift.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from conformance.cassette.matching import negotiated_format
from conformance.cassette.shape import Shape, body_shape
from conformance.checks.steps import Label
from conformance.exchange import Exchange

__all__ = [
    "Drift",
    "DriftReport",
    "PairKey",
    "compare_recordings",
    "drift_json",
    "drift_markdown",
    "pair_key",
    "pairs",
]

_IDS = (
    (re.compile(r"urn:veeam:[\w-]+:[\w-]+"), "{uid}"),
    (
        re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"),
        "{id}",
    ),
    (re.compile(r"\btask-\d+\b"), "task-{n}"),
    (re.compile(r"(?<=/)\d+(?=/|$)"), "{n}"),
)
# Headers that differ by run or by connection, not by contract.
_VOLATILE_HEADERS = frozenset(
    {"date", "content-length", "connection", "keep-alive", "transfer-encoding", "server", "expires"}
)
# Repetitions of one step beyond which pairing goes by order, not by best match.
_MAX_MATCHING = 2_500
_MAX_REPEAT_CANDIDATES = 50
# Headers whose value, not only their presence, is part of the contract.
_VALUE_HEADERS = ("content-type", "www-authenticate")


def _generalise(text: str) -> str:
    for pattern, replacement in _IDS:
        text = pattern.sub(replacement, text)
    return text


@dataclass(frozen=True, order=True)
class PairKey:
    """What identifies one step of a flow in two recordings."""

    method: str
    path: str
    query: str
    format: str
    label: str

    def describe(self) -> str:
        target = self.path + (f"?{self.query}" if self.query else "")
        return f"{self.method} {target} ({self.format})" + (
            f" [{self.label}]" if self.label else ""
        )


def pair_key(exchange: Exchange) -> PairKey:
    request = exchange.request
    parts = urlsplit(request.url)
    query = "&".join(
        f"{k}={_generalise(v)}" for k, v in sorted(parse_qsl(parts.query, keep_blank_values=True))
    )
    format_ = negotiated_format(request.header("Accept"))
    return PairKey(request.method, _generalise(parts.path), query, format_, exchange.label)


@dataclass(frozen=True)
class Drift:
    """One difference in contract between a pair of interactions (or an unpaired one)."""

    kind: str
    request: str
    where: str
    old: str
    new: str
    old_index: int | None
    new_index: int | None


@dataclass(frozen=True)
class DriftReport:
    old_name: str
    new_name: str
    paired: int
    drifts: tuple[Drift, ...]
    repeats: int = 0  # unpaired repetitions of an answer the other side also gave
    generated: int = 0  # property-based requests: random each run, never paired

    @property
    def drifted(self) -> bool:
        return bool(self.drifts)


def _groups(exchanges: Sequence[Exchange]) -> dict[PairKey, list[int]]:
    grouped: dict[PairKey, list[int]] = {}
    for index, exchange in enumerate(exchanges):
        if exchange.label != Label.GENERATED:
            grouped.setdefault(pair_key(exchange), []).append(index)
    return grouped


def _distance(old: Exchange, new: Exchange) -> int:
    return len(_Comparer(pair_key(old), None, None).compare(old, new))


def _match(
    old: Sequence[Exchange], new: Sequence[Exchange], left: list[int], right: list[int]
) -> list[tuple[int, int]]:
    """Pairs of one step's repetitions.  Polls of a task repeat one request, and how many
    answer Running varies by run, so each OLD repetition takes the NEW one it differs
    from least (earliest on a tie); long runs of repeats pair in order."""
    if len(left) * len(right) > _MAX_MATCHING:
        return list(zip(left, right, strict=False))
    free, matched = list(right), []
    for i in left[: len(right)]:
        j = min(free, key=lambda j: (_distance(old[i], new[j]), j))
        free.remove(j)
        matched.append((i, j))
    return matched


def pairs(
    old: Sequence[Exchange], new: Sequence[Exchange]
) -> list[tuple[PairKey, int | None, int | None]]:
    """Every interaction of OLD and NEW with its partner (None: unpaired), in OLD's order."""
    left, right = _groups(old), _groups(new)
    found: list[tuple[PairKey, int | None, int | None]] = []
    for key in {**left, **right}:
        matched = _match(old, new, left.get(key, []), right.get(key, []))
        found += [(key, i, j) for i, j in matched]
        paired_old, paired_new = {i for i, _ in matched}, {j for _, j in matched}
        found += [(key, i, None) for i in left.get(key, []) if i not in paired_old]
        found += [(key, None, j) for j in right.get(key, []) if j not in paired_new]
    return sorted(found, key=lambda item: (item[1] is None, item[1] or 0, item[2] or 0))


class _Comparer:
    """Compares one pair, collecting drifts that name the pair."""

    def __init__(self, key: PairKey, old_index: int | None, new_index: int | None) -> None:
        self.key, self.old_index, self.new_index = key, old_index, new_index
        self.found: list[Drift] = []

    def add(self, kind: str, where: str, old: str, new: str) -> None:
        self.found.append(
            Drift(kind, self.key.describe(), where, old, new, self.old_index, self.new_index)
        )

    def compare(self, old: Exchange, new: Exchange) -> list[Drift]:
        if old.response.status != new.response.status:
            self.add("status", "status code", str(old.response.status), str(new.response.status))
        if old.response.media_type != new.response.media_type:
            self.add(
                "content type", "Content-Type", old.response.media_type, new.response.media_type
            )
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
        for path in removed:
            if path not in renamed:
                self.add("key removed", path, "present", "absent")
        for path in added:
            if path not in renamed.values():
                self.add("key added", path, "absent", "present")
        for path in sorted(was.keys() & now.keys()):
            if was[path] != now[path]:
                self.add(
                    "type changed", path, "|".join(sorted(was[path])), "|".join(sorted(now[path]))
                )


def _last_step(path: str) -> str:
    return re.split(r"[./]", path)[-1]


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
    """Whether an unpaired interaction repeats an answer the other recording gave too:
    a task polled once more in one run than in the other is no drift.  Which task states
    a poll catches (OperationFinished or not) depends on timing, so an extra poll only
    needs the status of a poll the other recording made."""
    chosen = [others[j] for j in candidates[:_MAX_REPEAT_CANDIDATES]]
    if exchange.label.startswith("poll"):
        return any(other.response.status == exchange.response.status for other in chosen)
    return any(_distance(exchange, other) == 0 for other in chosen)


def compare_recordings(
    old: Sequence[Exchange],
    new: Sequence[Exchange],
    *,
    old_name: str = "OLD",
    new_name: str = "NEW",
) -> DriftReport:
    """Every contract drift from `old` to `new`, pair by pair."""
    left, right = _groups(old), _groups(new)
    drifts: list[Drift] = []
    paired = repeats = 0
    for key, old_index, new_index in pairs(old, new):
        comparer = _Comparer(key, old_index, new_index)
        if old_index is None and new_index is not None:
            if _is_repeat(new[new_index], old, left.get(key, [])):
                repeats += 1
                continue
            comparer.add("only in new", "interaction", "absent", "present")
        elif new_index is None and old_index is not None:
            if _is_repeat(old[old_index], new, right.get(key, [])):
                repeats += 1
                continue
            comparer.add("only in old", "interaction", "present", "absent")
        elif old_index is not None and new_index is not None:
            paired += 1
            comparer.compare(old[old_index], new[new_index])
        drifts.extend(comparer.found)
    generated = sum(e.label == Label.GENERATED for e in (*old, *new))
    return DriftReport(old_name, new_name, paired, tuple(drifts), repeats, generated)


def drift_json(report: DriftReport) -> dict[str, Any]:
    """The report as a JSON-ready mapping."""
    return {
        "old": report.old_name,
        "new": report.new_name,
        "paired": report.paired,
        "repeats_ignored": report.repeats,
        "generated_ignored": report.generated,
        "drifted": report.drifted,
        "drifts": [asdict(drift) for drift in report.drifts],
    }


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ") or " "


def _ignored(report: DriftReport) -> list[str]:
    lines = []
    if report.repeats:
        lines.append(
            f"{report.repeats} extra repetition(s) of an answer both recordings gave (polls) ignored."
        )
    if report.generated:
        lines.append(
            f"{report.generated} property-based (generated) exchange(s) not compared: random each run."
        )
    return lines


def _index(value: int | None) -> str:
    return "-" if value is None else f"#{value}"


def drift_markdown(report: DriftReport) -> str:
    """The report as a Markdown document: one table row per drift."""
    lines = [f"# Contract drift: {report.old_name} -> {report.new_name}", ""]
    if not report.drifted:
        lines.append(f"No drift: {report.paired} interactions paired, all alike in contract.")
        lines += _ignored(report)
        return "\n".join(lines) + "\n"
    kinds = Counter(drift.kind for drift in report.drifts)
    summary = ", ".join(f"{count} {kind}" for kind, count in kinds.most_common())
    lines.append(
        f"{len(report.drifts)} drift(s) over {report.paired} paired interactions: {summary}."
    )
    lines += _ignored(report)
    lines += [
        "",
        "| OLD | NEW | request | drift | where | old | new |",
        "|---|---|---|---|---|---|---|",
    ]
    for drift in report.drifts:
        cells = (
            _index(drift.old_index), _index(drift.new_index), drift.request, drift.kind,
            drift.where, drift.old, drift.new,
        )  # fmt: skip
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    return "\n".join(lines) + "\n"
