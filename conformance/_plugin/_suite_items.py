"""The suite's collection tree: `em-conformance` > one collector per area > one item per rule.

Each item is a `pytest.Function` named by its rule ID that asks for `em_suite_run` (so
the flows run once, on the first item, and every item judges the same recording) and
turns the rule's verdicts into a pytest outcome: failed with Expected / Received and the
doc page, skipped with the reason nothing could be judged, passed otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, NoReturn

import pytest

from conformance._plugin._fleet import MEMBERS, fleet_result

if TYPE_CHECKING:
    from conformance.checks import Rule, RuleVerdict, Verdict
    from conformance.suite import JudgedResult

__all__ = [
    "DESTRUCTIVE_AREAS",
    "DESTRUCTIVE_RULES",
    "AreaCollector",
    "RuleItem",
    "SuiteCollector",
    "TargetCollector",
    "destructive",
    "failure_message",
    "judge_rule",
]

SUITE_NAME = "em-conformance"

# Rules judged only on exchanges that destructive flows record (they delete a disposable
# job: delete-and-poll, delete-and-cancel, isolation, id-probes, the safety flow's NAS
# and Agent deletes, the clones of --clone-from).  A read-only run against a real server cannot judge them;
# tests/plugin/test_destructive_rules.py keeps this table in step with the flows.
DESTRUCTIVE_AREAS = frozenset({"delete-job", "task", "cancellation", "isolation"})
DESTRUCTIVE_RULES = frozenset(
    {"EM-SAFE-002", "EM-SAFE-003", "EM-SAFE-004", "EM-SAFE-005", "EM-PROP-002"}
)

# Failures shown per rule item; --em-report lists more.
MAX_SHOWN = 3


def destructive(rule: Rule) -> bool:
    """Whether judging `rule` needs a run that may delete (see `DESTRUCTIVE_AREAS`)."""
    return rule.area in DESTRUCTIVE_AREAS or rule.id in DESTRUCTIVE_RULES


class SuiteCollector(pytest.Collector):
    """The root of the suite's tree (node ID `em-conformance`): one `AreaCollector` per area."""

    @classmethod
    def under(cls, session: pytest.Session) -> SuiteCollector:
        # An explicit node ID: derived from the session's it would start with "::".
        return cls.from_parent(session, name=SUITE_NAME, nodeid=SUITE_NAME)

    def collect(self) -> Iterable[pytest.Item | pytest.Collector]:
        members = self.config.stash.get(MEMBERS, [])
        if members:  # a fleet: one subtree per server (conformance/_plugin/_fleet.py)
            return [TargetCollector.from_parent(self, name=m.label) for m in members]
        return _areas(self)


def _areas(parent: pytest.Collector) -> list[pytest.Item | pytest.Collector]:
    from conformance.checks import AREAS, REGISTRY

    areas = dict.fromkeys([*AREAS, *(rule.area for rule in REGISTRY.rules())])
    return [AreaCollector.from_parent(parent, name=area) for area in areas]


class TargetCollector(pytest.Collector):
    """One server of a fleet (named by its host_port): one `AreaCollector` per area."""

    def collect(self) -> Iterable[pytest.Item | pytest.Collector]:
        return _areas(self)


class AreaCollector(pytest.Collector):
    """The rules of one area, in catalogue order."""

    def collect(self) -> Iterable[pytest.Item | pytest.Collector]:
        from conformance.checks import REGISTRY

        rules = [rule for rule in REGISTRY.rules() if rule.area == self.name]
        label = self.parent.name if isinstance(self.parent, TargetCollector) else None
        return [RuleItem.of(self, rule, label) for rule in rules]


class RuleItem(pytest.Function):
    """One rule of the catalogue as a test: its ID is the test's name."""

    rule: Rule

    @classmethod
    def of(cls, parent: AreaCollector, rule: Rule, label: str | None = None) -> RuleItem:
        test = _rule_test(rule) if label is None else _fleet_rule_test(rule, label)
        item = cls.from_parent(parent, name=rule.id, callobj=test)
        item.rule = rule
        if label is not None:
            item.add_marker(pytest.mark.xdist_group(name=label))
        item.add_marker(pytest.mark.em_area(name=rule.area))
        if destructive(rule):
            item.add_marker(pytest.mark.em_destructive)
        return item

    def reportinfo(self) -> tuple[str, int, str]:
        # The failure header names the rule, not a Python path; a skip from a fixture (the
        # em_destructive guard) is reported at this location, which needs a line.
        code = self.function.__code__
        return (
            code.co_filename,
            code.co_firstlineno - 1,
            f"{self.rule.id} [{self.rule.level.value}]",
        )


