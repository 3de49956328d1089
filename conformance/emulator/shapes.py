"""What a resource shows, independent of its format: links, names and fixed values.

Both renderings read these (`render` builds XML elements, `render_json` JSON
documents), so the two formats cannot drift apart on what they say.
"""

from __future__ import annotations

from conformance.emulator.clock import utc
from conformance.emulator.inventory import AGENT, JOB, NAS, BackupServer, BackupSession, Job

__all__ = [
    "DAYS",
    "JOB_INFOS",
    "JOB_REF_TYPES",
    "STATUS_NAMES",
    "LinkSpec",
    "delete_link_spec",
    "entity_links",
    "hierarchy_ref",
    "include_name",
    "job_href",
    "ref_links",
    "session_name",
]

# (Rel, Href, Type, Name) of one <Link>; Type and Name are optional.
LinkSpec = tuple[str, str, str | None, str | None]

STATUS_NAMES = {
    400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound",
    405: "MethodNotAllowed", 500: "InternalServerError",
}  # fmt: skip

# Collection path and reference Type of each kind of job (nas_jobs_id.html, agents_jobs_id.html).
_JOB_PATHS = {JOB: "jobs", NAS: "nas/jobs", AGENT: "agents/jobs"}
JOB_REF_TYPES = {JOB: "JobReference", NAS: "NasJobReference", AGENT: "AgentBackupJobReference"}
JOB_INFOS = {"Backup": "BackupJobInfo", "Replica": "ReplicaJobInfo", "BackupCopy": "BackupCopyJobInfo",
             "ImmediateBackupCopy": "ImmediateBackupCopyJobInfo"}  # fmt: skip
DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


def job_href(base: str, job: Job) -> str:
    return f"{base}/{_JOB_PATHS[job.kind]}/{job.job_id}"


def ref_links(base: str, job: Job, server: BackupServer) -> list[LinkSpec]:
    links: list[LinkSpec] = [
        ("Up", f"{base}/backupServers/{server.server_id}", "BackupServerReference", server.name)
    ]
    if job.kind == JOB:
        href = job_href(base, job)
        links.append(("Alternate", f"{href}?format=Entity", "Job", job.name))
        links.append(("Down", f"{href}/backupSessions", "BackupJobSessionReferenceList", None))
    return links


def delete_link_spec(base: str, job: Job) -> LinkSpec:
    return ("Delete", job_href(base, job), "Task", None)


def entity_links(base: str, job: Job, server: BackupServer) -> list[LinkSpec]:
    """The links of get_jobs_id.html: backup copy jobs get Sync instead of Start/Stop/Retry."""
    href = job_href(base, job)
    links: list[LinkSpec] = [
        ("Up", f"{base}/backupServers/{server.server_id}", "BackupServerReference", server.name),
        ("Alternate", href, "JobReference", job.name),
    ]
    if not job.is_backup_copy:
        links.append(("Edit", href, "JobReference", job.name))
    links += [
        ("Clone", f"{href}?action=clone", None, None),
        ("ToggleScheduleEnabled", f"{href}?action=toggleScheduleEnabled", None, None),
    ]
    if job.is_backup_copy:
        links += [
            ("Down", f"{href}/backupSessions", "BackupJobSessionReferenceList", None),
            ("Sync", f"{href}?action=sync", None, None),
        ]
        return links
    return [
        *links,
        ("Down", f"{href}/includes", "ObjectInJobList", None),
        ("Down", f"{href}/backupSessions", "BackupJobSessionReferenceList", None),
        ("Create", f"{href}/includes", "ObjectInJob", None),
        ("Start", f"{href}?action=start", None, None),
        ("Stop", f"{href}?action=stop", None, None),
        ("Retry", f"{href}?action=retry", None, None),
    ]  # fmt: skip


def hierarchy_ref(job: Job, server: BackupServer) -> str:
    platform = {"VMware": "VMware", "HyperV": "HyperV", "vCloud": "vCloud"}.get(
        job.platform, "VMware"
    )
    return f"urn:{platform}:Vm:{server.server_id}.{job.object_id}"


def include_name(job: Job) -> str:
    """The name of the one VM a seeded job includes.  A clone's name may be all blanks
    (the JobCloneSpec schema asks only for a non-empty string): its VM is `vm01`."""
    words = job.name.split()
    return f"{words[0].lower()}-vm01" if words else "vm01"


def session_name(job: Job, session: BackupSession) -> str:
    return f"{job.name}@{utc(session.started)[:19].replace('T', ' ')}"
