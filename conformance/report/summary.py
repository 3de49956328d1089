"""The summary printed after a run: counts by area, then each failing rule with its
Expected / Received and doc page and, under it, the rules its failure blocked; skipped
flows, skipped rules and why, and the verdict with its exit code (root failures counted
first).  The header names the seed, so `--seed N` replays the run."""

from __future__ import annotations

from conformance.__version__ import __version__
from conformance.checks import Level, Outcome, RuleVerdict
from conformance.client import INCOMPLETE_TAG, TRUNCATED_TAG
from conformance.report.matrix import by_area
from conformance.result import JudgedResult, SubjectKind
from conformance.suite.coverage import not_judged, skipped_rules
from conformance.transport import TRUNCATED_PREFIX

__all__ = ["MAX_SHOWN", "render_summary"]

# Failures shown per rule; the JSON report lists more.
MAX_SHOWN = 3


def _header(result: JudgedResult) -> list[str]:
    subject = result.subject
    faults = f", faults {', '.join(result.faults)}" if result.faults else ""
    faults += ", TLS NOT VERIFIED (--insecure)" if result.insecure else ""
    return [
        f"em-conformance {__version__}: {subject.name} ({subject.described}{faults})",
        f"level {result.level.value.lower()}{_formats(result)}; {_size(result)}{_seed(result.seed)}",
        "",
    ]


def _formats(result: JudgedResult) -> str:
    return f", formats {'+'.join(result.formats)}" if result.formats else ""


def _size(result: JudgedResult) -> str:
    """How much was judged: a recording's exchanges, or a run's requests and flows."""
    count = len(result.exchanges)
    if result.subject.kind is SubjectKind.CASSETTE:
        return f"{count} exchanges judged offline; 'exchange N' is interaction N of the file"
    size = f"{count} requests in {result.duration:.1f} s"
    ran = sum(record.status == "ran" for record in result.flows)
    return size + (f"; {ran} of {len(result.flows)} flow runs ran" if result.flows else "")


def _seed(seed: int | None) -> str:
    return "" if seed is None else f"; seed {seed} (--seed {seed} replays the run)"


def _row(name: str, row: dict[str, int]) -> str:
    counts = (row["passed"], row["failed"], row["blocked"], row["skipped"])
    return f"{name:<16}" + "".join(f"{count:>9}" for count in counts)


def _table(rules: list[RuleVerdict]) -> list[str]:
    lines = [
        f"{'area':<16}" + "".join(f"{o:>9}" for o in ("passed", "failed", "blocked", "skipped"))
    ]
    totals = dict.fromkeys((o.value for o in Outcome), 0)
    for area, row in by_area(rules).items():
        lines.append(_row(area, row))
        totals = {key: totals[key] + row[key] for key in totals}
    return [*lines, _row("total", totals), ""]


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


def _blocked_lines(root: str, rules: list[RuleVerdict]) -> list[str]:
    """The rules a root failure kept from being judged: fix the root, then run again."""
    blocked = [s.rule for s in rules if s.outcome is Outcome.BLOCKED and root in s.blocked_by]
    if not blocked:
        return []
    lines = [f"      Blocked by this failure ({len(blocked)} rule(s), judged once it is fixed):"]
    return lines + [f"        {rule.id} {rule.statement}" for rule in blocked]


def _indices(indices: tuple[int, ...]) -> str:
    shown = ", ".join(str(i) for i in indices[:4]) + (", ..." if len(indices) > 4 else "")
    return f"exchange {shown}" if shown else ""


def _failures(rules: list[RuleVerdict], title: str, info: bool) -> list[str]:
    chosen = [s for s in rules if s.outcome is Outcome.FAILED and (s.level is Level.INFO) == info]
    if not chosen:
        return []
    lines = [
        line for s in chosen for line in [*_failure_lines(s), *_blocked_lines(s.rule.id, rules)]
    ]
    return [title, *lines, ""]


def _reported(rules: list[RuleVerdict]) -> list[str]:
    """What INFO rules saw: they never fail, but the user asked what happened."""
    lines = []
    for summary in rules:
        if summary.rule.level is Level.INFO and summary.outcome is Outcome.PASSED:
            notes = dict.fromkeys(v.received for v in summary.verdicts if v.received)
            lines += [f"  {summary.rule.id} {note}" for note in notes]
    return ["Reported:", *lines, ""] if lines else []


