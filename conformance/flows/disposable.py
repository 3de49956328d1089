"""Disposable jobs: the only jobs a destructive flow may delete.

Either the user names them (`--disposable-job ID`, used once each) or the suite makes
them by cloning a job the user names (`--clone-from ID`, `POST /jobs/{ID}?action=clone`);
every job made or given is added to the client's safety guard, nothing else is.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from conformance.client import Logon
from conformance.errors import BodyError
from conformance.flows.base import FlowRun, FlowSkipped, task_of
from conformance.model import Task, parse_document
from conformance.representations import NS, qname

__all__ = ["JobSupply", "clone_spec"]

# The clone block and its required fields per job type (post_jobs_id_actionclone.html).
_BLOCKS = {"Backup": "BackupJobCloneInfo", "Replica": "ReplicaJobCloneInfo"}


def clone_spec(job_type: str, name: str, repository: str | None = None) -> bytes:
    """A JobCloneSpec body for a Backup or Replica job, children in XSD order."""
    block = _BLOCKS.get(job_type)
    if block is None:
        raise FlowSkipped(
            f"cannot clone a {job_type or 'unknown'} job; give a Backup or Replica job"
        )
    fields = [("JobName", name)]
    if block == "BackupJobCloneInfo":
        fields += [("FolderName", name)] + ([("RepositoryUid", repository)] if repository else [])
    else:
        fields.append(("VmSuffix", "_emc"))
    fields.append(("Description", "Disposable clone made by em-conformance; safe to delete."))
    inner = "".join(f"<{tag}>{value}</{tag}>" for tag, value in fields)
    return f'<JobCloneSpec xmlns="{NS}"><{block}>{inner}</{block}></JobCloneSpec>'.encode()


def _job_type(body: bytes, media: str) -> str:
    try:
        document = parse_document(body, media or "application/xml")
    except BodyError:  # an unreadable entity leaves the type unknown
        return ""
    if isinstance(document, dict):
        return str(document.get("JobType") or "")
    return "" if isinstance(document, list) else (document.findtext(qname("JobType")) or "")


class JobSupply:
    """Hands out disposable job IDs: the given ones first, then fresh clones."""

    def __init__(
        self,
        given: Sequence[str] = (),
        clone_from: str | None = None,
        repository: str | None = None,
    ) -> None:
        self._given = list(given)
        self.clone_from = clone_from
        self.repository = repository
        self.made: list[str] = []

    def give_back(self, job_id: str) -> None:
        """Return a job that is still intact (a cancelled deletion) for the next flow."""
        self._given.insert(0, job_id)

    def take(self, run: FlowRun, logon: Logon) -> str:
        if self._given:
            return self._given.pop(0)
        if self.clone_from is None:
            raise FlowSkipped(
                "no disposable job left: give --disposable-job ID (repeatable) or --clone-from ID"
            )
        return self._clone(run, logon, self.clone_from)

    def _clone(self, run: FlowRun, logon: Logon, source: str) -> str:
        entity = run.send("GET", f"/jobs/{source}?format=Entity", "clone-source", logon=logon)
        if entity.response.status != 200:
            raise FlowSkipped(f"cannot read job {source} to clone it ({entity.response.status})")
        name = f"em-conformance {run.context.rng.randbytes(4).hex()}"
        job_type = _job_type(entity.response.body, entity.response.media_type)
        body = clone_spec(job_type, name, self.repository)
        target, headers = f"/jobs/{source}?action=clone", {"Content-Type": "application/xml"}
        exchange = run.send("POST", target, "clone-job", logon=logon, headers=headers, body=body)
        status, task = exchange.response.status, task_of(exchange)
        if status != 202 or task is None:
            raise FlowSkipped(f"cloning the job answered {status}, not 202 with a Task")
        return self._cloned(run, logon, task, name)

    def _cloned(self, run: FlowRun, logon: Logon, task: Task, name: str) -> str:
        result = run.poll(task, logon, "poll-clone")
        related = result.task.link("Related") if result.task else None
        if not result.finished or related is None:
            raise FlowSkipped(
                f"the clone task did not finish with a Related job ({result.stopped}); if a job"
                f" named {name!r} appeared on the target, delete it by hand"
            )
        job_id = urlsplit(related.href).path.rstrip("/").rsplit("/", 1)[-1]
        run.client.guard.jobs.add(job_id)
        self.made.append(job_id)
        return job_id