def _rule_test(rule: Rule) -> Callable[[JudgedResult, pytest.FixtureRequest], None]:
    def test_rule(em_suite_run: JudgedResult, request: pytest.FixtureRequest) -> None:
        judge_rule(rule, em_suite_run, request.node)

    test_rule.__doc__ = f"{rule.id} [{rule.level.value}] {rule.statement} See {rule.doc}"
    return test_rule


def _fleet_rule_test(rule: Rule, label: str) -> Callable[[pytest.FixtureRequest], None]:
    def test_rule(request: pytest.FixtureRequest) -> None:
        judge_rule(rule, fleet_result(request.config, label), request.node)

    test_rule.__doc__ = f"{rule.id} [{rule.level.value}] on {label}: {rule.statement}"
    return test_rule


def judge_rule(rule: Rule, result: JudgedResult, node: pytest.Item) -> None:
    """Pass, fail or skip the current test as the run's verdicts on `rule` say."""
    from conformance.checks import Outcome, RuleVerdict

    node.user_properties += [("level", rule.level.value), ("doc", rule.doc)]
    level = result.level
    if not level.includes(rule.level):
        pytest.skip(f"{rule.level.value} rule: not judged at --em-level {level.value.lower()}")
    summary = RuleVerdict(rule, tuple(v for v in result.verdicts if v.rule.id == rule.id))
    if not summary.verdicts or summary.outcome is Outcome.SKIPPED:
        _not_judged(summary, result.stopped)
    if summary.outcome is Outcome.BLOCKED:
        pytest.skip(f"{rule.id} blocked by {', '.join(summary.blocked_by)}: fix that rule first")
    if summary.blocking:
        pytest.fail(failure_message(summary, result), pytrace=False)
    # INFO rules never fail; what they saw (or found amiss) goes to the JUnit properties.
    node.user_properties += [("note", note) for note in _notes(summary)]


def _not_judged(summary: RuleVerdict, stopped: str) -> NoReturn:
    if stopped:
        pytest.fail(f"{summary.rule.id} not judged: the run stopped: {stopped}", pytrace=False)
    reason = summary.verdicts[0].received if summary.verdicts else "no check judged it"
    pytest.skip(f"{summary.rule.id}: {reason}")


def _notes(summary: RuleVerdict) -> list[str]:
    notes = (v.message() if v.failed else v.received for v in summary.verdicts)
    return list(dict.fromkeys(note for note in notes if note))[:MAX_SHOWN]


def failure_message(summary: RuleVerdict, result: JudgedResult) -> str:
    """The rule, then each distinct Expected / Received (the first few) with where it was
    seen, then the rule's doc page."""
    rule = summary.rule
    groups: dict[tuple[str, str], list[Verdict]] = {}
    for verdict in summary.failures:
        groups.setdefault((verdict.expected, verdict.received), []).append(verdict)
    lines = [f"{rule.id} [{summary.level.value}] {rule.statement}"]
    for (expected, received), verdicts in list(groups.items())[:MAX_SHOWN]:
        lines += [f"  Expected: {expected}", f"  Received: {received}"]
        lines += [f"  At: {_where(verdicts, result)}"]
        lines += [f"  Evidence: {line}" for line in verdicts[0].evidence_lines()[:MAX_SHOWN]]
    if len(groups) > MAX_SHOWN:
        hidden = len(groups) - MAX_SHOWN
        lines.append(f"  ... and {hidden} other failure(s) (see --em-report FILE)")
    return "\n".join([*lines, f"See {rule.doc}"])


def _where(verdicts: list[Verdict], result: JudgedResult) -> str:
    """The format and first exchange of the first verdict, as `METHOD /path -> status`."""
    from conformance.checks import api_path

    first = verdicts[0]
    parts = [first.format] if first.format else []
    index = next((i for i in first.exchanges if i < len(result.exchanges)), None)
    if index is not None:
        exchange = result.exchanges[index]
        request = f"{exchange.request.method} {api_path(exchange.request.url)}"
        parts.append(f"exchange {index}: {request} -> {exchange.response.status}")
    others = f" (and {len(verdicts) - 1} more like it)" if len(verdicts) > 1 else ""
    return (", ".join(parts) or "the recording") + others
