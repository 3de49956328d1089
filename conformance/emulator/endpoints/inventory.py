"""NAS jobs, Agent jobs and backup servers: read-only references (nas_jobs_id.html, agents_jobs_id.html)."""

from __future__ import annotations

from conformance.emulator.access import require_administrator
from conformance.emulator.context import Context
from conformance.emulator.documents import job_ref, job_refs, server_ref, server_refs
from conformance.emulator.endpoints.jobs import find_job
from conformance.emulator.inventory import AGENT, NAS
from conformance.emulator.listings import listing
from conformance.emulator.state import State
from conformance.emulator.wire import HttpError, Reply

__all__ = [
    "get_agent_job",
    "get_agent_jobs",
    "get_nas_job",
    "get_nas_jobs",
    "get_server",
    "get_servers",
]


def _administrator(context: Context) -> None:
    assert context.session is not None
    require_administrator(context.session)


def _collection(state: State, context: Context, kind: str) -> Reply:
    _administrator(context)
    return listing(state, context, kind, lambda jobs, server: job_refs(context.base, jobs, server))


def _one(state: State, context: Context, kind: str, job_id: str) -> Reply:
    _administrator(context)
    return Reply(200, job_ref(context.base, find_job(state, job_id, kind), state.inventory.server))


def get_nas_jobs(state: State, context: Context) -> Reply:
    return _collection(state, context, NAS)


def get_nas_job(state: State, context: Context, job_id: str) -> Reply:
    return _one(state, context, NAS, job_id)


def get_agent_jobs(state: State, context: Context) -> Reply:
    return _collection(state, context, AGENT)


def get_agent_job(state: State, context: Context, job_id: str) -> Reply:
    return _one(state, context, AGENT, job_id)


def get_servers(state: State, context: Context) -> Reply:
    _administrator(context)
    return Reply(200, server_refs(context.base, state.inventory.server))


def get_server(state: State, context: Context, server_id: str) -> Reply:
    _administrator(context)
    server = state.inventory.server
    if server_id.lower() != server.server_id:
        raise HttpError(404, f"No backup server with ID {server_id[:100]!r}.")
    return Reply(200, server_ref(context.base, server))
