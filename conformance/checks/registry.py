"""The check registry: every check is a small function registered against one rule.

One signature for every check::

    @check(RULE, Each(method="DELETE", path="/jobs/{id}", status=is_success))
    def delete_answers_202(subject: Subject) -> str | None: ...

A check receives a `Subject` (one exchange, or the exchanges of a flow run or a
task) and either returns (passed, optionally with a note for the report) or stops
with `fail(expected, received)` / `skip(reason)`.  The scope decides which
exchanges become subjects; `Registry.applicable(exchange)` lists the single-exchange
checks that apply to one exchange, which is how other front ends (a schemathesis
check, a pytest test) can reuse them one response at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from conformance.checks.rule import Level, Rule
from conformance.checks.scope import Each, Scope, Subject
from conformance.checks.verdict import CheckFailed, CheckSkipped, Outcome, Verdict
from conformance.errors import BodyError
from conformance.exchange import Exchange

__all__ = ["REGISTRY", "Check", "CheckFunction", "Registry", "check"]

CheckFunction = Callable[[Subject], "str | None"]

# What reading an unexpected document shape raises; a bug in a check shows up the same way
# in the tests against the faithful emulator, so nothing is hidden from them.
_SHAPE_ERRORS = (TypeError, ValueError, AttributeError, KeyError, IndexError)


@dataclass(frozen=True)
class Check:
    """A registered check: its name, the rule it enforces and the exchanges it judges."""

    name: str
    rule: Rule
    scope: Scope
    function: CheckFunction

    def __call__(self, subject: Subject) -> Verdict:
        """Judge one subject; a body that cannot be parsed fails the rule."""
        try:
            note = self.function(subject)
        except CheckFailed as failure:
            return Verdict.judged(
                self.rule, self.name, Outcome.FAILED, failure.at or subject.indices,
                failure.expected, failure.received, subject.format, failure.cap,
                failure.constraints,
            )  # fmt: skip
        except CheckSkipped as skipped:
            return self._verdict(subject, Outcome.SKIPPED, "", skipped.reason)
        except BodyError as exc:
            return self._verdict(subject, Outcome.FAILED, "a readable body", str(exc))
        except _SHAPE_ERRORS as exc:
            # Well-formed but of an unexpected shape (a list where an object belongs...).
            received = f"a body of another shape ({type(exc).__name__}: {exc})"
            return self._verdict(
                subject, Outcome.FAILED, "a body of the documented shape", received
            )
        return self._verdict(subject, Outcome.PASSED, "", note or "")

    def _verdict(self, subject: Subject, outcome: Outcome, expected: str, received: str) -> Verdict:
        return Verdict.judged(
            self.rule, self.name, outcome, subject.indices, expected, received, subject.format
        )

    def subjects(self, exchanges: Sequence[Exchange]) -> Iterator[Subject]:
        return self.scope.subjects(exchanges)


class Registry:
    """Rules and the checks that enforce them, in registration order."""

    def __init__(self) -> None:
        self._rules: dict[str, Rule] = {}
        self._checks: dict[str, Check] = {}

    def add_rule(self, rule: Rule) -> Rule:
        known = self._rules.get(rule.id)
        if known is not None and known != rule:
            raise ValueError(f"Rule {rule.id} is registered twice with different contents.")
        self._rules[rule.id] = rule
        return rule

    def add(self, check: Check) -> Check:
        if check.name in self._checks:
            raise ValueError(f"A check named {check.name!r} is already registered.")
        self.add_rule(check.rule)
        self._checks[check.name] = check
        return check

    def rules(self, level: Level = Level.INFO) -> list[Rule]:
        return [rule for rule in self._rules.values() if level.includes(rule.level)]

    def rule(self, rule_id: str) -> Rule:
        return self._rules[rule_id]

    def checks(self, level: Level = Level.INFO) -> list[Check]:
        return [c for c in self._checks.values() if level.includes(c.rule.level)]

    def checks_for(self, rule_id: str) -> list[Check]:
        return [c for c in self._checks.values() if c.rule.id == rule_id]

    def applicable(self, exchange: Exchange) -> list[Check]:
        """The single-exchange checks whose scope selects `exchange`."""
        return [
            c
            for c in self._checks.values()
            if isinstance(c.scope, Each) and c.scope.matches(exchange)
        ]


REGISTRY = Registry()


def check(
    rule: Rule, scope: Scope, *, registry: Registry | None = None
) -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated function as a check of `rule` over `scope`."""

    def register(function: CheckFunction) -> CheckFunction:
        target = REGISTRY if registry is None else registry
        target.add(Check(function.__name__, rule, scope, function))
        return function

    return register
