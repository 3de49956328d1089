"""Changes no single pair shows: the vocabulary of enumerated keys over a whole recording,
and the status classes of generated (property-based) requests per operation.

A task's `State` is a vocabulary a client compares against: a client polling for
`Finished` never returns from a server that says `Completed`.  Which states a poll
catches depends on timing (OperationFinished is there or not), so vocabularies are
compared over the whole recording: a value gone and another come at one key is a
change, a value only added is compatible, a value only gone is timing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from conformance.cassette.findings import Drift
from conformance.cassette.pairing import operation, pair_key
from conformance.cassette.shape import body_values
from conformance.checks.steps import Label
from conformance.exchange import Exchange
from conformance.protocol import negotiated_format

__all__ = ["generated_drifts", "state_order_drifts", "vocabulary_drifts"]

# A task passes through OperationFinished only briefly: whether a poll catches it is
# timing (em-api-facts: Running -> OperationFinished -> Finished), not vocabulary.
_TIMING_STATES = frozenset({"OperationFinished"})

_TERMINAL_STATES = frozenset({"Finished"})
# The order a task's State moves in (em-api-facts §5); a step back is a new behaviour.
_ORDER = ("Running", "OperationFinished", "Finished")

# path -> value -> indices of the exchanges that carried it
_Seen = dict[str, dict[str, list[int]]]


def _vocabulary(exchanges: Sequence[Exchange]) -> _Seen:
    seen: _Seen = {}
    for index, exchange in enumerate(exchanges):
        if exchange.label == Label.GENERATED:
            continue
        response = exchange.response
        for path, values in body_values(response.body, response.media_type).items():
            for value in values:
                seen.setdefault(path, {}).setdefault(value, []).append(index)
    return seen


def _timing(path: str) -> frozenset[str]:
    return _TIMING_STATES if path.casefold().endswith("state") else frozenset()


def _terminal(path: str) -> frozenset[str]:
    return _TERMINAL_STATES if path.casefold().endswith("state") else frozenset()


def _listed(values: set[str]) -> str:
    return ", ".join(sorted(values))


def vocabulary_drifts(
    old: Sequence[Exchange], new: Sequence[Exchange], step_of: Callable[[Exchange], str]
) -> list[Drift]:
    """One drift per exchange carrying a value that changed, was added or was not seen."""
    before, after = _vocabulary(old), _vocabulary(new)
    drifts: list[Drift] = []
    for path in sorted(before.keys() & after.keys()):
        was, now = set(before[path]) - _timing(path), set(after[path]) - _timing(path)
        gone, came = was - now, now - was
        if came:
            kind = "value changed" if gone else "value added"
            for j in sorted({j for value in came for j in after[path][value]}):
                describe = pair_key(new[j]).describe()
                drifts.append(
                    Drift(
                        kind, describe, path, _listed(gone), _listed(came), None, j, step_of(new[j])
                    )
                )
        elif gone & _terminal(path):
            # Tasks still answered, but none ever finished: a client polling for
            # Finished never returns.
            for j in sorted({j for indices in after[path].values() for j in indices}):
                describe = pair_key(new[j]).describe()
                drifts.append(
                    Drift("value gone", describe, path, _listed(gone & _terminal(path)), "", None, j,
                          step_of(new[j]))
                )  # fmt: skip
        elif gone:
            for i in sorted({i for value in gone for i in before[path][value]}):
                describe = pair_key(old[i]).describe()
                drifts.append(
                    Drift(
                        "value not seen",
                        describe,
                        path,
                        _listed(gone),
                        "",
                        i,
                        None,
                        step_of(old[i]),
                    )
                )
    return drifts


def _classes(exchanges: Sequence[Exchange]) -> dict[str, tuple[set[str], int]]:
    """Operation and format -> the status classes its generated requests got, and the
    index of its first request."""
    found: dict[str, tuple[set[str], int]] = {}
    for index, exchange in enumerate(exchanges):
        if exchange.label == Label.GENERATED:
            fmt = negotiated_format(exchange.request.header("Accept"))
            classes, _ = found.setdefault(f"{operation(exchange)} ({fmt})", (set(), index))
            classes.add(f"{exchange.response.status // 100}xx")
    return found


def _changed(was: set[str], now: set[str]) -> bool:
    # Random inputs reach different answers run by run; only an answer class that no
    # longer overlaps, or server errors that appear, say the operation changed.
    return not was & now or "5xx" in now - was


def generated_drifts(
    old: Sequence[Exchange], new: Sequence[Exchange]
) -> tuple[list[Drift], list[str]]:
    """Generated requests compared by operation, format and status class: drifts where
    the answers changed class, and the operations whose random inputs merely reached
    other answers this time."""
    before, after = _classes(old), _classes(new)
    drifts, varied = [], []
    for where in sorted(before.keys() | after.keys()):
        was, i = before.get(where, (set(), None))
        now, j = after.get(where, (set(), None))
        old_text, new_text = _listed(was) or "no requests", _listed(now) or "no requests"
        if was and now and _changed(was, now):
            drifts.append(
                Drift("generated status", where, where, old_text, new_text, i, j, "property-based")
            )
        elif was != now:
            varied.append(f"{where}: {old_text} -> {new_text}")
    return drifts, varied


def _backwards(exchanges: Sequence[Exchange]) -> dict[tuple[str, str], list[int]]:
    """(from, to) -> indices of the answers where a task's State stepped back."""
    last: dict[tuple[str, str], str] = {}
    found: dict[tuple[str, str], list[int]] = {}
    for index, exchange in enumerate(exchanges):
        response = exchange.response
        values = body_values(response.body, response.media_type)
        states = [
            v for p, vs in values.items() if p.casefold() in ("$.state", "/task/state") for v in vs
        ]
        if exchange.label == Label.GENERATED or len(states) != 1 or states[0] not in _ORDER:
            continue
        task = (",".join(sorted(exchange.tags)), exchange.request.path)
        before, now = last.get(task), states[0]
        if before is not None and _ORDER.index(now) < _ORDER.index(before):
            found.setdefault((before, now), []).append(index)
        last[task] = now
    return found


def state_order_drifts(
    old: Sequence[Exchange], new: Sequence[Exchange], step_of: Callable[[Exchange], str]
) -> list[Drift]:
    """A task State that steps back (Finished, then Running) where OLD never did."""
    known = _backwards(old)
    return [
        Drift(
            "state order", pair_key(new[j]).describe(), "State", was, now, None, j, step_of(new[j])
        )
        for (was, now), indices in _backwards(new).items()
        if (was, now) not in known
        for j in indices
    ]
