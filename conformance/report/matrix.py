"""The JSON report: run facts, flows, and a traceability matrix of every rule judged
(rule, level, doc page, what the rule rests on, the checks behind it, the verdict and its
evidence; each failure names the level it fails at and the constraints it broke, with
what each rests on); a rule blocked by another's failure names its root, and the
summary lists each root's."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from conformance.__version__ import __version__
from conformance.checks import AREAS, Outcome, RuleVerdict, Verdict, api_path
from conformance.errors import UsageError
from conformance.evidence import Evidence
from conformance.exchange import Exchange
from conformance.representations import Violation
from conformance.result import JudgedResult
from conformance.suite.coverage import skipped_rules

__all__ = ["MAX_EVIDENCE", "build_report", "by_area", "roots", "write_report"]

# Failures listed per rule; the rest are counted.
MAX_EVIDENCE = 20


def _exchange(index: int, exchange: Exchange) -> dict[str, Any]:
    request = exchange.request
    query = request.url.partition("?")[2]
    return {
        "index": index,
        "method": request.method,
        "path": api_path(request.url) + (f"?{query}" if query else ""),
        "status": exchange.response.status,
        "label": exchange.label,
    }


def _grounds(evidence: Evidence | None) -> dict[str, str] | None:
    return evidence.as_dict() if evidence else None


def _constraint(violation: Violation) -> dict[str, Any]:
    return {
        "path": violation.path,
        "message": violation.message,
        "evidence": _grounds(violation.evidence),
    }


def _evidence(verdict: Verdict, exchanges: Sequence[Exchange]) -> dict[str, Any]:
    return {
        "check": verdict.check,
        "outcome": verdict.outcome.value,
        "level": verdict.level.value,
        "constraints": [_constraint(v) for v in verdict.constraints[:MAX_EVIDENCE]],
        "format": verdict.format,
        "expected": verdict.expected,
        "received": verdict.received,
        "exchanges": [_exchange(i, exchanges[i]) for i in verdict.exchanges if i < len(exchanges)],
    }


def _notes(summary: RuleVerdict) -> list[str]:
    passed = [v.received for v in summary.verdicts if v.outcome is Outcome.PASSED and v.received]
    return list(dict.fromkeys(passed))[:5]


def _rule(summary: RuleVerdict, exchanges: Sequence[Exchange]) -> dict[str, Any]:
    rule, failures = summary.rule, summary.failures
    blocked = [v for v in summary.verdicts if v.blocked]
    counts = {o.value: sum(v.outcome is o for v in summary.verdicts) for o in Outcome}
    return {
        "id": rule.id,
        "level": rule.level.value,
        "area": rule.area,
        "doc": rule.doc,
        "statement": rule.statement,
        "evidence": _grounds(rule.evidence),
        "fails_at": summary.level.value if failures else None,
        "checks": list(summary.checks),
        "verdict": summary.outcome.value,
        "blocking": summary.blocking,
        "judgements": counts,
        "failures": [_evidence(v, exchanges) for v in failures[:MAX_EVIDENCE]],
        "more_failures": max(0, len(failures) - MAX_EVIDENCE),
        "notes": _notes(summary),
        "skipped_because": summary.verdicts[0].received
        if summary.outcome is Outcome.SKIPPED
        else "",
        "blocked_by": list(summary.blocked_by),
        "blocked": [_evidence(v, exchanges) for v in blocked[:MAX_EVIDENCE]],
    }


def roots(rules: list[RuleVerdict]) -> dict[str, list[str]]:
    """Each failing rule that blocked others, with the rules it blocked, in rule order."""
    found: dict[str, list[str]] = {}
    for summary in rules:
        if summary.outcome is Outcome.BLOCKED:
            for root in summary.blocked_by:
                found.setdefault(root, []).append(summary.rule.id)
    return found


def by_area(rules: list[RuleVerdict]) -> dict[str, dict[str, int]]:
    """Rule outcomes counted per area, in catalogue order."""
    table = {area: {o.value: 0 for o in Outcome} for area in AREAS}
    for summary in rules:
        row = table.setdefault(summary.rule.area, {o.value: 0 for o in Outcome})
        row[summary.outcome.value] += 1
    return {area: row for area, row in table.items() if sum(row.values())}


def build_report(result: JudgedResult) -> dict[str, Any]:
    rules, subject = result.rules, result.subject
    return {
        "tool": "em-conformance",
        "version": __version__,
        "target": subject.name,
        "subject": {"kind": subject.kind.name.lower(), "name": subject.name},
        "embedded": result.embedded,
        "level": result.level.value.lower(),
        "formats": list(result.formats),
        "destructive": result.destructive,
        "faults": list(result.faults),
        "seed": result.seed,
        "conformant": result.conformant,
        "exit_code": result.exit_code,
        "stopped": result.stopped,
        "stop_reason": result.stop_reason,
        "sessions_left_open": list(result.sessions_left_open),
        "problems": list(result.problems),
        "duration_seconds": round(result.duration, 3),
        "requests": len(result.exchanges),
        "summary": {o.value: result.count(o) for o in Outcome}
        | {"by_area": by_area(rules), "roots": roots(rules)},
        "flows": [vars(record) for record in result.flows],
        "skipped_because": skipped_rules(result),
        "rules": [_rule(summary, result.exchanges) for summary in rules],
    }


def write_report(result: JudgedResult, path: Path) -> None:
    text = json.dumps(build_report(result), indent=2, ensure_ascii=False)
    try:
        path.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise UsageError(
            f"Cannot write the report to {path}: {exc.strerror}. Choose another --report."
        ) from None
