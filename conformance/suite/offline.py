"""Offline checks: every applicable check of the catalogue over a cassette's exchanges.

The same `judge` that grades a live run grades a recording, so a cassette saved in CI
last month, a schemathesis VCR report or a doc-derived cassette earns the verdicts a
live run would.  Verdicts name interactions by their index in the file, which is
what a reader looks up; they differ from positions only where schemathesis recorded
a request that got no response.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from pathlib import Path

from conformance.cassette.format import Cassette
from conformance.cassette.storage import load_cassette
from conformance.checks import REGISTRY, Level, Verdict, judge
from conformance.errors import UsageError
from conformance.redaction import Redactor
from conformance.result import JudgedResult, JudgedSubject, SubjectKind, redacted_verdicts

__all__ = ["check_cassette"]


def _in_file(verdict: Verdict, cassette: Cassette) -> Verdict:
    return replace(verdict, exchanges=tuple(cassette.index_of(i) for i in verdict.exchanges))


def _known(rules: Collection[str] | None) -> None:
    """A rule ID no check has is a typo: judging nothing would report the file conformant."""
    unknown = sorted(set(rules or ()) - {rule.id for rule in REGISTRY.rules(Level.INFO)})
    if unknown:
        raise UsageError(
            f"Unknown rule(s): {', '.join(unknown)}; docs/rules.md lists the IDs (EM-AUTHZ-001)."
        )


def check_cassette(
    path: str | Path, *, level: Level | str = Level.SHOULD, rules: Collection[str] | None = None
) -> JudgedResult:
    """Judge the cassette at `path` with every check at `level` (or only `rules`)."""
    chosen = Level.parse(level) if isinstance(level, str) else level
    _known(rules)
    cassette = load_cassette(path)
    verdicts = judge(cassette.exchanges, level=chosen, rules=rules)
    subject = JudgedSubject(SubjectKind.CASSETTE, str(path), f"recorded with {cassette.source}")
    # A result holds only what may leave the run, as `run`'s does: another tool's cassette
    # (vcrpy, schemathesis) may hold live tokens and credentials.
    redactor = Redactor()
    exchanges = redactor.redact_all(cassette.exchanges)
    return JudgedResult(
        subject,
        chosen,
        tuple(exchanges),
        redacted_verdicts((_in_file(v, cassette) for v in verdicts), redactor),
    )
