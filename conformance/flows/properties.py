"""The property-based flows: schemathesis over specs/, and generated job IDs.

`property-based` hands schemathesis a logon token and sends what it generates through
the run's client, so every request meets the client's deadline, body cap and guard and
is recorded in wire order, for the whole catalogue to judge; against a target the run
was not built for, only GET operations are generated.  `id-probes` (destructive)
sends `DELETE /jobs/{ID}` with generated IDs that name none of the listed jobs and
checks, by listing before and after, that nothing was deleted.
"""

from __future__ import annotations

import random
from dataclasses import replace
from urllib.parse import quote

import hypothesis
import schemathesis.generation
from hypothesis import HealthCheck, Phase

from conformance.checks.steps import FORMAT_TAG, Label, Probe
from conformance.client import Logon
from conformance.errors import BodyError, TargetError
from conformance.exchange import Exchange
from conformance.flows.base import FlowAborted, FlowRun
from conformance.model import EntityRef, Task
from conformance.properties.engine import PropertySettings, run_properties
from conformance.properties.stateful import run_stateful
from conformance.properties.strategies import untargeted_job_ids

__all__ = ["run_id_probes", "run_property_based"]

COLLECTIONS = ("/jobs", "/nas/jobs", "/agents/jobs")


def _seed_case_ids(run: FlowRun) -> None:
    """schemathesis names every case from a module-level generator of its own and sends
    the name as `X-Schemathesis-TestCaseId`; seeded from the run, a replayed run sends the
    same names (hypothesis's `derandomize` already fixes the cases themselves)."""
    generator = getattr(schemathesis.generation, "RANDOM", None)
    if isinstance(generator, random.Random):
        generator.seed(run.context.rng.getrandbits(64))


def run_property_based(run: FlowRun) -> None:
    context = run.context
    _seed_case_ids(run)
    logon = run.logon()
    settings = PropertySettings(
        run.client.base_url,
        logon.token,
        verify=run.client.options.verify,
        max_examples=context.plan.max_examples,
        formats=context.plan.formats,
        unsafe_methods=context.plan.embedded,
        timeout=run.client.options.read_timeout,
        project_checks=False,
        client=run.client,
        label=Label.GENERATED,
        tags=tuple(tag for tag in run.tags if not tag.startswith(f"{FORMAT_TAG}:")),
    )
    try:
        _generate(run, logon, settings)
    finally:
        run.logout(logon)


def _generate(run: FlowRun, logon: Logon, settings: PropertySettings) -> None:
    context = run.context
    try:
        stopped = run_properties(settings).stopped
        if stopped is not None:
            raise stopped
        if context.plan.embedded:
            owned = sorted(_inventory(run, logon, "list:/jobs", ("/jobs",)))
            credentials = (context.plan.username, context.plan.password)
            for exchange in run_stateful(settings, credentials, owned).exchanges:
                _adopt(run, exchange)
    except TargetError:
        raise
    except Exception as exc:  # a third-party engine's own error ends the flow, not the run
        raise FlowAborted(
            f"the property-based engine stopped: {type(exc).__name__}: {exc}"
        ) from exc


def _adopt(run: FlowRun, exchange: Exchange) -> None:
    """Record an exchange of a stateful scenario (schemathesis sent it itself; these run
    only against the embedded emulator), tagged like the run's own."""
    fmt = "json" if "json" in (exchange.request.header("Accept") or "") else "xml"
    tagged = replace(exchange, label=Label.GENERATED, tags=run.tagged((f"{FORMAT_TAG}:{fmt}",)))
    run.client.exchanges.append(tagged)


def _inventory(
    run: FlowRun, logon: Logon, label: str, collections: tuple[str, ...] = COLLECTIONS
) -> set[str]:
    """Every job ID listed; a listing that cannot be read aborts the flow, since a probe
    must never name a job that exists (a 404 means the server has no such collection)."""
    listed: set[str] = set()
    for collection in collections:
        response = run.send("GET", collection, label, logon=logon).response
        if response.status == 404:
            continue
        try:
            refs = EntityRef.list_from_body(response.body, response.media_type)
        except BodyError as exc:
            raise FlowAborted(
                f"GET {collection} answered {response.status} unreadably ({exc})"
            ) from None
        listed.update(ref.id for ref in refs)
    return listed


def _probe(run: FlowRun, logon: Logon, job_id: str) -> None:
    target = quote(job_id, safe="")
    if not target.strip("."):
        return  # "", "." and ".." name the collection, not a job
    run.client.guard.probes.add(target)
    exchange = run.send(
        "DELETE", f"/jobs/{target}", Label.PROBE_DELETE, logon=logon, tags=(Probe.GENERATED_ID,)
    )
    task = Task.from_exchange(exchange)
    if exchange.response.status == 202 and task is not None and task.task_id:
        run.poll(task, logon, Label.POLL_PROBE)


def run_id_probes(run: FlowRun) -> None:
    logon = run.logon()
    protected = _inventory(run, logon, Label.INVENTORY_BEFORE)

    @hypothesis.settings(
        max_examples=run.context.plan.max_examples, deadline=None, database=None, derandomize=True,
        phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
    )  # fmt: skip
    @hypothesis.given(untargeted_job_ids(protected))
    def probe(job_id: str) -> None:
        _probe(run, logon, job_id)

    probe()
    _inventory(run, logon, Label.INVENTORY_AFTER)
    run.logout(logon)
