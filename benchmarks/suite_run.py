"""Benchmark: the full `em-conformance run` against the embedded emulator.

Prints the wall time of the run (flows and judging), the number of HTTP requests, polls
per task, and the overhead ratio against a bare `requests` loop that replays the very
same requests, in the same process, against a fresh emulator driven to the same clock
(tokens and session IDs are mapped to the replay's own, so it gets the same answers).
Then where the difference lies: each flow's time in the run beside the replay's time for
that flow's requests, and what is outside the flows (the emulator's start, judging,
redaction); and the property-based flow split into the work per generated case (sending,
checking, recording) and drawing the cases, with the ratio the run would have were
drawing free.  Neither side counts the benchmark's own work: the run's taping of each
request and the replay's mapping of tokens are measured and taken off.

    PYTHONPATH=. python benchmarks/suite_run.py [--repeat N]

(From a checkout, `PYTHONPATH=.` makes it measure that checkout's `conformance`, not the
installed one.)
"""

from __future__ import annotations

import argparse
import http.cookiejar as http_cookiejar
import io
import re
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests
import requests.adapters
import urllib3

import conformance.suite.runner as runner
from conformance.checks import judge
from conformance.checks.steps import Label
from conformance.emulator import EmulatorConfig
from conformance.emulator.server import EmulatorServer
from conformance.exchange import RecordedRequest, RecordedResponse
from conformance.suite import JudgedResult, Settings
from conformance.suite.target import EMBEDDED_TASK_DURATION, VirtualClock, _no_nagle

GOAL = 1.5
Times = defaultdict[str, float]  # seconds per flow
SESSION = re.compile(rb'<SessionId>([^<]+)</SessionId>|"SessionId":"([^"]+)"')


@dataclass
class Step:
    """One request as it went on the wire (unredacted), the clock jump before it, the status."""

    request: RecordedRequest
    jump: float
    status: int
    token: str | None
    session_id: str | None
    flow: str = ""


PREFLIGHT = "(outside the flows)"


@dataclass
class Tape:
    steps: list[Step] = field(default_factory=list)
    travelled: float = 0.0
    seen: float = 0.0
    flow: str = PREFLIGHT
    flow_times: Times = field(default_factory=lambda: defaultdict(float))
    # Seconds the taping itself cost (the benchmark's, not the suite's: taken off the run),
    # spent on the wire (inside the adapter's send), and in schemathesis's own checks.
    taping: Times = field(default_factory=lambda: defaultdict(float))
    wire: Times = field(default_factory=lambda: defaultdict(float))
    checks: float = 0.0
    per_case: float = 0.0


TAPE = Tape()
# CPU seconds of this process (every thread: the client's and the emulator's) per run and
# per replay: unlike wall time, barely moved by other processes on a shared machine.
CPU: dict[str, list[float]] = {"run": [], "replay": []}


def _taping_send(
    adapter: requests.adapters.HTTPAdapter, request: requests.PreparedRequest, **kwargs: Any
) -> requests.Response:
    """`HTTPAdapter.send`, also keeping each request as it went on the wire: every
    request of the run, whichever session sent it (the suite's client, schemathesis's
    stateful transport), is on the tape."""
    began = time.perf_counter()
    response = _SEND(adapter, request, **kwargs)
    sent = time.perf_counter()
    TAPE.wire[TAPE.flow] += sent - began
    jump, TAPE.seen = TAPE.travelled - TAPE.seen, TAPE.travelled
    body = request.body.encode() if isinstance(request.body, str) else request.body or b""
    recorded = RecordedRequest.build(
        request.method or "GET", request.url or "", list(request.headers.items()), body
    )
    answer = RecordedResponse.build(200, {}, _peek(response, kwargs.get("stream", False)))
    token = response.headers.get("X-RestSvcSessionId")
    step = Step(recorded, jump, response.status_code, token, _session(answer), TAPE.flow)
    TAPE.steps.append(step)
    TAPE.taping[TAPE.flow] += time.perf_counter() - sent
    return response


_SEND = requests.adapters.HTTPAdapter.send
_PLAY = runner._play


