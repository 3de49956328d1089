"""Cassette rates: load, write, replay and offline-check throughput, in exchanges per second.

    python benchmarks/cassette_rates.py [--size 10000] [--repeat 3]
        [--goal-sizes 10000 100000] [--rounds 5]

Each rate is the best of `--repeat` runs, printed with a baseline measured in the same
process on the same data, so the ratio carries across machines:

- load: `parse_cassette` against bare `yaml.load` (libyaml, GC paused as ours) of the
  same text, and `parse_cassette` of the same exchanges in the layout `yaml.dump` wrote
  before `cassette/layout.py` (read through libyaml, as any other writer's cassette is);
- write: redacting and rendering against bare `yaml.dump` (libyaml, GC paused) of the
  same mapping;
- replay: `Replayer.handle` against a plain dict lookup per request, and the same
  replay end to end through `requests` and the `responses` mock;
- offline check: `judge` over the shipped emulator recordings (every flow, XML and JSON).

Then the goal: load (`parse_cassette`) and offline check (`judge` of what was loaded)
each >= 10,000 exchanges/s on cassettes of `--goal-sizes` interactions, min / median /
max over `--rounds`, with bare `yaml.load` (libyaml) of the same text as the baseline.
Rates are wall-clock; the same rates by this process's CPU time, and the load average
before and after, are printed too, since the machine may be shared.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

import requests
import yaml

from conformance.cassette import (
    Replayer,
    parse_cassette,
    read_cassette,
    render_cassette,
    replay_cassette,
)
from conformance.cassette.format import dump_yaml, exchange_to_interaction
from conformance.checks import judge
from conformance.exchange import Exchange, RecordedRequest, RecordedResponse
from conformance.redaction import redact
from conformance.spec import cassettes_dir

STATES = ("Running", "OperationFinished", "Finished")
GOAL = 10_000  # exchanges per second, load and offline check alike
Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def synthetic(count: int, tasks: int = 500) -> list[Exchange]:
    """`count` task polls over `tasks` task URLs, each task walking its states."""
    exchanges = []
    for index in range(count):
        href = f"https://em.example:9398/api/tasks/task-{index % tasks}"
        body = (
            f'<Task xmlns="http://www.veeam.com/ent/v1.0" Type="Task" Href="{href}">\n'
            f'  <Links>\n    <Link Rel="Delete" Type="Task" Href="{href}" />\n  </Links>\n'
            f"  <TaskId>task-{index % tasks}</TaskId>\n  <State>{STATES[min(index // tasks, 2)]}</State>\n"
            "  <Operation>DeleteJob</Operation>\n</Task>\n"
        )
        request = RecordedRequest.build(
            "GET", href, {"X-RestSvcSessionId": "O9Msj3rq7EGUhtSMBQx+mw=="}
        )
        headers = {"Content-Type": "application/xml", "Content-Length": str(len(body))}
        exchanges.append(Exchange(request, RecordedResponse.build(200, headers, body), "poll-task"))
    return exchanges


def best(function: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def row(name: str, count: int, seconds: float, baseline: float | None = None) -> None:
    ratio = f"{seconds / baseline:6.1f}x baseline" if baseline else ""
    print(f"{name:34} {count:>7} exchanges  {count / seconds:>11,.0f} /s  {ratio}")


def _replay_through_requests(exchanges: list[Exchange]) -> None:
    with replay_cassette(exchanges):
        for exchange in exchanges:
            requests.get(exchange.request.url, headers=dict(exchange.request.headers), timeout=5)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--goal-sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--goal-only", action="store_true", help="skip the rate table")
    args = parser.parse_args()
    if not args.goal_only:
        rates(args)
    for size in args.goal_sizes:
        goal(size, args.rounds)


def rates(args: argparse.Namespace) -> None:
    exchanges = synthetic(args.size)
    text = render_cassette(redact(exchanges))
    document = {"version": 1, "interactions": [exchange_to_interaction(e) for e in exchanges]}
    print(
        f"cassette of {args.size} interactions, {len(text) / 1e6:.1f} MB of YAML; best of {args.repeat}\n"
    )

    yaml_load = best(lambda: _paused(lambda: yaml.load(text, Loader=Loader)), args.repeat)
    row("load: yaml.load (baseline)", args.size, yaml_load)
    row(
        "load: parse_cassette",
        args.size,
        best(lambda: parse_cassette(text), args.repeat),
        yaml_load,
    )
    # The same redacted exchanges in the layout of cassettes written before layout.py,
    # against bare yaml.load of that very text (not of the other layout's).
    older = dump_yaml(
        {"version": 1, "interactions": [exchange_to_interaction(e) for e in redact(exchanges)]}
    )
    row(
        "load: parse_cassette, old layout",
        args.size,
        best(lambda: parse_cassette(older), args.repeat),
        best(lambda: _paused(lambda: yaml.load(older, Loader=Loader)), args.repeat),
    )

    yaml_dump = best(
        lambda: _paused(lambda: yaml.dump(document, Dumper=Dumper, sort_keys=False)), args.repeat
    )
    row("write: yaml.dump (baseline)", args.size, yaml_dump)
    row(
        "write: redact + render",
        args.size,
        best(lambda: render_cassette(redact(exchanges)), args.repeat),
        yaml_dump,
    )

    loaded = list(parse_cassette(text).exchanges)
    lookup = {e.request.url: e.response for e in loaded}
    dict_time = best(lambda: [lookup[e.request.url] for e in loaded], args.repeat)
    row("replay: dict lookup (baseline)", args.size, dict_time)
    replay_time = best(lambda: _replay_all(loaded), args.repeat)
    row("replay: Replayer.handle", args.size, replay_time, dict_time)
    sample = loaded[: min(2_000, args.size)]
    row(
        "replay: requests + responses mock",
        len(sample),
        best(lambda: _replay_through_requests(sample), 1),
    )

    recordings = [
        read_cassette(path) for path in sorted(cassettes_dir().glob("emulator-flows-*.yaml"))
    ]
    recorded = sum(len(r) for r in recordings)
    row(
        "offline check: judge (recordings)",
        recorded,
        best(lambda: [judge(r) for r in recordings], args.repeat),
    )


def goal(size: int, rounds: int) -> None:
    """Load and offline-check rates of a `size`-interaction cassette against the goal."""
    text = render_cassette(redact(synthetic(size)))
    loads, checks, bare, load_cpu, check_cpu = [], [], [], [], []
    before = os.getloadavg()
    for _ in range(rounds):  # interleaved, so that load on the machine hits all three alike
        bare.append(size / _timed(lambda: _paused(lambda: yaml.load(text, Loader=Loader))))
        started, cpu = time.perf_counter(), time.process_time()
        exchanges = parse_cassette(text).exchanges
        loads.append(size / (time.perf_counter() - started))
        load_cpu.append(size / (time.process_time() - cpu))
        started, cpu = time.perf_counter(), time.process_time()
        judge(exchanges)
        checks.append(size / (time.perf_counter() - started))
        check_cpu.append(size / (time.process_time() - cpu))
    after = os.getloadavg()
    print(f"\ngoal on {size:,} interactions ({len(text) / 1e6:.0f} MB), {rounds} rounds,"
          " exchanges/s min / median / max:")  # fmt: skip
    for name, values in (
        ("yaml.load (baseline)", bare),
        ("load", loads),
        ("offline check", checks),
        ("load, CPU time", load_cpu),
        ("offline check, CPU time", check_cpu),
    ):
        low, mid, high = sorted(values)[0], statistics.median(values), max(values)
        met = (
            f"  goal {GOAL:,}/s: {'met' if mid >= GOAL else 'NOT met'}"
            if name in ("load", "offline check")
            else ""
        )
        print(f"  {name:24} {low:>8,.0f} / {mid:>8,.0f} / {high:>8,.0f}{met}")
    ratios = sorted(b / lo for b, lo in zip(bare, loads, strict=True))
    print(
        f"  yaml.load / load time ratio: {ratios[0]:.2f} / {statistics.median(ratios):.2f} / {ratios[-1]:.2f}"
    )
    print(f"  load average before / after: {before[0]:.2f} / {after[0]:.2f} (1 min)")


def _timed(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def _paused(function: Callable[[], object]) -> object:
    """Run with the cyclic GC paused, as the cassette reader and writer do."""
    gc.disable()
    try:
        return function()
    finally:
        gc.enable()


def _replay_all(exchanges: list[Exchange]) -> None:
    replayer = Replayer(exchanges)
    for exchange in exchanges:
        replayer.handle(exchange.request)


if __name__ == "__main__":
    main()
