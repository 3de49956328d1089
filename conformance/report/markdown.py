"""A run as Markdown, for a pull-request comment or a CI job summary
(`$GITHUB_STEP_SUMMARY`): the verdict, counts by area, and each failing rule with its
Expected / Received and doc page."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from conformance.__version__ import __version__
from conformance.checks import Level, Outcome, RuleVerdict, Verdict
from conformance.errors import UsageError
from conformance.report.matrix import by_area
from conformance.result import JudgedResult, SubjectKind

__all__ = [
    "MAX_SHOWN",
    "distinct_failures",
    "flow_count",
    "formats",
    "render_markdown",
    "subject_line",
    "verdict_line",
    "write_markdown",
    "write_step_summary",
]

# Failures quoted per rule; the JSON and HTML reports show more.
MAX_SHOWN = 3


def verdict_line(result: JudgedResult) -> str:
    """CONFORMANT / NOT CONFORMANT / STOPPED, with the exit code."""
    if result.stopped:
        return f"STOPPED: {result.stopped} (exit {result.exit_code})"
    failed = [rule for rule in result.rules if rule.blocking]
    if result.problems and not failed:
        return f"NOT CONFORMANT: {len(result.problems)} failure(s) outside the rules (exit 1)"
    if result.conformant:
        return f"CONFORMANT: every judged rule passed or was skipped (exit {result.exit_code})"
    must = sum(rule.rule.level is Level.MUST for rule in failed)
    return (
        f"NOT CONFORMANT: {must} MUST and {len(failed) - must} SHOULD rule(s) failed"
        f" (exit {result.exit_code})"
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").strip() or " "


def _header(result: JudgedResult) -> list[str]:
    faults = f"; faults: {', '.join(result.faults)}" if result.faults else ""
    return [
        f"## em-conformance {__version__}: {verdict_line(result)}",
        "",
        f"{subject_line(result)}{faults}. Level {result.level.value.lower()}{formats(result)};"
        f" {len(result.exchanges)} requests{flow_count(result)}.",
        "",
    ]


def subject_line(result: JudgedResult) -> str:
    """What was judged: `Target: embedded emulator`, `Cassette: PATH`, `Client program: CMD`."""
    subject = result.subject
    if subject.kind is SubjectKind.EMULATOR:
        return "Target: embedded emulator"
    noun = "Target" if subject.kind is SubjectKind.TARGET else subject.kind.value.capitalize()
    return f"{noun}: {subject.name}"


def formats(result: JudgedResult) -> str:
    return f", formats {'+'.join(result.formats)}" if result.formats else ""


def flow_count(result: JudgedResult) -> str:
    ran = sum(record.status == "ran" for record in result.flows)
    return f"; {ran} of {len(result.flows)} flow runs ran" if result.flows else ""


def _areas(rules: list[RuleVerdict]) -> list[str]:
    outcomes = [outcome.value for outcome in Outcome]
    lines = ["| area | " + " | ".join(outcomes) + " |", "|---" * (len(outcomes) + 1) + "|"]
    for area, row in by_area(rules).items():
        lines.append(f"| {area} | " + " | ".join(str(row.get(o, 0)) for o in outcomes) + " |")
    return [*lines, ""]


def distinct_failures(summary: RuleVerdict) -> list[Verdict]:
    """A rule's failures, one per distinct Expected / Received and format."""
    seen: dict[tuple[str, str, str], Verdict] = {}
    for verdict in summary.failures:
        seen.setdefault((verdict.expected, verdict.received, verdict.format), verdict)
    return list(seen.values())


def _failure(summary: RuleVerdict) -> list[str]:
    rule = summary.rule
    lines = [f"- **{rule.id}** ({rule.level.value}) {_cell(rule.statement)} [doc]({rule.doc})"]
    shown = distinct_failures(summary)[:MAX_SHOWN]
    for verdict in shown:
        where = f" ({verdict.format})" if verdict.format else ""
        lines.append(f"  - Expected: {_cell(verdict.expected)}")
        lines.append(f"    Received{where}: {_cell(verdict.received)}")
    if len(summary.failures) > len(shown):
        lines.append(f"  - ... and {len(summary.failures) - len(shown)} more failure(s)")
    return lines


def _failures(rules: list[RuleVerdict]) -> list[str]:
    failed = [s for s in rules if s.outcome is Outcome.FAILED and s.rule.level is not Level.INFO]
    if not failed:
        return []
    return ["### Failing rules", "", *(line for s in failed for line in _failure(s)), ""]


def _notes(rules: list[RuleVerdict]) -> list[str]:
    notes = [s for s in rules if s.outcome is Outcome.FAILED and s.rule.level is Level.INFO]
    if not notes:
        return []
    body = [line for s in notes for line in _failure(s)]
    return ["<details><summary>Notes (INFO rules never fail a target)</summary>", "", *body, "",
            "</details>", ""]  # fmt: skip


def _skipped(result: JudgedResult) -> list[str]:
    records = [r for r in result.flows if r.status != "ran"]
    if not records:
        return []
    lines = [f"- {r.flow} ({r.format}) {r.status}: {_cell(r.reason)}" for r in records]
    return ["<details><summary>Flows not run to the end</summary>", "", *lines, "",
            "</details>", ""]  # fmt: skip


def render_markdown(result: JudgedResult) -> str:
    rules = result.rules
    lines = _header(result) + _areas(rules) + _failures(rules) + _notes(rules)
    return "\n".join(lines + _skipped(result)).rstrip("\n") + "\n"


def write_markdown(text: str, path: Path, *, append: bool = False) -> None:
    """Write (or append, as to `$GITHUB_STEP_SUMMARY`) Markdown to `path`."""
    try:
        with path.open("a" if append else "w", encoding="utf-8") as stream:
            stream.write(text)
    except OSError as exc:
        raise UsageError(
            f"Cannot write Markdown to {path}: {exc.strerror}. Choose another file."
        ) from None


def write_step_summary(text: str, env: Mapping[str, str] | None = None) -> None:
    """Append Markdown to the file GitHub Actions shows as the job summary, if one is set."""
    path = (os.environ if env is None else env).get("GITHUB_STEP_SUMMARY")
    if path:
        write_markdown(text, Path(path), append=True)
