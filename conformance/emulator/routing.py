"""Routing: which handler serves a method on a path, and who may call it.

Literal segments match case-insensitively (EM's WCF URI templates do: the docs spell
`/logonSessions` and `/logonsessions`). Unknown paths are 404; a known path with a
method it does not support is 405 with `Allow`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from conformance.emulator.context import Context
from conformance.emulator.endpoints import entry, inventory, jobs, tasks
from conformance.emulator.fault_catalogue import WRONG_METHOD_404
from conformance.emulator.state import State
from conformance.emulator.wire import HttpError, Reply

__all__ = ["ROUTES", "Endpoint", "Route", "resolve"]

EndpointHandler = Callable[..., Reply]  # one resource method; not `exchange.Handler`
_ID = "{ID}"


@dataclass(frozen=True)
class Endpoint:
    handler: EndpointHandler
    authenticated: bool = True


@dataclass(frozen=True)
class Route:
    """A path template (segments after `/api`, `{ID}` for an identifier) and its methods."""

    template: tuple[str, ...]
    methods: dict[str, Endpoint]

    def ids(self, segments: tuple[str, ...]) -> list[str] | None:
        """The identifiers in `segments` if they fit the template, else None."""
        if len(segments) != len(self.template):
            return None
        found = []
        for pattern, segment in zip(self._lowered, segments, strict=True):
            if pattern is None:
                found.append(segment)
            elif pattern != segment.lower():
                return None
        return found

    @functools.cached_property
    def _lowered(self) -> tuple[str | None, ...]:
        """The template's literal segments lower-cased; None for each `{ID}`."""
        return tuple(None if part == _ID else part.lower() for part in self.template)

    @property
    def allow(self) -> str:
        return ", ".join(self.methods)


def _route(path: str, **methods: EndpointHandler | Endpoint) -> Route:
    template = tuple(part for part in path.split("/") if part)
    endpoints = {name: m if isinstance(m, Endpoint) else Endpoint(m) for name, m in methods.items()}
    return Route(template, endpoints)


ROUTES = (
    _route("/", GET=Endpoint(entry.get_entry, authenticated=False)),
    _route("/sessionMngr", POST=Endpoint(entry.log_on, authenticated=False)),
    _route("/logonSessions", GET=entry.get_sessions),
    _route("/logonSessions/{ID}", GET=entry.get_session, DELETE=entry.delete_session),
    _route("/jobs", GET=jobs.get_jobs),
    _route("/jobs/{ID}", GET=jobs.get_job, POST=jobs.post_job, DELETE=jobs.delete_job),
    _route("/jobs/{ID}/backupSessions", GET=jobs.get_backup_sessions),
    _route("/tasks", GET=tasks.get_tasks),
    _route("/tasks/{ID}", GET=tasks.get_task, DELETE=tasks.delete_task),
    _route("/nas/jobs", GET=inventory.get_nas_jobs),
    _route("/nas/jobs/{ID}", GET=inventory.get_nas_job),
    _route("/agents/jobs", GET=inventory.get_agent_jobs),
    _route("/agents/jobs/{ID}", GET=inventory.get_agent_job),
    _route("/backupServers", GET=inventory.get_servers),
    _route("/backupServers/{ID}", GET=inventory.get_server),
)


# The routes by number of segments and first segment (always a literal, lower-cased): a
# request is tried only against the one or two routes it can match.
_INDEX: dict[tuple[int, str], list[Route]] = {}
for _each in ROUTES:
    _INDEX.setdefault((len(_each.template), "".join(_each.template[:1]).lower()), []).append(_each)


def _find(segments: tuple[str, ...]) -> tuple[Route, list[str]] | None:
    for route in _INDEX.get((len(segments), "".join(segments[:1]).lower()), ()):
        ids = route.ids(segments)
        if ids is not None:
            return route, ids
    return None


def resolve(state: State, context: Context) -> tuple[Endpoint, list[str]]:
    """The endpoint for the request and the IDs in its path; 404 or 405 otherwise."""
    found = None if context.segments is None else _find(context.segments)
    if found is not None:
        route, ids = found
        endpoint = route.methods.get(context.method)
        if endpoint is not None:
            return endpoint, ids
        if not state.faults.on(WRONG_METHOD_404):
            message = f"Method {context.method} is not allowed here; valid choices: {route.allow}."
            raise HttpError(405, message, [("Allow", route.allow)])
    raise HttpError(404, f"No resource at {context.path[:200]!r}. The API lives under /api/.")