def _timed(owner: Any, name: str, add: Callable[[float], None]) -> None:
    """Replace `owner.name` by the same callable, also timing each call."""
    original = getattr(owner, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            add(time.perf_counter() - started)

    setattr(owner, name, timed)


def _time_generated_work() -> None:
    """Time the work done per generated case (stateless: sending it in each format,
    checking and recording the answers; stateful: each step's call and checks) and
    schemathesis's own checks within it; the rest of the flow draws the cases."""
    from schemathesis.generation.case import Case
    from schemathesis.generation.stateful.state_machine import APIStateMachine

    import conformance.properties.engine as engine

    def per_case(seconds: float) -> None:
        TAPE.per_case += seconds

    def checks(seconds: float) -> None:
        TAPE.checks += seconds

    _timed(engine, "_exercise", per_case)
    _timed(APIStateMachine, "step", per_case)
    _timed(Case, "validate_response", checks)


def _timed_play(flow: Any, run: Any) -> tuple[str, str]:
    """`runner._play`, also timing each flow and marking the requests it sends."""
    TAPE.flow = flow.name
    started = time.perf_counter()
    try:
        return _PLAY(flow, run)
    finally:
        TAPE.flow_times[flow.name] += time.perf_counter() - started
        TAPE.flow = PREFLIGHT


def _peek(response: requests.Response, streamed: bool) -> bytes:
    """The body, left readable for the caller: a streamed one (the suite's client reads
    `raw` itself) is read here and put back as a fresh raw response over the same bytes."""
    if not streamed:
        return response.content
    content = response.raw.read(decode_content=False)
    response.raw = urllib3.HTTPResponse(
        body=io.BytesIO(content), headers=response.raw.headers, status=response.status_code,
        preload_content=False, decode_content=True,
    )  # fmt: skip
    return content


class TapingClock(VirtualClock):
    def advance(self, seconds: float) -> None:
        super().advance(seconds)
        TAPE.travelled += max(0.0, seconds)


def _token(response: RecordedResponse) -> str | None:
    return response.header("X-RestSvcSessionId")


def _session(response: RecordedResponse) -> str | None:
    match = SESSION.search(response.body)
    return (match.group(1) or match.group(2)).decode() if match else None


def run_suite_once() -> tuple[JudgedResult, float, float]:
    """One full run; returns the result, the flows' wall time and judging's wall time."""
    TAPE.steps.clear()
    TAPE.travelled = TAPE.seen = 0.0
    TAPE.flow, TAPE.flow_times = PREFLIGHT, defaultdict(float)
    TAPE.taping, TAPE.wire = defaultdict(float), defaultdict(float)
    TAPE.checks = TAPE.per_case = 0.0
    import conformance.suite.target as target

    target.VirtualClock = TapingClock  # type: ignore[misc]
    requests.adapters.HTTPAdapter.send = _taping_send  # type: ignore[method-assign,assignment]
    runner._play = _timed_play
    try:
        started, cpu = time.perf_counter(), time.process_time()
        result = runner.run_suite(Settings(seed=0))  # the replay's emulator has seed 0 too
        taping = sum(TAPE.taping.values())
        total = time.perf_counter() - started - taping
        CPU["run"].append(time.process_time() - cpu - taping)
    finally:
        requests.adapters.HTTPAdapter.send = _SEND  # type: ignore[method-assign]
        runner._play = _PLAY
    for name, seconds in TAPE.taping.items():
        if name != PREFLIGHT:
            TAPE.flow_times[name] -= seconds
    TAPE.flow_times[PREFLIGHT] = total - sum(TAPE.flow_times.values())
    started = time.perf_counter()
    judge(result.exchanges)
    return result, total, time.perf_counter() - started


def _substitute(text: str, mapping: dict[str, str]) -> str:
    for old, new in mapping.items():
        text = text.replace(old, new)
    return text


def replay(steps: list[Step]) -> tuple[float, float, Times]:
    """Replay the tape with a bare requests loop; returns wall time, the status match rate
    and the time spent on each flow's requests.  Mapping the run's tokens and session IDs
    to the replay's own is the benchmark's work, not a client's: it is not counted."""
    clock = VirtualClock()
    config = EmulatorConfig(clock=clock, task_duration=EMBEDDED_TASK_DURATION)
    server = EmulatorServer(config)
    _no_nagle(server)
    mapping: dict[str, str] = {}
    matched, mapping_time = 0, 0.0
    per_flow: Times = defaultdict(float)
    with server, requests.Session() as http:
        http.headers.clear()
        http.cookies.set_policy(http_cookiejar.DefaultCookiePolicy(allowed_domains=[]))
        base = server.base_url
        started, cpu = time.perf_counter(), time.process_time()
        for step in steps:
            began = time.perf_counter()
            path = _substitute(step.request.url.split("/api", 1)[1], mapping)
            headers = {k: _substitute(v, mapping) for k, v in step.request.headers}
            sending = time.perf_counter()
            clock.advance(step.jump)
            answer = http.request(step.request.method, base + path, headers=headers,
                                  data=step.request.body or None, allow_redirects=False)  # fmt: skip
            answered = time.perf_counter()
            matched += answer.status_code == step.status
            if step.token and answer.headers.get("X-RestSvcSessionId"):
                mapping[step.token] = answer.headers["X-RestSvcSessionId"]
            new_session = _session(RecordedResponse.build(200, {}, answer.content))
            if step.session_id and new_session:
                mapping[step.session_id] = new_session
            mapping_time += (sending - began) + (time.perf_counter() - answered)
            per_flow[step.flow] += answered - sending
        elapsed = time.perf_counter() - started - mapping_time
        CPU["replay"].append(time.process_time() - cpu - mapping_time)
    return elapsed, matched / max(1, len(steps)), per_flow


def polls_per_task(result: JudgedResult) -> list[int]:
    counts = Counter(
        (tag, e.label, e.request.url)
        for e in result.exchanges
        if e.label.startswith("poll-")
        for tag in e.tags
        if tag.startswith("run:")
    )
    return list(counts.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    _time_generated_work()
    runs, judging, replays, rates, checks, per_case, taping = [], [], [], [], [], [], []
    wires: list[Times] = []
    suite_flows: list[Times] = []
    bare_flows: list[Times] = []
    result, steps = None, []
    for _ in range(repeat):  # interleaved: a run, then the replay of its own requests
        result, total, judged = run_suite_once()
        steps = list(TAPE.steps)
        suite_flows.append(TAPE.flow_times)
        checks.append(TAPE.checks)
        # The taping happened inside the per-case work (all but a logon, a listing, a logout).
        per_case.append(TAPE.per_case - TAPE.taping["property-based"])
        taping.append(sum(TAPE.taping.values()))
        wires.append(TAPE.wire)
        bare, rate, per_flow = replay(steps)
        runs.append(total)
        judging.append(judged)
        replays.append(bare)
        rates.append(rate)
        bare_flows.append(per_flow)
    assert result is not None
    polls = polls_per_task(result)
    generated = sum(1 for e in result.exchanges if e.label == Label.GENERATED)
    print(f"full run (embedded emulator, xml+json): {_spread(runs, 's')} over {repeat} runs")
    print(f"  of which judging {_spread(judging, 's')} ({len(result.verdicts)} verdicts)")
    print(f"HTTP requests per run: {len(result.exchanges)} recorded, {len(steps)} taped"
          f" (property-based among them: {generated}; rules judged: {len(result.rules)})")  # fmt: skip
    print(
        f"polls per task: mean {statistics.mean(polls):.1f}, max {max(polls)}, tasks {len(polls)}"
    )
    print(f"bare requests replay of all {len(steps)} requests: {_spread(replays, 's')}"
          f" (status match {min(rates):.0%})")  # fmt: skip
    ratios = [suite / bare for suite, bare in zip(runs, replays, strict=True)]
    verdict = "met" if statistics.median(ratios) <= GOAL else "NOT met"
    print(
        f"overhead ratio (suite / bare replay): {_spread(ratios, 'x')} (goal <= {GOAL}x: {verdict})"
    )
    cpu_ratios = [run / bare for run, bare in zip(CPU["run"], CPU["replay"], strict=True)]
    cpu_run, cpu_bare = statistics.median(CPU["run"]), statistics.median(CPU["replay"])
    print(f"  the same in CPU seconds of this process: {_spread(cpu_ratios, 'x')}"
          f" (medians: run {cpu_run:.2f} s, replay {cpu_bare:.2f} s)")  # fmt: skip
    print(f"  not counted: the benchmark's taping of the run, {_spread(taping, 's')}")
    _print_flows(steps, suite_flows, bare_flows)
    _print_generation(runs, replays, suite_flows, wires, (per_case, checks))


def _print_flows(steps: list[Step], suite_flows: list[Times], bare_flows: list[Times]) -> None:
    """Median seconds per flow in the run and in the replay of that flow's requests."""
    counts = Counter(step.flow for step in steps)
    names = sorted(suite_flows[0], key=lambda name: -suite_flows[0][name])
    print(
        "where the time goes (median s over the rounds): flow, requests, run, replay, run - replay"
    )
    for name in names:
        run = statistics.median(times[name] for times in suite_flows)
        bare = statistics.median(times.get(name, 0.0) for times in bare_flows)
        print(f"  {name:28s} {counts[name]:5d} {run:7.2f} {bare:7.2f} {run - bare:7.2f}")


def _print_generation(
    runs: list[float], replays: list[float], flows: list[Times], wires: list[Times],
    work: tuple[list[float], list[float]],
) -> None:  # fmt: skip
    """The property-based flow split into the work per generated case (of which on the
    wire and in schemathesis's checks) and the rest, which is drawing the cases (with
    hypothesis's engine) but for a logon, a listing and a logout: what the run would
    cost were drawing free."""
    name, (per_case, checks) = "property-based", work
    drawing = [times[name] - case for times, case in zip(flows, per_case, strict=True)]
    print(f"{name} (medians): per generated case {statistics.median(per_case):.2f} s (on the"
          f" wire {statistics.median(w[name] for w in wires):.2f} s, schemathesis's checks"
          f" {statistics.median(checks):.2f} s); drawing the cases and the rest"
          f" {statistics.median(drawing):.2f} s")  # fmt: skip
    free = [(run - drawn) / bare for run, drawn, bare in zip(runs, drawing, replays, strict=True)]
    print(f"  the ratio were drawing free (the run less that rest): {_spread(free, 'x')}")


def _spread(values: list[float], unit: str) -> str:
    """min / median / max."""
    ordered = sorted(values)
    low, mid, high = ordered[0], statistics.median(ordered), ordered[-1]
    return f"{low:.2f} / {mid:.2f} / {high:.2f} {unit} (min / median / max)"


if __name__ == "__main__":
    main()
