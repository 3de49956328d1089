"""The conformance assertion for a user's own tests: `assert_conformant(result)`.

    def test_staging_em_conforms(em_suite_run):
        assert_conformant(em_suite_run)

It takes the `JudgedResult` of `run_suite`, of the `em_suite_run` fixture or of a
cassette's offline check, and fails exactly when `JudgedResult.conformant` is false (the
criterion `em-conformance run` exits 1 on: a failure of a MUST or SHOULD rule judged at
the run's level, or a failure outside the rules; INFO rules never fail).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from conformance.checks.verdict import RuleVerdict
from conformance.errors import ConformanceFailure, TargetError

if TYPE_CHECKING:
    from conformance.result import JudgedResult

__all__ = ["assert_conformant"]

# Failing rules spelled out in the message; the rest are counted.
MAX_SHOWN = 10


def assert_conformant(result: JudgedResult) -> None:
    """Return when `result.conformant`; raise `ConformanceFailure` naming each failing
    rule (Expected / Received and the doc page) and each failure outside the rules
    otherwise, and `TargetError` when the run stopped before it could judge everything."""
    if result.stopped:
        raise TargetError(f"The run stopped before it could judge every rule: {result.stopped}")
    if not result.conformant:
        failing = [rule for rule in result.rules if rule.blocking]
        raise ConformanceFailure(_message(failing, result.problems))


def _message(failing: list[RuleVerdict], problems: tuple[str, ...]) -> str:
    lines = [f"Not conformant: {len(failing)} rule(s) failed."]
    for rule in failing[:MAX_SHOWN]:
        first = next(verdict for verdict in rule.verdicts if verdict.blocking)
        lines.append(f"{rule.rule.id} [{rule.level.value}] {rule.rule.statement}")
        lines.append(f"  Expected: {first.expected}")
        lines.append(f"  Received: {first.received}")
        lines.append(f"  See {rule.rule.doc}")
    if len(failing) > MAX_SHOWN:
        lines.append(f"... and {len(failing) - MAX_SHOWN} more rule(s) (see the JSON report)")
    lines += [f"Outside the rules: {problem}" for problem in problems]
    return "\n".join(lines)
