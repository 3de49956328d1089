"""The combined summary of a fleet: one row per server, and one verdict line naming the
servers that failed (their own summaries and report files carry the details)."""

from __future__ import annotations

from conformance.checks import Outcome
from conformance.suite.fleet import FleetResult, FleetRun

__all__ = ["fleet_markdown", "fleet_rows", "fleet_verdict", "render_fleet"]

_COLUMNS = (
    "server", "verdict", "passed", "failed", "blocked", "skipped", "requests", "seconds", "exit",
)  # fmt: skip


def _verdict_of(run: FleetRun) -> str:
    result = run.result
    if result is None:
        return "ERROR" if run.exit_code != 130 else "INTERRUPTED"
    if result.stopped:
        return f"STOPPED ({result.stop_reason})"
    return "CONFORMANT" if result.conformant else "NOT CONFORMANT"


def fleet_rows(fleet: FleetResult) -> list[tuple[str, ...]]:
    """One row per server, in the order given: the columns of `_COLUMNS`."""
    rows: list[tuple[str, ...]] = []
    for run in fleet.runs:
        result = run.result
        counts: tuple[str, ...] = ("-",) * 6
        if result is not None:
            counts = (
                str(result.count(Outcome.PASSED)),
                str(result.count(Outcome.FAILED)),
                str(result.count(Outcome.BLOCKED)),
                str(result.count(Outcome.SKIPPED)),
                str(len(result.exchanges)),
                f"{result.duration:.1f}",
            )
        rows.append((run.member.label, _verdict_of(run), *counts, str(run.exit_code)))
    return rows


def fleet_verdict(fleet: FleetResult) -> str:
    """The last line: the whole fleet, naming each server that did not pass."""
    total, failed = len(fleet.runs), fleet.failed
    if not failed and not fleet.interrupted:
        return f"FLEET CONFORMANT: all {total} server(s) conformant (exit 0)"
    named = ", ".join(f"{run.member.label} (exit {run.exit_code})" for run in failed)
    stopped = "interrupted; " if fleet.interrupted else ""
    return (
        f"FLEET NOT CONFORMANT: {stopped}{len(failed)} of {total} server(s) did not pass:"
        f" {named or 'none finished'}; fleet exit {fleet.exit_code}"
    )


def render_fleet(fleet: FleetResult, parallel: int) -> str:
    """The fleet table and verdict line, as printed after every server's run."""
    rows = [_COLUMNS, *fleet_rows(fleet)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_COLUMNS))]
    lines = [
        f"em-conformance fleet: {len(fleet.runs)} server(s),"
        f" {max(1, min(parallel, len(fleet.runs)))} at a time,"
        f" {fleet.duration:.1f} s",
        "",
    ]
    for row in rows:
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
        cells += [cell.rjust(width) for cell, width in zip(row[2:], widths[2:], strict=True)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join([*lines, "", fleet_verdict(fleet)]) + "\n"


def fleet_markdown(fleet: FleetResult) -> str:
    """The fleet table in Markdown (for $GITHUB_STEP_SUMMARY)."""
    lines = ["## em-conformance fleet", "", "| " + " | ".join(_COLUMNS) + " |"]
    lines.append("|" + "---|" * len(_COLUMNS))
    lines += ["| " + " | ".join(row) + " |" for row in fleet_rows(fleet)]
    return "\n".join([*lines, "", f"**{fleet_verdict(fleet)}**", ""])
