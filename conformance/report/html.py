"""A run as one self-contained HTML page: the verdict, the rules by area with their doc
pages, each failure with Expected / Received and the exchange, and a timeline of every
task's life.  No script and no network: styles are inline and a Content-Security-Policy
forbids fetching anything, so the page opens the same from a CI artifact or offline."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from conformance.__version__ import __version__
from conformance.checks import AREAS, Level, Outcome, RuleVerdict, Verdict
from conformance.errors import UsageError
from conformance.exchange import Exchange, Headers
from conformance.report.markdown import (
    MAX_SHOWN,
    distinct_failures,
    flow_count,
    formats,
    subject_line,
    verdict_line,
)
from conformance.report.timeline import MAX_TIMELINES, task_lives, timeline_svg
from conformance.result import JudgedResult

__all__ = ["MAX_BODY", "render_html", "write_html"]

# Characters of a body shown per exchange: enough to see the shape, bounded for size.
MAX_BODY = 2_000
_STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1000px;color:#1d1d1f}
h1{font-size:1.5em}h2{margin-top:2em;border-bottom:1px solid #ddd}
.verdict{padding:.8em 1em;border-radius:6px;font-weight:600;font-size:1.15em}
.pass{background:#e3f4e8;color:#14532d}.fail{background:#fde8e8;color:#7f1d1d}
.stop{background:#fff4d6;color:#713f12}
table{border-collapse:collapse;width:100%;margin:.5em 0}
td,th{border-bottom:1px solid #eee;padding:.25em .5em;text-align:left;vertical-align:top}
.passed{color:#14532d}.failed{color:#b91c1c;font-weight:600}.skipped{color:#6b7280}
pre{background:#f6f8fa;padding:.6em;overflow:auto;white-space:pre-wrap;font-size:12px}
figure.timeline{margin:.6em 0}figcaption{font-size:12px;color:#374151}
.muted{color:#6b7280}
"""
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _verdict(result: JudgedResult) -> str:
    kind = "stop" if result.stopped else ("pass" if result.conformant else "fail")
    return f'<div id="verdict" class="verdict {kind}">{_e(verdict_line(result))}</div>'


def _facts(result: JudgedResult) -> str:
    faults = ", ".join(result.faults) or "none"
    return (
        f'<p class="muted">{_e(subject_line(result))}; faults {_e(faults)}; level'
        f" {_e(result.level.value.lower())}{_e(formats(result))};"
        f" {len(result.exchanges)} requests in {result.duration:.1f} s{_e(flow_count(result))}."
        f" em-conformance {_e(__version__)}.</p>"
    )


def _rule_row(summary: RuleVerdict) -> str:
    rule, outcome = summary.rule, summary.outcome.value
    return (
        f"<tr><td>{_e(rule.id)}</td><td>{_e(rule.level.value)}</td>"
        f'<td class="{_e(outcome)}">{_e(outcome)}</td><td>{_e(rule.statement)}</td>'
        f'<td><a href="{_e(rule.doc)}">doc</a></td></tr>'
    )


def _areas(rules: list[RuleVerdict]) -> str:
    order = {area: n for n, area in enumerate(AREAS)}
    parts = ["<h2>Rules by area</h2>"]
    for area in sorted({r.rule.area for r in rules}, key=lambda a: (order.get(a, 99), a)):
        chosen = [r for r in rules if r.rule.area == area]
        failed = sum(r.outcome is Outcome.FAILED for r in chosen)
        parts.append(
            f"<h3>{_e(area)} <span class='muted'>({len(chosen)} rules, {failed} failed)</span></h3>"
        )
        parts.append("<table>" + "".join(_rule_row(r) for r in chosen) + "</table>")
    return "".join(parts)


def _headers(headers: Headers) -> str:
    return "".join(f"{name}: {value}\n" for name, value in headers)


def _body(body: bytes) -> str:
    text = body.decode("utf-8", "replace")
    more = f"\n... ({len(text) - MAX_BODY} more characters)" if len(text) > MAX_BODY else ""
    return text[:MAX_BODY] + more


