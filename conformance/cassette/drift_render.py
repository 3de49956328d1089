"""Contract drift for people and machines: a Markdown verdict with findings by impact
(for a pull-request comment or a CI job summary), and JSON with every drift."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from conformance.cassette.drift import DriftReport
from conformance.cassette.findings import Finding, Impact

__all__ = ["drift_json", "drift_markdown", "verdict"]

_MEANING = {
    Impact.BREAKING: "a client written against OLD can fail against NEW",
    Impact.COMPATIBLE: "NEW only adds; existing clients keep working",
    Impact.NOISE: "no contract change: timing, order, or a consequence of a breaking change",
}


def verdict(report: DriftReport, fail_on: str = "breaking") -> str:
    """One line: what the diff means, and the exit code it gives."""
    counts = ", ".join(f"{report.count(i)} {i.value}" for i in Impact)
    code = report.exit_code(fail_on)
    if report.count(Impact.BREAKING):
        head = "BREAKING: clients of OLD may fail against NEW"
    elif report.count(Impact.COMPATIBLE):
        head = "COMPATIBLE: NEW only adds to the contract"
    elif report.findings:
        head = "NO CONTRACT CHANGE (noise only)"
    else:
        head = "NO CHANGE"
    return f"{head} ({counts} finding(s); exit {code} with --fail-on {fail_on})"


def drift_json(report: DriftReport, fail_on: str = "breaking") -> dict[str, Any]:
    """The report as a JSON-ready mapping: findings, then every drift behind them."""
    return {
        "old": report.old_name,
        "new": report.new_name,
        "verdict": verdict(report, fail_on),
        "exit_code": report.exit_code(fail_on),
        "paired": report.paired,
        "repeats_ignored": report.repeats,
        "generated_compared": report.generated,
        "generated_varied": list(report.varied),
        "counts": {impact.value: report.count(impact) for impact in Impact},
        "drifted": report.drifted,
        "findings": [_finding_json(finding) for finding in report.findings],
        "drifts": [asdict(drift) for drift in report.drifts],
    }


def _finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "impact": finding.impact.value,
        "kind": finding.kind,
        "summary": finding.summary,
        "count": finding.count,
        "examples": list(finding.examples),
    }


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ") or " "


def _section(report: DriftReport, impact: Impact) -> list[str]:
    chosen = [f for f in report.findings if f.impact is impact]
    if not chosen:
        return []
    lines = [f"## {impact.value.capitalize()} ({len(chosen)}): {_MEANING[impact]}", ""]
    lines += ["| finding | count | examples |", "|---|---|---|"]
    for finding in chosen:
        examples = "<br>".join(_cell(example) for example in finding.examples)
        lines.append(f"| {_cell(finding.summary)} | {finding.count} | {examples or ' '} |")
    return [*lines, ""]


def _ignored(report: DriftReport) -> list[str]:
    lines = [f"{report.paired} steps paired."]
    if report.repeats:
        lines.append(
            f"{report.repeats} extra repetition(s) of an answer both recordings gave (polls) ignored."
        )
    if report.generated:
        lines.append(
            f"{report.generated} property-based (generated) exchange(s) compared by operation"
            " and status class."
        )
    if report.varied:
        lines.append(
            f"{len(report.varied)} generated operation(s) reached other status classes this"
            f" time (random inputs, classes that overlap): {'; '.join(report.varied[:3])}"
            + ("; ..." if len(report.varied) > 3 else "")
        )
    return lines


def drift_markdown(report: DriftReport, fail_on: str = "breaking") -> str:
    """The report as Markdown: the verdict, then one table of findings per impact."""
    lines = [f"# Contract drift: {report.old_name} -> {report.new_name}", ""]
    lines += [f"**{verdict(report, fail_on)}**", "", *_ignored(report), ""]
    for impact in Impact:
        lines += _section(report, impact)
    return "\n".join(lines).rstrip("\n") + "\n"
