"""The runner: open the target, check it answers and takes the logon, play every flow
in each format, and judge the recording.

A flow that cannot run is skipped with its reason; a target that stops answering
part-way ends the run with what was recorded so far (exit code 3).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from conformance.checks import Outcome, RuleVerdict, Verdict, judge, summarize
from conformance.client import ClientOptions, EmClient, SafetyGuard
from conformance.errors import TargetError
from conformance.exchange import Exchange
from conformance.flows import FLOWS, Flow, FlowAborted, FlowContext, FlowRun, FlowSkipped
from conformance.flows.disposable import JobSupply
from conformance.polling import Backoff
from conformance.suite.discovery import backup_job
from conformance.suite.settings import Settings
from conformance.suite.target import Target, open_target

__all__ = ["FlowRecord", "RunResult", "run_suite"]

Progress = Callable[[str], None]


@dataclass(frozen=True)
class FlowRecord:
    """How one flow run went: ran, skipped or aborted, why, and how many requests it made."""

    flow: str
    format: str
    status: str
    reason: str = ""
    requests: int = 0


@dataclass
class RunResult:
    """A finished run: the recording, the verdicts and what happened to each flow."""

    settings: Settings
    base_url: str
    exchanges: list[Exchange] = field(default_factory=list)
    verdicts: list[Verdict] = field(default_factory=list)
    flows: list[FlowRecord] = field(default_factory=list)
    duration: float = 0.0
    stopped: str = ""

    @property
    def rules(self) -> list[RuleVerdict]:
        return summarize(self.verdicts)

    @property
    def conformant(self) -> bool:
        return not any(verdict.blocking for verdict in self.verdicts)

    @property
    def exit_code(self) -> int:
        if self.stopped:
            return TargetError.exit_code
        return 0 if self.conformant else 1

    def count(self, outcome: Outcome) -> int:
        return sum(1 for rule in self.rules if rule.outcome is outcome)


def _client(settings: Settings, target: Target) -> EmClient:
    options = ClientOptions(
        verify=target.verify,
        connect_timeout=min(settings.connect_timeout, settings.timeout),
        read_timeout=settings.timeout,
        max_body=settings.max_body,
        api_version=settings.api_version,
    )
    guard = SafetyGuard(
        destructive=settings.destructive or target.embedded,
        jobs=set(settings.disposable_jobs),
        clone_sources={settings.clone_from} if settings.clone_from else set(),
    )
    return EmClient(target.base_url, options, guard)


def _context(settings: Settings, target: Target, client: EmClient) -> FlowContext:
    context = FlowContext(
        client,
        target.username,
        target.password,
        settings.task_timeout,
        Backoff(),
        embedded=target.embedded,
    )
    if target.clock is not None:
        context.travel = context.sleep = target.clock.advance
        context.now = target.clock.now
    context.max_examples, context.formats = settings.max_examples, settings.formats
    context.supply = JobSupply(
        settings.disposable_jobs, settings.clone_from, settings.clone_repository
    )
    return context


def _preflight(context: FlowContext) -> None:
    """The entry point answers and the logon issues a usable token, or the run ends (exit
    code 3).  A token issued with the wrong status or shape is a finding of the logon
    rules, not a reason to stop: the client reads it tolerantly and the run goes on."""
    client = context.client
    client.send("GET", "/", label="preflight-entry", tags=("flow:preflight",))
    exchange, logon = client.logon(
        context.username, context.password, label="preflight-logon", tags=("flow:preflight",)
    )
    status = exchange.response.status
    if status in (401, 403):
        raise TargetError(
            f"The target refused the logon of {context.username!r} ({status}). Check --username"
            " and EM_PASSWORD, that the account holds a Portal Administrator role, and that"
            f" the server supports API version {client.options.api_version!r} (--api-version)."
        )
    if logon is None:
        raise TargetError(
            f"POST /sessionMngr/ answered {status} without a usable session. Check that --target"
            " is the Enterprise Manager API root, like https://em.example:9398/api."
        )
    if context.embedded and context.supply and context.supply.clone_from is None:
        _embedded_supply(context, client.guard, backup_job(client, logon))
    client.logout(logon, label="preflight-logout", tags=("flow:preflight",))


def _embedded_supply(context: FlowContext, guard: SafetyGuard, source: str | None) -> None:
    if source is not None and context.supply is not None:
        context.supply.clone_from = source
        guard.clone_sources.add(source)


def _why_not(flow: Flow, context: FlowContext) -> str:
    if flow.embedded_only and not context.embedded:
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


def _runs(settings: Settings) -> list[tuple[Flow, str]]:
    return [(f, fmt) for f in FLOWS for fmt in (settings.formats if f.per_format else ("xml",))]


def _play_all(context: FlowContext, result: RunResult, progress: Progress) -> None:
    plan = _runs(result.settings)
    for number, (flow, fmt) in enumerate(plan, 1):
        fmt_name = fmt if flow.per_format else "both"
        progress(f"[{number}/{len(plan)}] {flow.name} ({fmt_name})")
        before = len(context.client.exchanges)
        reason = _why_not(flow, context)
        status = "skipped"
        if not reason:
            status, reason = _play(flow, FlowRun(context, flow.name, fmt, f"{flow.name}-{fmt}"))
        requests = len(context.client.exchanges) - before
        result.flows.append(FlowRecord(flow.name, fmt_name, status, reason, requests))


def run_suite(settings: Settings, progress: Progress | None = None) -> RunResult:
    """Run every flow against the target of `settings` and judge what was recorded."""
    report = progress or (lambda line: None)
    started = time.monotonic()
    with open_target(settings) as target:
        client = _client(settings, target)
        result = RunResult(settings, target.base_url)
        try:
            context = _context(settings, target, client)
            report("checking that the target answers and takes the logon")
            _preflight(context)
            _play_all(context, result, report)
        except TargetError as exc:
            if not client.exchanges:
                raise
            result.stopped = str(exc)
        finally:
            client.close()
    result.exchanges = list(client.exchanges)
    report(f"judging {len(result.exchanges)} exchanges")
    result.verdicts = judge(result.exchanges, level=settings.level)
    result.duration = time.monotonic() - started
    return result
