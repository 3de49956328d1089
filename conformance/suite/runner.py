"""The runner: open the target, check it answers and takes the logon, play every flow
in each format, and judge the recording.

A flow that cannot run is skipped with its reason.  Every stop reports: a target that
stops answering, a refused logon, Ctrl-C or SIGTERM end the run with the sessions it
opened logged out and what was recorded so far judged, and the result says why it
stopped (`StopReason`).  The checks judge the exchanges as they were on the wire; only
then are secrets replaced, in the copy every output is written from.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from conformance.checks import Level, Verdict, judge
from conformance.client import ClientOptions, EmClient, SafetyGuard
from conformance.errors import LogonRefused, TargetError
from conformance.exchange import Exchange
from conformance.flows import FLOWS, Flow, FlowAborted, FlowContext, FlowRun, FlowSkipped
from conformance.flows.plan import RunPlan
from conformance.redaction import Redactor
from conformance.result import (
    FlowRecord,
    JudgedResult,
    JudgedSubject,
    StopReason,
    SubjectKind,
    redacted_verdicts,
)
from conformance.suite.discovery import backup_job
from conformance.suite.plan import resolve_plan
from conformance.suite.settings import Settings, with_seed
from conformance.suite.target import open_target

__all__ = ["run_suite"]

Progress = Callable[[str], None]
_Judged = tuple[tuple[Exchange, ...], tuple[Verdict, ...]]


@dataclass
class _Run:
    """What a run gathers as it goes, frozen into a `JudgedResult` at its end."""

    flows: list[FlowRecord] = field(default_factory=list)
    stopped: str = ""
    stop_reason: str = ""
    sessions_left_open: list[str] = field(default_factory=list)


def _client(plan: RunPlan) -> EmClient:
    options = ClientOptions(
        verify=plan.verify,
        connect_timeout=plan.connect_timeout,
        read_timeout=plan.timeout,
        max_body=plan.max_body,
        api_version=plan.api_version,
    )
    guard = SafetyGuard(
        destructive=plan.destructive,
        owned=plan.embedded,
        jobs=set(plan.disposable_jobs),
        clone_sources={plan.clone_from} if plan.clone_from else set(),
    )
    return EmClient(plan.base_url, options, guard, Redactor([plan.password]))


def _preflight(context: FlowContext) -> None:
    """The entry point answers and the logon issues a usable token, or the run ends (exit
    code 3).  A token issued with the wrong status or shape is a finding of the logon
    rules, not a reason to stop: the client reads it tolerantly and the run goes on."""
    client, plan = context.client, context.plan
    client.send("GET", "/", label="preflight-entry", tags=("flow:preflight",))
    exchange, logon = client.logon(
        plan.username, plan.password, label="preflight-logon", tags=("flow:preflight",)
    )
    status = exchange.response.status
    if status in (401, 403):
        raise LogonRefused(
            f"The target refused the logon of {plan.username!r} ({status}). Check --username"
            " and EM_PASSWORD, that the account holds a Portal Administrator role, and that"
            f" the server supports API version {client.options.api_version!r} (--api-version)."
        )
    if logon is None:
        raise TargetError(
            f"POST /sessionMngr/ answered {status} without a usable session. Check that --target"
            " is the Enterprise Manager API root, like https://em.example:9398/api."
        )
    if plan.embedded and context.supply and context.supply.clone_from is None:
        _embedded_supply(context, client.guard, backup_job(client, logon))
    if context.supply is not None and client.guard.destructive:
        context.supply.survey(client, logon, tags=("flow:preflight",))
    client.logout(logon, label="preflight-logout", tags=("flow:preflight",))


def _embedded_supply(context: FlowContext, guard: SafetyGuard, source: str | None) -> None:
    if source is not None and context.supply is not None:
        context.supply.clone_from = source
        guard.clone_sources.add(source)


def _why_not(flow: Flow, context: FlowContext) -> str:
    if flow.embedded_only and not context.plan.embedded:
        return "starts a job, so it runs against the embedded emulator only"
    if flow.destructive and not context.client.guard.destructive:
        return "read-only run: give --destructive with --disposable-job ID or --clone-from ID"
    return ""


def _play(flow: Flow, run: FlowRun) -> tuple[str, str]:
    try:
        flow.play(run)
    except FlowSkipped as skipped:
        return "skipped", str(skipped)
    except FlowAborted as aborted:
        return "aborted", str(aborted)
    return "ran", ""


def _runs(plan: RunPlan) -> list[tuple[Flow, str]]:
    return [(f, fmt) for f in FLOWS for fmt in (plan.formats if f.per_format else ("xml",))]


def _play_all(context: FlowContext, result: _Run, progress: Progress) -> None:
    runs = _runs(context.plan)
    for number, (flow, fmt) in enumerate(runs, 1):
        fmt_name = fmt if flow.per_format else "both"
        progress(f"[{number}/{len(runs)}] {flow.name} ({fmt_name})")
        before = len(context.client.exchanges)
        reason = _why_not(flow, context)
        status = "skipped"
        if not reason:
            status, reason = _play(flow, FlowRun(context, flow.name, fmt, f"{flow.name}-{fmt}"))
        requests = len(context.client.exchanges) - before
        result.flows.append(FlowRecord(flow.name, fmt_name, status, reason, requests))


def _judge(client: EmClient, level: Level, report: Progress) -> _Judged:
    """Judge the wire as it was, then keep only a redacted copy for every output."""
    report(f"judging {len(client.exchanges)} exchanges")
    raw = list(client.exchanges)
    verdicts = judge(raw, level=level)
    redactor = client.redactor
    return tuple(redactor.redact_all(raw)), redacted_verdicts(verdicts, redactor)


def _result(
    settings: Settings, plan: RunPlan, base_url: str, run: _Run, judged: _Judged
) -> JudgedResult:
    """What the run judged, and every fact of how it ran that the reports print."""
    kind = SubjectKind.EMULATOR if plan.embedded else SubjectKind.TARGET
    exchanges, verdicts = judged
    return JudgedResult(
        JudgedSubject(kind, base_url), plan.level, exchanges, verdicts,
        flows=tuple(run.flows), formats=plan.formats, seed=plan.seed,
        faults=settings.faults, destructive=plan.destructive,
        insecure=settings.insecure, max_body=plan.max_body, stopped=run.stopped,
        stop_reason=run.stop_reason, sessions_left_open=tuple(run.sessions_left_open),
    )  # fmt: skip


def _stop(result: _Run, reason: str, message: str) -> None:
    result.stop_reason, result.stopped = reason, message


def _reason_of(exc: TargetError) -> str:
    return StopReason.LOGON_REFUSED if isinstance(exc, LogonRefused) else StopReason.UNREACHABLE


def _close_sessions(client: EmClient, result: _Run) -> None:
    """Log out what the run left open; a second Ctrl-C here gives up on the rest."""
    # A target that trickles must not hold the stop for long: logouts get a short deadline.
    client.options = replace(client.options, read_timeout=min(client.options.read_timeout, 5.0))
    try:
        result.sessions_left_open = client.logout_all(tags=("flow:stop",))
    except KeyboardInterrupt:
        result.sessions_left_open = sorted(client.open_logons)


def run_suite(
    settings: Settings,
    progress: Progress | None = None,
    watch: Callable[[Exchange], None] | None = None,
) -> JudgedResult:
    """Run every flow against the target of `settings` and judge what was recorded;
    `watch` sees each exchange as it is made, before redaction (print no headers).

    The run always returns a result, judged as far as it got: a stop (the target stops
    answering, refuses the logon, or the run is interrupted) is in `stopped`."""
    report = progress or (lambda line: None)
    settings, started = with_seed(settings), time.monotonic()
    with open_target(settings) as target:
        plan = resolve_plan(settings, target)  # settings resolved once: flows read only this
        client = _client(plan)
        client.observers += [watch] if watch is not None else []
        result, base_url = _Run(), target.base_url
        try:
            context = FlowContext(client, plan)
            report("checking that the target answers and takes the logon")
            _preflight(context)
            _play_all(context, result, report)
        except TargetError as exc:
            _stop(result, _reason_of(exc), client.redactor.text(str(exc)))
        except KeyboardInterrupt:
            _stop(result, StopReason.INTERRUPTED, "interrupted before every flow had run")
        finally:
            _close_sessions(client, result)
            client.close()
    judged = _result(settings, plan, base_url, result, _judge(client, plan.level, report))
    return replace(judged, duration=time.monotonic() - started)
