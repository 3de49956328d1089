"""Disposable jobs: the only jobs a destructive flow may delete.

Either the user names them (`--disposable-job ID`, used once each) or the suite makes
them by cloning a job the user names (`--clone-from ID`, `POST /jobs/{ID}?action=clone`).
Every job named is read before anything is deleted (a missing one is a usage error).
A clone is added to the client's safety guard only when the suite can prove it made
it: a job absent from the inventory read before the run, listed once the clone task
finished, under the name this run gave it (a run-unique prefix), and none of the jobs
the user named.  Nothing the server says (the task's `Related` link above all) widens
that: a server that points the link at another job fails EM-SAFE-005, and its job
stays untouched.
"""

from __future__ import annotations

from collections.abc import Sequence

from conformance.checks.steps import CLONE_TAG, Label
from conformance.client import EmClient, Logon
from conformance.errors import BodyError, UsageError
from conformance.flows.base import FlowRun, FlowSkipped
from conformance.model import EntityRef, Task, parse_document
from conformance.protocol import XML
from conformance.representations import NS, qname

__all__ = ["JOB_COLLECTIONS", "JobSupply", "clone_spec"]

# Where a job the user names may live: backup and replication jobs, NAS jobs, Agent jobs.
JOB_COLLECTIONS = ("/jobs", "/nas/jobs", "/agents/jobs")

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
        document = parse_document(body, media or XML)
    except BodyError:  # an unreadable entity leaves the type unknown
        return ""
    if isinstance(document, dict):
        # Read as a tolerant client would: a server's camelCase keys fail their own rule.
        return str(next((v for k, v in document.items() if k.lower() == "jobtype"), "") or "")
    return "" if isinstance(document, list) else (document.findtext(qname("JobType")) or "")


class JobSupply:
    """Hands out disposable job IDs: the given ones first, then fresh clones."""

    def __init__(
        self,
        given: Sequence[str] = (),
        clone_from: str | None = None,
        repository: str | None = None,
        prefix: str = "em-conformance",
    ) -> None:
        self._given = list(given)
        self.named = frozenset(job.lower() for job in given)
        self.clone_from = clone_from
        self.repository = repository
        self.prefix = prefix
        self.made: list[str] = []
        self._before: frozenset[str] | None = None

    def give_back(self, job_id: str) -> None:
        """Return a job that is still intact (a cancelled deletion) for the next flow."""
        self._given.insert(0, job_id)

    def survey(self, client: EmClient, logon: Logon, tags: tuple[str, ...] = ()) -> None:
        """Before anything is deleted: read every job the user named (`UsageError` naming
        a missing one), and the inventory that clones are told apart from."""
        named = [*self._given, *([self.clone_from] if self.clone_from else [])]
        for job_id in dict.fromkeys(named):
            if not _exists(client, logon, job_id, tags):
                raise UsageError(
                    f"Job {job_id} was not found on the target (GET /jobs/{job_id}, /nas/jobs"
                    " and /agents/jobs answered no job). Check the ID given to"
                    " --disposable-job or --clone-from: a disposable job is used up once a run"
                    " has deleted it."
                )
        if self.clone_from is not None:
            listed = _listed(client, logon, Label.CLONE_INVENTORY_BEFORE, tags)
            self._before = None if listed is None else frozenset(listed)

    def take(self, run: FlowRun, logon: Logon) -> str:
        if self._given:
            return self._given.pop(0)
        if self.clone_from is None:
            raise FlowSkipped(
                "no disposable job left: give --disposable-job ID (repeatable) or --clone-from ID"
            )
        return self._clone(run, logon, self.clone_from)

    def _clone(self, run: FlowRun, logon: Logon, source: str) -> str:
        if self._before is None:
            raise FlowSkipped(
                "the job inventory could not be read before the run, so no clone could be"
                " told apart from the jobs already there; nothing was cloned"
            )
        entity = run.send("GET", f"/jobs/{source}?format=Entity", Label.CLONE_SOURCE, logon=logon)
        if entity.response.status != 200:
            raise FlowSkipped(f"cannot read job {source} to clone it ({entity.response.status})")
        name = f"{self.prefix}-{len(self.made) + 1}"
        job_type = _job_type(entity.response.body, entity.response.media_type)
        body = clone_spec(job_type, name, self.repository)
        target, headers = f"/jobs/{source}?action=clone", {"Content-Type": XML}
        tags = (f"{CLONE_TAG}:{name}",)
        exchange = run.send(
            "POST", target, Label.CLONE_JOB, logon=logon, headers=headers, body=body, tags=tags
        )
        status, task = exchange.response.status, Task.from_exchange(exchange)
        if status != 202 or task is None:
            raise FlowSkipped(f"cloning the job answered {status}, not 202 with a Task")
        return self._cloned(run, logon, task, name)

    def _cloned(self, run: FlowRun, logon: Logon, task: Task, name: str) -> str:
        tags = (f"{CLONE_TAG}:{name}",)
        result = run.poll(task, logon, Label.POLL_CLONE, tags=tags)
        if not result.finished:
            raise FlowSkipped(
                f"the clone task did not finish ({result.stopped}); if a job named {name!r}"
                " appeared on the target, delete it by hand"
            )
        job_id = self._proven_clone(run, logon, name, tags)
        run.client.guard.jobs.add(job_id)
        self.made.append(job_id)
        return job_id

    def _proven_clone(self, run: FlowRun, logon: Logon, name: str, tags: tuple[str, ...]) -> str:
        """The one new job listed under this run's clone name, or `FlowSkipped`."""
        listed = _listed(run.client, logon, Label.CLONE_INVENTORY_AFTER, run.tagged(tags))
        protected = (self._before or frozenset()) | self.named | {str(self.clone_from).lower()}
        new = [ref.id for ref in (listed or {}).values() if ref.name == name]
        ours = [job for job in new if job.lower() not in protected]
        if len(ours) != 1:
            raise FlowSkipped(
                f"cannot prove which job is the clone {name!r}: the listing after the clone"
                f" shows {len(ours)} new job(s) by that name; nothing was deleted. If a job"
                f" named {name!r} exists on the target, delete it by hand"
            )
        return ours[0]


def _exists(client: EmClient, logon: Logon, job_id: str, tags: tuple[str, ...]) -> bool:
    for collection in JOB_COLLECTIONS:
        exchange = client.send(
            "GET", f"{collection}/{job_id}", logon=logon, label=Label.PREFLIGHT_JOB, tags=tags
        )
        if exchange.response.status == 200:
            return True
    return False


def _listed(
    client: EmClient, logon: Logon, label: str, tags: tuple[str, ...]
) -> dict[str, EntityRef] | None:
    """The jobs at /jobs by lower-cased ID, or None when the listing cannot be read."""
    response = client.send("GET", "/jobs", logon=logon, label=label, tags=tags).response
    if response.status != 200:
        return None
    try:
        refs = EntityRef.list_from_body(response.body, response.media_type or XML)
    except BodyError:
        return None
    return {ref.id.lower(): ref for ref in refs}