def _skipped_flows(result: JudgedResult) -> list[str]:
    records = [r for r in result.flows if r.status != "ran"]
    if not records:
        return []
    lines = [f"  {r.flow} ({r.format}) {r.status}: {r.reason}" for r in records]
    return ["Flows not run to the end:", *lines, ""]


def _transport(result: JudgedResult) -> list[str]:
    """Bodies cut at the cap or broken off: judged on what arrived, and said so."""
    cut = [i for i, e in enumerate(result.exchanges) if TRUNCATED_TAG in e.tags]
    broken = [i for i, e in enumerate(result.exchanges) if INCOMPLETE_TAG in e.tags]
    lines = []
    if cut:
        lines.append(
            f"  {len(cut)} response body(ies) exceeded the {result.max_body:,}-byte body cap; each"
            f" was judged on a {TRUNCATED_PREFIX // 1024} KiB prefix: exchanges {_few(cut)}"
        )
    if broken:
        lines.append(
            f"  {len(broken)} response body(ies) broke off early: exchanges {_few(broken)}"
        )
    return ["Bodies not received whole:", *lines, ""] if lines else []


def _few(indices: list[int]) -> str:
    shown = ", ".join(f"#{i}" for i in indices[:5])
    return shown + (f" and {len(indices) - 5} more" if len(indices) > 5 else "")


def _stopped(result: JudgedResult) -> list[str]:
    if not result.stopped:
        return []
    lines = [f"The run stopped early ({result.stop_reason}): {result.stopped}"]
    if result.sessions_left_open:
        left = ", ".join(result.sessions_left_open)
        lines.append(f"  logon session(s) that could not be logged out: {left}")
    return [*lines, ""]


def _problems(result: JudgedResult) -> list[str]:
    if not result.problems:
        return []
    return ["Failures outside the rules:", *(f"  {p}" for p in result.problems), ""]


def _wrapped(rule_ids: list[str], width: int = 6) -> list[str]:
    rows = [rule_ids[i : i + width] for i in range(0, len(rule_ids), width)]
    return [f"      {' '.join(row)}" for row in rows]


def _skipped_rules(result: JudgedResult) -> list[str]:
    """Every rule the run could not judge, grouped by why: coverage, not a verdict."""
    lines = []
    for reason, rule_ids in skipped_rules(result).items():
        lines += [f"  {reason}:", *_wrapped(rule_ids)]
    unjudged = not_judged(result)
    if unjudged:
        level = result.level.value.lower()
        lines += [f"  not judged at --level {level} (give --level should):", *_wrapped(unjudged)]
    return ["Rules skipped, and why:", *lines, ""] if lines else []


def _verdict(result: JudgedResult) -> str:
    if result.stopped:
        judged = sum(1 for rule in result.rules if rule.outcome is not Outcome.SKIPPED)
        return (
            f"STOPPED ({result.stop_reason}): {judged} rule(s) judged on what was recorded"
            f" before the stop; not a conformance verdict (exit {result.exit_code})"
        )
    failed = [s for s in result.rules if s.blocking]
    if result.problems and not failed:
        return f"NOT CONFORMANT: {len(result.problems)} failure(s) outside the rules (exit 1)"
    if not failed:
        return "CONFORMANT: every judged rule passed or was skipped (exit 0)"
    must = sum(s.level is Level.MUST for s in failed)
    blocked = sum(s.outcome is Outcome.BLOCKED for s in result.rules)
    also = f"; {blocked} more rule(s) blocked by them" if blocked else ""
    return (
        f"NOT CONFORMANT: {must} MUST and {len(failed) - must} SHOULD rule(s) failed{also} (exit 1)"
    )


def render_summary(result: JudgedResult) -> str:
    rules = result.rules
    lines = _header(result) + _table(rules)
    lines += _failures(rules, "Failing rules:", info=False)
    lines += _failures(rules, "Notes (INFO rules never fail a target):", info=True)
    lines += _reported(rules) + _skipped_flows(result) + _skipped_rules(result)
    lines += _transport(result) + _stopped(result) + _problems(result)
    return "\n".join([*lines, _verdict(result)]) + "\n"
