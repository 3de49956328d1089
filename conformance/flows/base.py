"""What every flow shares: the context of a run, and a tagging view of the client.

A flow is a function `(FlowRun) -> None` that drives the target through one scenario
and leaves its exchanges, labelled and tagged, in the client's recording.  It stops
early with `FlowSkipped` (a precondition is missing, such as a disposable job) or
`FlowAborted` (the target answered so that the scenario cannot go on); both say why.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from conformance.checks.steps import FLOW_TAG, FORMAT_TAG, RUN_TAG
from conformance.client import EmClient, Logon
from conformance.exchange import Exchange
from conformance.flows.plan import RunPlan
from conformance.model import Task
from conformance.polling import AgeBackoff, PollPolicy, PollResult, poll_task
from conformance.protocol import MEDIA_TYPES, token_cookie

if TYPE_CHECKING:
    from conformance.flows.disposable import JobSupply

__all__ = [
    "FOREIGN_COLLECTIONS",
    "FlowAborted",
    "FlowContext",
    "FlowRun",
    "FlowSkipped",
    "accepted_task",
    "job_kind",
    "new_probe_id",
    "new_probe_task",
    "take_job",
]

# Where NAS and Agent jobs live; `DELETE /jobs/{ID}` does not delete them (delete_jobs_id.html).
FOREIGN_COLLECTIONS = ("/nas/jobs", "/agents/jobs")


class FlowSkipped(Exception):
    """The flow did not run: a precondition is missing."""


class FlowAborted(Exception):
    """The flow stopped part-way: the target's answer made going on pointless."""


def _seeded(purpose: str, seed: int = 0) -> random.Random:
    # A string seed is hashed whole (SHA-512), the same in every Python process.
    return random.Random(f"em-conformance:{purpose}:{seed}")


@dataclass
class FlowContext:
    """Everything flows need from the runner: the `plan` of the run (settings resolved
    once, never changed) and the run's state beside it.  `rng` makes up every value the
    suite invents (probe IDs, clone names, unknown users) and `jitter` spreads the polls;
    both come from the plan's seed, so a run can be replayed, and are kept apart so that
    the number of polls never changes an invented ID.  `supply` hands out disposable jobs:
    those of the plan, or clones named with this run's prefix (the first value of `rng`)."""

    client: EmClient
    plan: RunPlan
    supply: JobSupply | None = None
    backoff: PollPolicy = field(init=False)  # the plan's: waits a fraction of a task's age
    rng: random.Random = field(init=False, repr=False)
    jitter: random.Random = field(init=False, repr=False)
    job_kinds: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        from conformance.flows.disposable import JobSupply

        self.rng, self.jitter = _seeded("values", self.plan.seed), _seeded("jitter", self.plan.seed)
        self.backoff = AgeBackoff(fraction=self.plan.poll_fraction)
        if self.supply is None:
            plan, prefix = self.plan, f"em-conformance-{self.rng.randbytes(4).hex()}"
            self.supply = JobSupply(
                plan.disposable_jobs, plan.clone_from, plan.clone_repository, prefix=prefix
            )


def accepted_task(exchange: Exchange) -> Task | None:
    """The Task an operation request started, read as a tolerant client reads it: from
    any 2xx answer carrying a Task with an ID (that the answer is 202 is a rule's job,
    EM-DEL-001, not a reason to stop the flow and leave the later rules unjudged)."""
    task = Task.from_exchange(exchange) if 200 <= exchange.response.status < 300 else None
    return task if task is not None and task.task_id else None