def _exchange(index: int, exchange: Exchange) -> str:
    request, response = exchange.request, exchange.response
    label = f" [{exchange.label}]" if exchange.label else ""
    text = (
        f"#{index}{label}\n{request.method} {request.url}\n{_headers(request.headers)}"
        f"{_body(request.body)}\n\nHTTP {response.status}\n{_headers(response.headers)}\n"
        f"{_body(response.body)}"
    )
    return f"<pre>{_e(text)}</pre>"


def _evidence(verdict: Verdict, exchanges: Sequence[Exchange]) -> str:
    where = f" ({_e(verdict.format)})" if verdict.format else ""
    shown = [i for i in verdict.exchanges if 0 <= i < len(exchanges)][:2]
    return (
        f"<p><b>Expected</b>: {_e(verdict.expected)}<br><b>Received</b>{where}:"
        f" {_e(verdict.received)}</p>" + "".join(_exchange(i, exchanges[i]) for i in shown)
    )


def _failures(result: JudgedResult, rules: list[RuleVerdict]) -> str:
    failed = [r for r in rules if r.outcome is Outcome.FAILED]
    if not failed:
        return "<h2>Failures</h2><p>None.</p>"
    parts = ["<h2>Failures</h2>"]
    for summary in failed:
        rule = summary.rule
        note = " (INFO: never fails a target)" if rule.level is Level.INFO else ""
        parts.append(
            f"<details><summary><b>{_e(rule.id)}</b> {_e(rule.level.value)}{note}:"
            f' {_e(rule.statement)} <a href="{_e(rule.doc)}">doc</a></summary>'
        )
        shown = distinct_failures(summary)[:MAX_SHOWN]
        parts += [_evidence(v, result.exchanges) for v in shown]
        more = len(summary.failures) - len(shown)
        parts.append(
            f"<p class='muted'>... and {more} more failure(s) of this rule</p>" if more > 0 else ""
        )
        parts.append("</details>")
    return "".join(parts)


def _timelines(result: JudgedResult) -> str:
    lives = task_lives(result.exchanges)
    parts = ['<h2 id="timelines">Task timelines</h2>']
    if not lives:
        return parts[0] + "<p>No Task was answered in this run.</p>"
    parts.append(
        "<p class='muted'>Each dot is one answer about the task (the 202 that created it,"
        " then each poll), at the height of the state it reported.</p>"
    )
    # The flows' tasks tell the story; generated requests' tasks come after them.
    chosen = sorted(lives, key=lambda life: life.where.startswith("property"))[:MAX_TIMELINES]
    parts += [timeline_svg(life) for life in chosen]
    if len(lives) > MAX_TIMELINES:
        parts.append(
            f"<p class='muted'>... and {len(lives) - MAX_TIMELINES} more tasks (property-based"
            " requests' tasks are left out first)</p>"
        )
    return "".join(parts)


def _flows(result: JudgedResult) -> str:
    records = [r for r in result.flows if r.status != "ran"]
    if not records:
        return ""
    items = "".join(
        f"<li>{_e(r.flow)} ({_e(r.format)}) {_e(r.status)}: {_e(r.reason)}</li>" for r in records
    )
    return f"<h2>Flows not run to the end</h2><ul>{items}</ul>"


def render_html(result: JudgedResult) -> str:
    rules = result.rules
    head = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        f"<title>em-conformance: {_e(verdict_line(result))}</title><style>{_STYLE}</style></head>"
    )
    body = (
        f"<body><h1>em-conformance report</h1>{_verdict(result)}{_facts(result)}"
        f"{_failures(result, rules)}{_timelines(result)}{_areas(rules)}{_flows(result)}</body></html>"
    )
    return head + body + "\n"


def write_html(result: JudgedResult, path: Path) -> None:
    try:
        path.write_text(render_html(result), encoding="utf-8")
    except OSError as exc:
        raise UsageError(
            f"Cannot write the HTML report to {path}: {exc.strerror}. Choose another --html."
        ) from None
