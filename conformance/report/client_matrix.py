"""The robustness matrix's outputs: a terminal table, Markdown, JSON and JUnit XML.

One row per fault: the client's behaviour (handled, noticed, crashed, hung, wrong
result) and the rules it failed.  In JUnit each fault is a test case, failed when a
rule failed, so CI shows the matrix as one suite.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from conformance.checks.verdict import Verdict
from conformance.suite.client_matrix import MatrixResult, MatrixRow

__all__ = ["matrix_json", "matrix_junit", "matrix_markdown", "matrix_table", "write_outputs"]

_HEADINGS = ("fault", "outcome", "exit", "verdict", "failed rules")


def _exit(row: MatrixRow) -> str:
    return "timeout" if row.run.returncode is None else str(row.run.returncode)


def _cells(row: MatrixRow) -> tuple[str, ...]:
    verdict = "pass" if row.passed else "FAIL"
    failed = ", ".join(row.failed_rules) or "-"
    return (row.case.name, row.behaviour.value, _exit(row), verdict, failed)


def matrix_table(result: MatrixResult) -> str:
    """A plain-text table, one line per fault, and a closing count."""
    rows = [_HEADINGS, *(_cells(row) for row in result.rows)]
    widths = [max(len(cells[i]) for cells in rows) for i in range(len(_HEADINGS))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()
        for cells in rows
    ]
    passed = sum(row.passed for row in result.rows)
    lines.append(f"{passed} of {len(result.rows)} fault(s) passed ({result.workers} worker(s))")
    return "\n".join(lines)


def matrix_markdown(result: MatrixResult) -> str:
    lines = [f"# Client robustness matrix: `{' '.join(result.command)}`", ""]
    lines.append("| " + " | ".join(_HEADINGS) + " | what the client met |")
    lines.append("|" + "---|" * (len(_HEADINGS) + 1))
    for row in result.rows:
        lines.append("| " + " | ".join(_cells(row)) + f" | {row.case.description} |")
    return "\n".join(lines) + "\n"


def _failure(verdict: Verdict) -> dict[str, str]:
    return {"rule": verdict.rule.id, "expected": verdict.expected, "received": verdict.received}


def _row(row: MatrixRow) -> dict[str, Any]:
    return {
        "fault": row.case.name, "profiles": list(row.case.faults), "outcome": row.behaviour.value,
        "passed": row.passed, "exit": row.run.returncode, "exchanges": len(row.run.result.exchanges),
        "failures": [_failure(verdict) for verdict in row.blocking],
    }  # fmt: skip


def matrix_json(result: MatrixResult) -> dict[str, Any]:
    return {
        "command": list(result.command),
        "workers": result.workers,
        "passed": result.exit_code == 0,
        "rows": [_row(row) for row in result.rows],
    }


def matrix_junit(result: MatrixResult) -> bytes:
    failures = sum(not row.passed for row in result.rows)
    suite = ET.Element("testsuite", name="em-conformance client matrix",
                       tests=str(len(result.rows)), failures=str(failures))  # fmt: skip
    for row in result.rows:
        case = ET.SubElement(suite, "testcase", classname="client-matrix", name=row.case.name)
        if not row.passed:
            text = "\n".join(
                f"{v.rule.id}: Expected {v.expected}; received {v.received}" for v in row.blocking
            )
            message = f"{row.behaviour.value}; failed {', '.join(row.failed_rules)}"
            ET.SubElement(case, "failure", message=message).text = text
        ET.SubElement(case, "system-out").text = f"outcome: {row.behaviour.value}\n{row.run.output}"
    return bytes(ET.tostring(suite, encoding="utf-8", xml_declaration=True))


def write_outputs(
    result: MatrixResult, *, junitxml: Path | None, markdown: Path | None, report: Path | None
) -> None:
    """Write each output asked for."""
    if junitxml is not None:
        junitxml.write_bytes(matrix_junit(result))
    if markdown is not None:
        markdown.write_text(matrix_markdown(result), encoding="utf-8")
    if report is not None:
        report.write_text(json.dumps(matrix_json(result), indent=2) + "\n", encoding="utf-8")
