"""Offline checks: every applicable check of the catalogue over a cassette's exchanges.

The same `judge` that grades a live run grades a recording, so a cassette saved in CI
last month, a schemathesis VCR report or a doc-derived cassette earns the verdicts a
live run would.  Verdicts name interactions by their index in the file, which is
what a reader looks up; they differ from positions only where schemathesis recorded
a request that got no response.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from pathlib import Path

from conformance.cassette.format import Cassette
from conformance.cassette.storage import load_cassette
from conformance.checks import Level, Outcome, RuleVerdict, Verdict, judge, summarize
from conformance.suite.runner import RunResult
from conformance.suite.settings import Settings

__all__ = ["OfflineResult", "check_cassette"]


@dataclass(frozen=True)
class OfflineResult:
    """One cassette's verdicts, with exchange indices turned into interaction indices."""

    path: Path
    cassette: Cassette
    verdicts: tuple[Verdict, ...]
    level: Level = Level.SHOULD

    @property
    def rules(self) -> list[RuleVerdict]:
        return summarize(self.verdicts)

    @property
    def conformant(self) -> bool:
        return not any(verdict.blocking for verdict in self.verdicts)

    @property
    def exit_code(self) -> int:
        return 0 if self.conformant else 1

    def count(self, outcome: Outcome) -> int:
        return sum(1 for rule in self.rules if rule.outcome is outcome)

    def as_run(self) -> RunResult:
        """The result in the shape of a live run's, for the suite's report writers."""
        settings = Settings(target=str(self.path), level=self.level)
        return RunResult(
            settings, str(self.path), list(self.cassette.exchanges), list(self.verdicts)
        )


def _in_file(verdict: Verdict, cassette: Cassette) -> Verdict:
    return replace(verdict, exchanges=tuple(cassette.index_of(i) for i in verdict.exchanges))


def check_cassette(
    path: str | Path, *, level: Level | str = Level.SHOULD, rules: Collection[str] | None = None
) -> OfflineResult:
    """Judge the cassette at `path` with every check at `level` (or only `rules`)."""
    chosen = Level.parse(level) if isinstance(level, str) else level
    cassette = load_cassette(path)
    verdicts = judge(cassette.exchanges, level=chosen, rules=rules)
    return OfflineResult(
        Path(path), cassette, tuple(_in_file(v, cassette) for v in verdicts), chosen
    )
