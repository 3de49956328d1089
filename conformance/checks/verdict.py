"""Verdicts: what judging one check against one subject concluded.

A check passes by returning (optionally with a note for the report), and fails or
skips by raising `CheckFailed` or `CheckSkipped` through `fail()` and `skip()`, so
helpers deep inside a check can stop it with an Expected / Received message.  A
fourth outcome, blocked, is given after judging (`checks/blocking.py`): the check
could not judge because an exchange it relied on had already broken another rule.

A failure carries the schema constraints it broke, each with its evidence; when none of
them is documented the failure is capped at SHOULD (DESIGN.md: levels follow evidence),
and `Verdict.level` is the level it fails at.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NoReturn

from conformance.checks.rule import Level, Rule
from conformance.representations import Violation

__all__ = [
    "MISSING_STEP",
    "CheckFailed",
    "CheckSkipped",
    "Outcome",
    "RuleVerdict",
    "Verdict",
    "fail",
    "skip",
    "skip_missing",
    "summarize",
]


class Outcome(enum.Enum):
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"
    BLOCKED = "blocked"


class CheckFailed(Exception):
    """Raised by a check that found the rule broken."""

    def __init__(
        self,
        expected: str,
        received: str,
        at: Sequence[int] = (),
        cap: Level | None = None,
        constraints: Sequence[Violation] = (),
    ) -> None:
        super().__init__(f"Expected {expected}; received {received}")
        self.expected = expected
        self.received = received
        self.at = tuple(at)
        self.cap = cap
        self.constraints = tuple(constraints)


class CheckSkipped(Exception):
    """Raised by a check that cannot judge its subject (a step is missing, say)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def fail(
    expected: str,
    received: str,
    *,
    at: Sequence[int] = (),
    cap: Level | None = None,
    constraints: Sequence[Violation] = (),
) -> NoReturn:
    """Stop the running check as failed; `at` narrows the exchanges to blame, `cap` is the
    highest level the failure may fail at, `constraints` the schema constraints broken."""
    raise CheckFailed(expected, received, at, cap, constraints)


def skip(reason: str) -> NoReturn:
    """Stop the running check as skipped, saying why."""
    raise CheckSkipped(reason)


# How a skip for a missing step starts: the flow stopped short, so a failure earlier in
# the same run is why (checks/blocking.py reads it).
MISSING_STEP = "the recording has no "


def skip_missing(what: str) -> NoReturn:
    """Stop the running check as skipped because the recording lacks the step `what`."""
    skip(f"{MISSING_STEP}{what} step")


@dataclass(frozen=True)
class Verdict:
    """One check applied to one subject: the rule, the outcome and the evidence.

    `exchanges` are indices into the sequence given to `judge`; `received` holds the
    note of a passed check (INFO rules use it to report what they saw).  `cap` lowers
    the level a failure fails at (its broken constraints are not documented, or the run
    does not judge that level); `constraints` are the schema constraints it broke;
    `blocked_by` names the rule whose failure kept a blocked check from judging.
    """

    rule: Rule
    check: str
    outcome: Outcome
    exchanges: tuple[int, ...] = ()
    expected: str = ""
    received: str = ""
    format: str = ""
    cap: Level | None = None
    constraints: tuple[Violation, ...] = ()
    blocked_by: str = ""

    @classmethod
    def judged(
        cls,
        rule: Rule,
        check: str,
        outcome: Outcome,
        exchanges: tuple[int, ...],
        expected: str = "",
        received: str = "",
        format: str = "",
        cap: Level | None = None,
        constraints: tuple[Violation, ...] = (),
    ) -> Verdict:
        """`Verdict(...)`, built without the frozen dataclass's `object.__setattr__` per
        field: judging builds about ten verdicts per exchange (every field is set here;
        tests/checks/test_verdict_build.py keeps this in step with the fields)."""
        verdict = object.__new__(cls)
        verdict.__dict__.update(
            rule=rule, check=check, outcome=outcome, exchanges=exchanges, expected=expected,
            received=received, format=format, cap=cap, constraints=constraints, blocked_by="",
        )  # fmt: skip
        return verdict

    @property
    def failed(self) -> bool:
        return self.outcome is Outcome.FAILED

    @property
    def level(self) -> Level:
        """The level this verdict fails at: the rule's, or lower where the evidence is."""
        order = (Level.MUST, Level.SHOULD, Level.INFO)
        if self.cap is None:
            return self.rule.level
        return max(self.rule.level, self.cap, key=order.index)

    @property
    def blocked(self) -> bool:
        return self.outcome is Outcome.BLOCKED

    @property
    def blocking(self) -> bool:
        """A failure that makes the target non-conformant (INFO rules never do)."""
        return self.failed and self.level is not Level.INFO

    def evidence_lines(self) -> list[str]:
        """What the failing constraints rest on (their paths grouped by evidence), or the
        rule's evidence."""
        paths: dict[str, list[str]] = {}
        for violation in self.constraints:
            if violation.evidence is not None:
                paths.setdefault(str(violation.evidence), []).append(violation.path)
        shown = [f"{', '.join(dict.fromkeys(at))}: {grounds}" for grounds, at in paths.items()]
        if not shown and self.rule.evidence is not None:
            shown = [str(self.rule.evidence)]
        return shown

    def message(self) -> str:
        where = f" (exchanges {', '.join(map(str, self.exchanges))})" if self.exchanges else ""
        if self.blocked:
            return f"Blocked by {self.blocked_by}: {self.received}{where}. See {self.rule.doc}"
        capped = f" Fails at {self.level.value}." if self.level is not self.rule.level else ""
        evidence = "; ".join(self.evidence_lines())
        grounds = f" Evidence: {evidence}." if evidence else ""
        return (
            f"Expected {self.expected}; received {self.received}{where}.{capped}{grounds}"
            f" See {self.rule.doc}"
        )


@dataclass(frozen=True)
class RuleVerdict:
    """Every verdict about one rule, and the outcome they add up to."""

    rule: Rule
    verdicts: tuple[Verdict, ...]

    @property
    def outcome(self) -> Outcome:
        """Failed over blocked (part could not be judged) over passed over skipped."""
        outcomes = {verdict.outcome for verdict in self.verdicts}
        for outcome in (Outcome.FAILED, Outcome.BLOCKED, Outcome.PASSED):
            if outcome in outcomes:
                return outcome
        return Outcome.SKIPPED

    @property
    def blocked_by(self) -> tuple[str, ...]:
        """The rules whose failures kept some of this rule's checks from judging."""
        return tuple(dict.fromkeys(v.blocked_by for v in self.verdicts if v.blocked))

    @property
    def checks(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(verdict.check for verdict in self.verdicts))

    @property
    def failures(self) -> tuple[Verdict, ...]:
        return tuple(verdict for verdict in self.verdicts if verdict.failed)

    @property
    def blocking(self) -> bool:
        return any(verdict.blocking for verdict in self.verdicts)

    @property
    def level(self) -> Level:
        """The strongest level any failure fails at; the rule's own when none failed."""
        levels = {verdict.level for verdict in self.failures}
        return next((lv for lv in Level if lv in levels), self.rule.level)


def summarize(verdicts: Iterable[Verdict]) -> list[RuleVerdict]:
    """One `RuleVerdict` per rule, in the order rules first appear."""
    grouped: dict[str, list[Verdict]] = {}
    rules: dict[str, Rule] = {}
    for verdict in verdicts:
        grouped.setdefault(verdict.rule.id, []).append(verdict)
        rules[verdict.rule.id] = verdict.rule
    return [RuleVerdict(rules[rule_id], tuple(items)) for rule_id, items in grouped.items()]
