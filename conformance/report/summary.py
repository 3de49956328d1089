"""The summary printed after a run: counts by area, then each failing rule with its
Expected / Received and doc page, skipped flows, and the verdict with its exit code."""

from __future__ import annotations

from conformance.__version__ import __version__
from conformance.checks import Level, Outcome, RuleVerdict
from conformance.report.matrix import by_area
from conformance.suite.runner import RunResult

__all__ = ["MAX_SHOWN", "render_summary"]

# Failures shown per rule; the JSON report lists more.
MAX_SHOWN = 3


def _header(result: RunResult) -> list[str]:
    settings = result.settings
    where = "embedded emulator" if settings.embedded else "remote target"
    faults = f", faults {', '.join(settings.faults)}" if settings.faults else ""
    faults += ", TLS NOT VERIFIED (--insecure)" if settings.insecure else ""
    ran = sum(record.status == "ran" for record in result.flows)
    return [
        f"em-conformance {__version__}: {result.base_url} ({where}{faults})",
        f"level {settings.level.value.lower()}, formats {'+'.join(settings.formats)};"
        f" {len(result.exchanges)} requests in {result.duration:.1f} s;"
        f" {ran} of {len(result.flows)} flow runs ran",
        "",
    ]


def _table(rules: list[RuleVerdict]) -> list[str]:
    lines = [f"{'area':<16}{'passed':>8}{'failed':>8}{'skipped':>9}"]
    totals = dict.fromkeys((o.value for o in Outcome), 0)
    for area, row in by_area(rules).items():
        lines.append(f"{area:<16}{row['passed']:>8}{row['failed']:>8}{row['skipped']:>9}")
        totals = {key: totals[key] + row[key] for key in totals}
    lines.append(f"{'total':<16}{totals['passed']:>8}{totals['failed']:>8}{totals['skipped']:>9}")
    return [*lines, ""]


def _failure_lines(summary: RuleVerdict) -> list[str]:
    rule = summary.rule
    lines = [f"  {rule.id} {summary.level.value:<6} {rule.statement}"]
    if summary.level is not rule.level:
        lines.append(f"      ({rule.level.value} rule; what failed is not documented)")
    shown: set[str] = set()
    for verdict in summary.failures[:MAX_SHOWN]:
        where = ", ".join(filter(None, [verdict.format, _indices(verdict.exchanges)]))
        lines.append(f"      Expected: {verdict.expected}")
        lines.append(f"      Received: {verdict.received}" + (f"  [{where}]" if where else ""))
        grounds = [line for line in verdict.evidence_lines()[:MAX_SHOWN] if line not in shown]
        lines += [f"      Evidence: {line}" for line in grounds]
        shown.update(grounds)
    if len(summary.failures) > MAX_SHOWN:
        lines.append(
            f"      ... and {len(summary.failures) - MAX_SHOWN} more (see the JSON report)"
        )
    return [*lines, f"      See {rule.doc}"]


def _indices(indices: tuple[int, ...]) -> str:
    shown = ", ".join(str(i) for i in indices[:4]) + (", ..." if len(indices) > 4 else "")
    return f"exchange {shown}" if shown else ""


def _failures(rules: list[RuleVerdict], title: str, info: bool) -> list[str]:
    chosen = [s for s in rules if s.outcome is Outcome.FAILED and (s.level is Level.INFO) == info]
    if not chosen:
        return []
    return [title, *(line for s in chosen for line in _failure_lines(s)), ""]


def _reported(rules: list[RuleVerdict]) -> list[str]:
    """What INFO rules saw: they never fail, but the user asked what happened."""
    lines = []
    for summary in rules:
        if summary.rule.level is Level.INFO and summary.outcome is Outcome.PASSED:
            notes = dict.fromkeys(v.received for v in summary.verdicts if v.received)
            lines += [f"  {summary.rule.id} {note}" for note in notes]
    return ["Reported:", *lines, ""] if lines else []


def _skipped_flows(result: RunResult) -> list[str]:
    records = [r for r in result.flows if r.status != "ran"]
    if not records:
        return []
    lines = [f"  {r.flow} ({r.format}) {r.status}: {r.reason}" for r in records]
    return ["Flows not run to the end:", *lines, ""]


def _verdict(result: RunResult) -> str:
    if result.stopped:
        return f"STOPPED: {result.stopped} (exit 3)"
    failed = [s for s in result.rules if s.blocking]
    if not failed:
        return "CONFORMANT: every judged rule passed or was skipped (exit 0)"
    must = sum(s.level is Level.MUST for s in failed)
    return f"NOT CONFORMANT: {must} MUST and {len(failed) - must} SHOULD rule(s) failed (exit 1)"


def render_summary(result: RunResult) -> str:
    rules = result.rules
    lines = _header(result) + _table(rules)
    lines += _failures(rules, "Failing rules:", info=False)
    lines += _failures(rules, "Notes (INFO rules never fail a target):", info=True)
    lines += _reported(rules) + _skipped_flows(result)
    return "\n".join([*lines, _verdict(result)]) + "\n"
