"""The seeded inventory: backup server, jobs of every kind, and their backup sessions.

GUIDs come from `random.Random(seed)`, so the same seed always gives the same IDs.
NAS and Agent jobs live in the same store but are served only under `/nas/jobs` and
`/agents/jobs` (delete_jobs_id.html: DELETE /jobs/{ID} does not delete them).
"""

from __future__ import annotations

import itertools
import random
import uuid
from dataclasses import dataclass, field

__all__ = ["AGENT", "JOB", "NAS", "BackupSession", "Inventory", "Job", "new_guid"]

JOB = "job"
NAS = "nas"
AGENT = "agent"

# (JobType, Platform, name, description): backup jobs on vSphere, Cloud Director and
# Hyper-V, replication and backup copy jobs, cycled when more jobs are seeded.
_TEMPLATES = (
    ("Backup", "VMware", "CRM Backup", "Backup of CRM system"),
    ("Backup", "vCloud", "vApp Backup", "Backup of Cloud Director vApps"),
    ("Backup", "HyperV", "DB Backup", "Backup of MS SQL Server DB"),
    ("Replica", "VMware", "SQL Replication", "Replication of the SQL cluster"),
    ("BackupCopy", "VMware", "Offsite Backup Copy", "Copy of backups to the offsite repository"),
    ("Replica", "HyperV", "Fileserver Replication", "Replication of the file server"),
)
_NAS_TEMPLATE = ("NasBackup", "FileShare", "File Share Backup", "Backup of the team shares")
_AGENT_TEMPLATE = ("AgentBackup", "AgentForWindows", "Laptop Agent Backup", "Backup of laptops")

SECONDS_PER_DAY = 86_400.0
# Inventory versions, unique across emulators and resets: a cached listing rendered from
# one inventory can never pass for another's.
_VERSIONS = itertools.count(1)


def new_guid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


@dataclass
class BackupSession:
    """One run of a job; running while `started <= now < ends`."""

    session_id: str
    job_id: str
    started: float
    ends: float
    result: str = "Success"
    is_retry: bool = False

    def running(self, now: float) -> bool:
        return self.started <= now < self.ends


@dataclass
class Job:
    """A job as the backup server knows it."""

    job_id: str
    kind: str
    job_type: str
    platform: str
    name: str
    description: str
    next_run: float
    object_id: str
    schedule_enabled: bool = True
    sessions: list[BackupSession] = field(default_factory=list)
    # EM shows a change only once it has collected it (State Finished), after the backup
    # server made it (OperationFinished): a clone is unpublished, a deleted job removed.
    published: bool = True
    removed: bool = False

    @property
    def uid(self) -> str:
        prefix = {JOB: "Job", NAS: "NasJob", AGENT: "AgentBackupJob"}[self.kind]
        return f"urn:veeam:{prefix}:{self.job_id}"

    @property
    def is_backup_copy(self) -> bool:
        return self.job_type in ("BackupCopy", "ImmediateBackupCopy")

    def running(self, now: float) -> bool:
        return any(session.running(now) for session in self.sessions)

    def last_result(self, now: float) -> str | None:
        finished = [session for session in self.sessions if session.ends <= now]
        return finished[-1].result if finished else None


@dataclass(frozen=True)
class BackupServer:
    server_id: str
    name: str

    @property
    def uid(self) -> str:
        return f"urn:veeam:BackupServer:{self.server_id}"


class Inventory:
    """Every job and the one backup server they run on; callers hold the emulator's lock."""

    def __init__(
        self, rng: random.Random, now: float, jobs: int, nas_jobs: int, agent_jobs: int
    ) -> None:
        self._rng = rng
        self.version = next(_VERSIONS)
        self.server = BackupServer(new_guid(rng), "vbr01.emulator.local")
        self._jobs: dict[str, Job] = {}
        for index in range(jobs):
            self._seed(JOB, _TEMPLATES[index % len(_TEMPLATES)], index, len(_TEMPLATES), now)
        for index in range(nas_jobs):
            self._seed(NAS, _NAS_TEMPLATE, index, 1, now)
        for index in range(agent_jobs):
            self._seed(AGENT, _AGENT_TEMPLATE, index, 1, now)

    def changed(self) -> None:
        """Something a listing shows may have changed: its cached renderings are stale."""
        self.version = next(_VERSIONS)

    def _seed(
        self, kind: str, template: tuple[str, str, str, str], index: int, cycle: int, now: float
    ) -> None:
        job_type, platform, name, description = template
        if index >= cycle:
            name = f"{name} {index // cycle + 1:03d}"
        job = self.add(kind, job_type, platform, name, description, now)
        # Every third job's last run failed, so `action=retry` has something to retry.
        result = "Failed" if index % 3 == 2 else "Success"
        started = now - SECONDS_PER_DAY + index
        job.sessions.append(
            BackupSession(new_guid(self._rng), job.job_id, started, started + 600, result)
        )

    def add(self, kind: str, job_type: str, platform: str, name: str, description: str,
            now: float, *, published: bool = True) -> Job:  # fmt: skip
        job_id = new_guid(self._rng)
        next_run = (now // SECONDS_PER_DAY + 1) * SECONDS_PER_DAY + 22 * 3600
        job = Job(job_id, kind, job_type, platform, name, description, next_run, new_guid(self._rng),
                  published=published)  # fmt: skip
        self._jobs[job_id] = job
        self.changed()
        return job

    def get(self, job_id: str, kind: str | None = JOB) -> Job | None:
        """The job as EM shows it, if it is of `kind` (any kind when `kind` is None)."""
        job = self._jobs.get(job_id.lower())
        return job if job is not None and job.published and kind in (None, job.kind) else None

    def live(self, job_id: str) -> Job | None:
        """The job as the backup server knows it: created, and not deleted yet."""
        job = self._jobs.get(job_id)
        return None if job is None or job.removed else job

    def remove(self, job_id: str) -> None:
        self._jobs.pop(job_id, None)
        self.changed()

    def publish(self, job_id: str) -> None:
        """EM has collected a job the backup server created: it now shows it."""
        job = self._jobs.get(job_id)
        if job is not None:
            job.published = True
            self.changed()

    def jobs(self, kind: str) -> list[Job]:
        return [job for job in self._jobs.values() if job.kind == kind and job.published]

    def named(self, name: str) -> Job | None:
        """A job the backup server knows by this name (names are unique there)."""
        return next(
            (job for job in self._jobs.values() if job.name == name and not job.removed), None
        )

    def start_session(
        self, job: Job, now: float, duration: float, *, retry: bool = False
    ) -> BackupSession:
        session = BackupSession(
            new_guid(self._rng), job.job_id, now, now + duration, is_retry=retry
        )
        job.sessions.append(session)
        self.changed()
        return session
