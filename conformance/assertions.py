"""The conformance assertion for a user's own tests: `assert_conformant(result)`.

    def test_staging_em_conforms(em_suite_run):
        assert_conformant(em_suite_run)

It takes any judged result with `verdicts` (and `stopped`, when the run can stop early),
such as the `RunResult` of `run_suite` or of the `em_suite_run` fixture.  The criterion is
the one `em-conformance run` exits 1 on: a failure of a MUST or SHOULD rule judged at the
run's level; INFO rules never fail.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from conformance.checks.verdict import RuleVerdict, Verdict, summarize
from conformance.errors import ConformanceFailure, TargetError

__all__ = ["Judged", "assert_conformant"]

# Failing rules spelled out in the message; the rest are counted.
MAX_SHOWN = 10


class Judged(Protocol):
    """What `assert_conformant` reads: the verdicts of a judged recording."""

    @property
    def verdicts(self) -> Sequence[Verdict]: ...


def assert_conformant(result: Judged) -> None:
    """Return when every judged rule passed or was skipped; raise `ConformanceFailure`
    naming each failing rule (Expected / Received and the doc page) otherwise, and
    `TargetError` when the run stopped before it could judge everything."""
    stopped = getattr(result, "stopped", "")
    if stopped:
        raise TargetError(f"The run stopped before it could judge every rule: {stopped}")
    failing = [rule for rule in summarize(result.verdicts) if rule.blocking]
    if failing:
        raise ConformanceFailure(_message(failing))


def _message(failing: list[RuleVerdict]) -> str:
    lines = [f"Not conformant: {len(failing)} rule(s) failed."]
    for rule in failing[:MAX_SHOWN]:
        first = next(verdict for verdict in rule.verdicts if verdict.blocking)
        lines.append(f"{rule.rule.id} [{rule.level.value}] {rule.rule.statement}")
        lines.append(f"  Expected: {first.expected}")
        lines.append(f"  Received: {first.received}")
        lines.append(f"  See {rule.rule.doc}")
    if len(failing) > MAX_SHOWN:
        lines.append(f"... and {len(failing) - MAX_SHOWN} more rule(s) (see the JSON report)")
    return "\n".join(lines)
