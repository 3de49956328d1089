"""Pairing two recordings of the same flows: which step of OLD is which step of NEW.

A step is what it does, not the IDs it happened to use: the flow that made it, the
method, the path and query with per-run identifiers generalised (job GUIDs, `task-N`,
integer IDs, session IDs), the negotiated format, the step's label (probe labels carry
the probed URL, IDs and all: `token:missing:GET /jobs/a76b...`) and its probe kind
(`token:missing`, `probe:unknown-id`).  Repetitions of one step (polls) pair with the
repetition they differ from least.  Property-based exchanges (label `generated`) are
random each run, so they pair by operation (the OpenAPI path template), not one by one.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from conformance.checks.scope import api_path, path_matches
from conformance.checks.steps import (
    CLONE_TAG,
    FLOW_TAG,
    FORMAT_TAG,
    RUN_TAG,
    SCHEMATHESIS_FAILURE_TAG,
    Label,
)  # fmt: skip
from conformance.exchange import Exchange
from conformance.protocol import negotiated_format

__all__ = ["PairKey", "generalise", "operation", "pair_key", "pairs", "step_groups"]

_HEX = "[0-9a-fA-F]"
_IDS = (
    (re.compile(r"<redacted:([a-z]+)-\d+>"), r"<redacted:\1>"),
    (re.compile(r"urn:veeam:[\w-]+:[\w-]+"), "{uid}"),
    (re.compile(rf"{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}"), "{id}"),
    (re.compile(r"\btask-\d+\b"), "task-{n}"),
    # Names the suite makes up: clones (`em-conformance-d3013c5f-1`), unknown users.
    (
        re.compile(r"\bem-conformance(?: |-nobody-|-)[0-9a-f]{8}(?:-\d+)?\b"),
        "em-conformance-{name}",
    ),
    (re.compile(r"(?<=[/=])\d+(?=[/?&\s]|$)"), "{n}"),
)
# Tags that vary by run or say where the step ran rather than what it probed (a clone's
# tag names it, and the name is the run's own).
_NOT_PROBES = (
    f"{RUN_TAG}:", f"{FORMAT_TAG}:", f"{FLOW_TAG}:", f"{CLONE_TAG}:", SCHEMATHESIS_FAILURE_TAG
)  # fmt: skip
# Repetitions of one step beyond which pairing goes by order, not by best match.
_MAX_MATCHING = 2_500


def generalise(text: str) -> str:
    """`text` with every per-run identifier replaced by a placeholder of its kind."""
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
    flow: str = ""
    probe: str = ""

    def describe(self) -> str:
        target = self.path + (f"?{self.query}" if self.query else "")
        return f"{self.method} {target} ({self.format})" + (
            f" [{self.label}]" if self.label else ""
        )


def _tag(exchange: Exchange, prefix: str) -> str:
    start = f"{prefix}:"
    return next((t[len(start) :] for t in exchange.tags if t.startswith(start)), "")


def _probe(exchange: Exchange) -> str:
    tags = (generalise(t) for t in exchange.tags if not t.startswith(_NOT_PROBES))
    return ",".join(sorted(tags))


def pair_key(exchange: Exchange) -> PairKey:
    request = exchange.request
    parts = urlsplit(request.url)
    query = "&".join(
        generalise(f"{k}={v}") for k, v in sorted(parse_qsl(parts.query, keep_blank_values=True))
    )
    format_ = negotiated_format(request.header("Accept"))
    return PairKey(
        request.method, generalise(parts.path), query, format_, generalise(exchange.label),
        _tag(exchange, FLOW_TAG), _probe(exchange),
    )  # fmt: skip


@functools.cache
def _templates() -> tuple[str, ...]:
    from conformance.spec import load_openapi

    # Most literal first, so `/jobs/{ID}/backupSessions` wins over a bare `/jobs/{ID}`.
    paths = load_openapi().get("paths", {})
    return tuple(sorted(paths, key=lambda p: (-len(re.sub(r"\{[^}]*\}", "", p)), p)))


def operation(exchange: Exchange) -> str:
    """`METHOD /template` of the OpenAPI operation a request addresses (its generalised
    path when no template matches), e.g. `DELETE /jobs/{ID}`."""
    request = exchange.request
    template = next((t for t in _templates() if path_matches(t, request.url)), None)
    return f"{request.method} {template or generalise(api_path(request.url))}"


def step_groups(exchanges: Sequence[Exchange]) -> dict[PairKey, list[int]]:
    """Indices of every flow step (not generated), grouped by pairing key."""
    grouped: dict[PairKey, list[int]] = {}
    for index, exchange in enumerate(exchanges):
        if exchange.label != Label.GENERATED:
            grouped.setdefault(pair_key(exchange), []).append(index)
    return grouped


Distance = Callable[[Exchange, Exchange], int]


def _match(
    old: Sequence[Exchange],
    new: Sequence[Exchange],
    left: list[int],
    right: list[int],
    distance: Distance,
) -> list[tuple[int, int]]:
    """Pairs of one step's repetitions.  Polls of a task repeat one request, and how many
    answer Running varies by run, so repetitions with identical answers pair first; a
    repetition left over that repeats an answer the other side gave stays unpaired (a
    poll more or less); the rest pair by least difference (earliest on a tie).  Long runs
    of repeats pair in order."""
    if len(left) * len(right) > _MAX_MATCHING:
        return list(zip(left, right, strict=False))
    same = {(i, j) for i in left for j in right if distance(old[i], new[j]) == 0}
    free, matched, rest = list(right), [], []
    for i in left:
        j = next((j for j in free if (i, j) in same), None)
        if j is None:
            rest.append(i)
        else:
            free.remove(j)
            matched.append((i, j))
    rest = [i for i in rest if not any((i, j) in same for j in right)]
    free = [j for j in free if not any((i, j) in same for i in left)]
    for i in rest[: len(free)]:
        j = min(free, key=lambda j: (distance(old[i], new[j]), j))
        free.remove(j)
        matched.append((i, j))
    return sorted(matched)


def pairs(
    old: Sequence[Exchange], new: Sequence[Exchange], distance: Distance
) -> list[tuple[PairKey, int | None, int | None]]:
    """Every step of OLD and NEW with its partner (None: unpaired), in OLD's order."""
    left, right = step_groups(old), step_groups(new)
    found: list[tuple[PairKey, int | None, int | None]] = []
    for key in {**left, **right}:
        matched = _match(old, new, left.get(key, []), right.get(key, []), distance)
        found += [(key, i, j) for i, j in matched]
        paired_old, paired_new = {i for i, _ in matched}, {j for _, j in matched}
        found += [(key, i, None) for i in left.get(key, []) if i not in paired_old]
        found += [(key, None, j) for j in right.get(key, []) if j not in paired_new]
    return sorted(found, key=lambda item: (item[1] is None, item[1] or 0, item[2] or 0))
