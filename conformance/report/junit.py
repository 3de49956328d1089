"""JUnit XML: one test suite per area, one test case per rule, failures with Expected /
Received, skips with their reason (a blocked rule is skipped, naming its root); INFO
rules never fail.  A run that stopped early adds a `run` suite whose one case is an
error naming the stop, so CI shows red even when every rule judged before the stop
passed.

What CI systems render: each case's `classname` is `em-conformance.<area>` (so Jenkins,
GitLab and GitHub reporters group by area), its `<properties>` carry the rule ID, level,
documentation page and evidence, and its `time` is the time the target took to answer
the exchanges the rule's verdicts cite.  Rules are judged after the run from one shared
recording, so no rule has a duration of its own; the time spent on the wire for the
requests that decided it is the honest figure (exchanges cited by several rules count
for each; a skipped rule cites none and takes 0).  A suite's time is the sum of its
cases'; the root's is the whole run's."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # writing only: nothing untrusted is parsed here
from collections.abc import Sequence
from pathlib import Path

from conformance.checks import Level, Outcome, RuleVerdict
from conformance.errors import UsageError
from conformance.exchange import Exchange
from conformance.report.matrix import by_area
from conformance.result import JudgedResult

__all__ = ["junit_xml", "rule_time", "write_junit"]


def rule_time(summary: RuleVerdict, exchanges: Sequence[Exchange]) -> float:
    """Seconds the target took to answer the exchanges this rule's verdicts cite."""
    cited = {index for verdict in summary.verdicts for index in verdict.exchanges}
    return sum(exchanges[i].response.elapsed for i in cited if 0 <= i < len(exchanges))


def _properties(case: ET.Element, summary: RuleVerdict) -> None:
    rule = summary.rule
    properties = ET.SubElement(case, "properties")
    shown = [("rule", rule.id), ("level", rule.level.value), ("doc", rule.doc)]
    if rule.evidence is not None:
        evidence = rule.evidence
        shown += [("evidence", evidence.kind.value), ("evidence.source", evidence.source)]
        shown += [("evidence.note", evidence.note)] if evidence.note else []
    for name, value in shown:
        ET.SubElement(properties, "property", name=name, value=value)


def _case(suite: ET.Element, summary: RuleVerdict, seconds: float) -> None:
    rule = summary.rule
    case = ET.SubElement(
        suite,
        "testcase",
        classname=f"em-conformance.{rule.area}",
        name=f"{rule.id} [{rule.level.value}] {rule.statement}",
        time=f"{seconds:.3f}",
    )
    _properties(case, summary)
    outcome = summary.outcome
    if _blocking(summary):
        first = summary.failures[0]
        failure = ET.SubElement(case, "failure", message=first.message(), type=summary.level.value)
        failure.text = "\n\n".join(v.message() for v in summary.failures[:20])
    elif outcome is Outcome.SKIPPED:
        ET.SubElement(case, "skipped", message=summary.verdicts[0].received)
    elif outcome is Outcome.BLOCKED:
        blocked = [v for v in summary.verdicts if v.blocked]
        roots = ", ".join(summary.blocked_by)
        skipped = ET.SubElement(case, "skipped", message=f"blocked by {roots}: fix that rule first")
        skipped.text = "\n\n".join(v.message() for v in blocked[:20])
    elif outcome is Outcome.FAILED:
        ET.SubElement(case, "system-out").text = summary.failures[0].message()


# A blocked rule is a JUnit skip: it was not judged, and its root failure is the test to fix.
_NOT_JUDGED = (Outcome.SKIPPED, Outcome.BLOCKED)


def _blocking(summary: RuleVerdict) -> bool:
    # A failure capped below the judged level (inferred constraints, --level must) is a note.
    return summary.outcome is Outcome.FAILED and summary.level is not Level.INFO


def _stop_suite(root: ET.Element, result: JudgedResult) -> None:
    suite = ET.SubElement(
        root, "testsuite", name="run", tests="1", failures="0", errors="1", time="0.000"
    )
    case = ET.SubElement(
        suite, "testcase", classname="em-conformance.run", name="run to the end", time="0.000"
    )
    error = ET.SubElement(case, "error", message=result.stopped, type=result.stop_reason)
    left = result.sessions_left_open
    error.text = result.stopped + (f"\nSessions left open: {', '.join(left)}" if left else "")


def junit_xml(result: JudgedResult) -> bytes:
    rules = result.rules
    root = ET.Element("testsuites", name="em-conformance", time=f"{result.duration:.3f}")
    if result.stopped:
        _stop_suite(root, result)
    for area in by_area(rules):
        members = [summary for summary in rules if summary.rule.area == area]
        times = [rule_time(summary, result.exchanges) for summary in members]
        suite = ET.SubElement(
            root,
            "testsuite",
            name=area,
            tests=str(len(members)),
            failures=str(sum(_blocking(s) for s in members)),
            errors="0",
            skipped=str(sum(s.outcome in _NOT_JUDGED for s in members)),
            time=f"{sum(times):.3f}",
        )
        for summary, seconds in zip(members, times, strict=True):
            _case(suite, summary, seconds)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def write_junit(result: JudgedResult, path: Path) -> None:
    try:
        path.write_bytes(junit_xml(result))
    except OSError as exc:
        raise UsageError(
            f"Cannot write JUnit XML to {path}: {exc.strerror}. Choose another --junitxml."
        ) from None
