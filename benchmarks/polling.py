"""Polling: polls and notice delay for 1, 5, 20 and 120 s tasks, against the old back-off.

    python benchmarks/polling.py [--rounds 5]

The emulator runs in-process on a `ManualClock` with `task_duration` set to each length;
`poll_task` sleeps by advancing that clock, so nothing waits in real time.  Each round
deletes a job and polls its task with a differently seeded jitter; min / median / max
over the rounds are printed for:

- `AgeBackoff()` (the suite's policy): goal polls <= ceil(log2(L / 0.05)) + 2;
- `Backoff()` (the exponential back-off capped at 2 s it replaced): the baseline;
- `AgeBackoff(fraction=0.2)`: the goal notice delay <= L / 4, and the polls it costs.

No schedule meets both goals for every length (see `AgeBackoff`): the table shows the trade.
"""

from __future__ import annotations

import argparse
import base64
import math
import random
import re
import statistics

from conformance.emulator import EmulatorConfig, EnterpriseManagerEmulator, ManualClock
from conformance.exchange import Exchange, RecordedRequest
from conformance.polling import AgeBackoff, Backoff, PollPolicy, poll_task

BASE = "https://em.test:9398/api"
LENGTHS = (1.0, 5.0, 20.0, 120.0)
FLOOR = 0.05
POLICIES: dict[str, PollPolicy] = {
    "age (suite)": AgeBackoff(floor=FLOOR),
    "old back-off": Backoff(),
    "age, 0.2": AgeBackoff(floor=FLOOR, fraction=0.2),
}


def _once(length: float, policy: PollPolicy, seed: int) -> tuple[int, float]:
    """Polls and notice delay for one task of `length` seconds."""
    clock = ManualClock()
    emulator = EnterpriseManagerEmulator(EmulatorConfig(clock=clock, task_duration=length))
    auth = "Basic " + base64.b64encode(b"administrator:Veeam123!").decode()
    logon = emulator.handle(
        RecordedRequest.build("POST", BASE + "/sessionMngr/?v=latest", {"Authorization": auth})
    )
    token = {"X-RestSvcSessionId": logon.header("X-RestSvcSessionId") or ""}

    def send(method: str, url: str) -> RecordedRequest:
        return RecordedRequest.build(method, url, token)

    jobs = emulator.handle(send("GET", BASE + "/jobs")).body.decode()
    job = re.search(r'Href="([^"]*/jobs/[^"?]+)"', jobs)
    assert job, "the emulator lists no job"
    accepted = emulator.handle(send("DELETE", job.group(1)))
    task = re.search(rb'Href="([^"]*/tasks/[^"]+)"', accepted.body)
    assert accepted.status == 202, accepted.body
    assert task, accepted.body
    started, href = clock.now(), task.group(1).decode()
    result = poll_task(
        lambda: Exchange(send("GET", href), emulator.handle(send("GET", href))),
        timeout=length * 3,
        backoff=policy,
        now=clock.now,
        sleep=clock.advance,
        rng=random.Random(seed),
    )
    assert result.finished, result.stopped
    return result.polls, clock.now() - started - length


def _stats(values: list[float], spec: str) -> str:
    ordered = sorted(values)
    return " / ".join(f"{v:{spec}}" for v in (ordered[0], statistics.median(ordered), ordered[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(f"{'task':>6} {'policy':<13} {'polls min/med/max':<18} {'bound':>5}"
          f" {'notice delay s':<22} {'delay / length':<20}")  # fmt: skip
    for length in LENGTHS:
        bound = math.ceil(math.log2(length / FLOOR)) + 2
        polls: dict[str, list[float]] = {}
        for name, policy in POLICIES.items():
            runs = [_once(length, policy, seed) for seed in range(args.rounds)]
            polls[name], late = [float(p) for p, _ in runs], [d for _, d in runs]
            print(f"{length:>5g}s {name:<13} {_stats(polls[name], '.0f'):<18} {bound:>5}"
                  f" {_stats(late, '.2f'):<22} {_stats([d / length for d in late], '.2f')}")  # fmt: skip
        ratios = [a / b for a, b in zip(polls["age (suite)"], polls["old back-off"], strict=True)]
        met = "met" if max(polls["age (suite)"]) <= bound else "NOT met"
        print(f"       polls suite / old back-off: {_stats(ratios, '.2f')}; polls goal {met}\n")


if __name__ == "__main__":
    main()
