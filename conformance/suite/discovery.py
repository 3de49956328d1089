"""Finding things on a target by reading it: a Backup job the embedded run may clone."""

from __future__ import annotations

from conformance.client import EmClient, Logon
from conformance.errors import BodyError
from conformance.model import parse_document
from conformance.protocol import XML
from conformance.representations import qname

__all__ = ["backup_job"]


def backup_job(client: EmClient, logon: Logon) -> str | None:
    """The ID of the first job whose JobType is Backup, from `GET /jobs?format=Entity`."""
    exchange = client.send(
        "GET",
        "/jobs?format=Entity",
        logon=logon,
        accept=XML,
        label="preflight-jobs",
        tags=("flow:preflight",),
    )
    if exchange.response.status != 200:
        return None
    try:
        root = parse_document(exchange.response.body, XML)
    except BodyError:
        return None
    for job in root.iter(qname("Job")):
        if job.findtext(qname("JobType")) == "Backup" and job.get("UID"):
            return str(job.get("UID")).rsplit(":", 1)[-1]
    return None
