"""The safety guard: what a run may change on its target, enforced on every request.

Reads, logon and logging out one's own sessions are always allowed; anything else only
what the run created or was given (see `SafetyGuard`).  No value a server sends widens
it: the flows add a job only once they can prove it is the run's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from conformance.errors import Error

__all__ = ["SafetyGuard", "SafetyRefusal"]

_READS = frozenset({"GET", "HEAD", "OPTIONS"})
_PROBE_COLLECTIONS = frozenset({"/tasks", "/jobs", "/logonsessions"})


class SafetyRefusal(Error):
    """The client refused a request that could change something the suite may not touch."""

    exit_code = 2


@dataclass
class SafetyGuard:
    """What this run may change on the target, enforced on every request.

    Reads, logon and logout of the client's own sessions are always allowed.  With
    `destructive` on, DELETE reaches only the jobs the suite was given or created
    (`jobs`), IDs it made up that name nothing (`probes`), the NAS and Agent jobs it may
    probe (`foreign_jobs`: named by the user, or the emulator's) and tasks it created;
    clones start only from `clone_sources`; jobs are started only if they are the suite's own.  A target the
    run started itself (the embedded emulator) is `owned`: everything is allowed there,
    including the random DELETEs of the property-based flows.
    """

    destructive: bool = False
    owned: bool = False
    jobs: set[str] = field(default_factory=set)
    probes: set[str] = field(default_factory=set)
    foreign_jobs: set[str] = field(default_factory=set)
    clone_sources: set[str] = field(default_factory=set)
    tasks: set[str] = field(default_factory=set)
    sessions: set[str] = field(default_factory=set)

    def may_delete_job(self, job_id: str) -> bool:
        allowed = self.jobs | self.probes | self.foreign_jobs
        return self.destructive and job_id.lower() in {item.lower() for item in allowed}

    def authorize(self, method: str, path: str, query: dict[str, str], has_body: bool) -> None:
        """Raise `SafetyRefusal` unless the request is allowed; `path` is below `/api`."""
        if not self.owned and not self._allowed(
            method.upper(), path.rstrip("/") or "/", query, has_body
        ):
            raise SafetyRefusal(
                f"Refused {method} {path}: the suite changes only what it created or was"
                " given. Run with --destructive and --disposable-job ID or --clone-from ID"
                " to allow deleting a disposable job."
            )

    def _allowed(self, method: str, path: str, query: dict[str, str], has_body: bool) -> bool:
        parts = path.lower().strip("/").split("/")
        if method in _READS or (method == "POST" and parts == ["sessionmngr"]):
            return True
        if method in ("PUT", "PATCH"):
            return not has_body and "/" + "/".join(parts) in _PROBE_COLLECTIONS
        if len(parts) != 2:
            return False
        kind, item = parts
        if method == "DELETE":
            return self._may_delete(kind, item)
        return method == "POST" and kind == "jobs" and self._may_act(item, query.get("action", ""))

    def _may_delete(self, kind: str, item: str) -> bool:
        if kind == "logonsessions":
            return item in {session.lower() for session in self.sessions}
        if kind == "tasks":
            owned = {task.lower() for task in self.tasks | self.probes}
            return self.destructive and item in owned
        return kind == "jobs" and self.may_delete_job(item)

    def _may_act(self, job_id: str, action: str) -> bool:
        sources = {job.lower() for job in self.clone_sources}
        if action.lower() == "clone":
            return self.destructive and job_id in sources
        own = {job.lower() for job in self.jobs | self.probes}
        return self.destructive and action.lower() == "start" and job_id in own