class FlowRun:
    """One run of one flow in one format: sends through the client, tagging every exchange."""

    def __init__(self, context: FlowContext, flow: str, fmt: str, run: str) -> None:
        self.context, self.flow, self.format, self.run = context, flow, fmt, run
        self.client = context.client
        self.accept = MEDIA_TYPES[fmt]
        self.tags = (f"{FLOW_TAG}:{flow}", f"{FORMAT_TAG}:{fmt}", f"{RUN_TAG}:{run}")

    def send(
        self,
        method: str,
        target: str,
        label: str,
        *,
        logon: Logon | None = None,
        accept: str | None = "",
        headers: dict[str, str] | None = None,
        body: bytes = b"",
        tags: tuple[str, ...] = (),
    ) -> Exchange:
        """Send with this run's Accept (pass `accept=None` for no Accept header)."""
        chosen = self.accept if accept == "" else accept
        return self.client.send(
            method,
            target,
            logon=logon,
            accept=chosen,
            headers=headers,
            body=body,
            label=label,
            tags=self.tagged(tags),
        )

    def tagged(self, extra: tuple[str, ...]) -> tuple[str, ...]:
        """The run's tags plus `extra`; a format tag in `extra` replaces the run's."""
        own = f"{FORMAT_TAG}:"
        overrides = any(tag.startswith(own) for tag in extra)
        return tuple(t for t in self.tags if not (overrides and t.startswith(own))) + extra

    def logon(self, label: str = "logon") -> Logon:
        plan = self.context.plan
        exchange, logon = self.client.logon(
            plan.username, plan.password, accept=self.accept, label=label, tags=self.tags
        )
        if logon is None:
            raise FlowAborted(f"logon answered {exchange.response.status} without a session token")
        return logon

    def logout(self, logon: Logon, label: str = "logout") -> None:
        self.client.logout(logon, label=label, tags=self.tags)

    def task_target(self, task: Task) -> str:
        """Where to poll a task: its Href when it is on the target, else /tasks/{TaskId}."""
        href = task.href
        if href and self.client.same_origin(href) and urlsplit(href).path.endswith(task.task_id):
            return href
        return f"/tasks/{task.task_id}"

    def poll(
        self, task: Task, logon: Logon, label: str, confirm: int = 0, tags: tuple[str, ...] = ()
    ) -> PollResult:
        target, context = self.task_target(task), self.context
        plan = context.plan
        return poll_task(
            lambda: self.send("GET", target, label, logon=logon, tags=tags),
            timeout=plan.task_timeout,
            backoff=context.backoff,
            confirm=confirm,
            now=plan.clock.now,
            sleep=plan.clock.sleep,
            rng=context.jitter,
        )

    def cookie(self, token: str) -> dict[str, str]:
        return {"Cookie": token_cookie(token)}


def new_probe_id(rng: random.Random) -> str:
    """A job ID that names nothing: a random (version 4) GUID drawn from `rng`."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def new_probe_task(rng: random.Random) -> str:
    """A task ID that names nothing: `task-` and ten digits, beyond any counter's reach."""
    return f"task-{rng.randrange(10**9, 2 * 10**9)}"


def job_kind(run: FlowRun, logon: Logon, job: str) -> str:
    """Where a job the user gave lives: "/nas/jobs", "/agents/jobs", or "" for a job of
    `/jobs`; learned by reading it in each collection (em-api-facts §6), once per run."""
    kinds = run.context.job_kinds
    if job not in kinds:
        kinds[job] = ""
        for collection in FOREIGN_COLLECTIONS:
            found = run.send("GET", f"{collection}/{job}", "job-kind", logon=logon)
            if found.response.status == 200:
                kinds[job] = collection
                break
    return kinds[job]


def take_job(run: FlowRun, logon: Logon) -> str:
    """A disposable job for this run, or `FlowSkipped` saying how to provide one.  A NAS
    or Agent job the user gave is the safety flow's: it is never deleted on purpose."""
    supply = run.context.supply
    if supply is None or not run.client.guard.destructive:
        raise FlowSkipped(
            "read-only run: give --destructive with --disposable-job ID or --clone-from ID"
        )
    job = supply.take(run, logon)
    while job in run.context.plan.disposable_jobs and job_kind(run, logon, job):
        job = supply.take(run, logon)
    return job
