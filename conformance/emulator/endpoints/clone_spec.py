"""Reading the JobCloneSpec body of POST /jobs/{ID}?action=clone (post_jobs_id_actionclone.html)."""

from __future__ import annotations

from typing import Any

from conformance.emulator.inventory import Job
from conformance.emulator.wire import HttpError
from conformance.errors import BodyError
from conformance.exchange import RecordedRequest, media_type
from conformance.protocol import JSON, XML
from conformance.representations import (
    local_name,
    parse_json,
    parse_xml,
    qname,
    sniff_media_type,
    validate_body,
)

__all__ = ["read_clone_spec"]

# The clone block each job type takes.
_BLOCKS = {
    "Backup": "BackupJobCloneInfo",
    "Replica": "ReplicaJobCloneInfo",
    "BackupCopy": "BackupCopyJobCloneInfo",
    "ImmediateBackupCopy": "ImmediateBackupCopyJobCloneInfo",
}


def _media(request: RecordedRequest) -> str:
    media = media_type(request.header("Content-Type")) or sniff_media_type(request.body)
    if media.endswith("json"):
        return JSON
    if media.endswith("xml"):
        return XML
    raise HttpError(
        400, f"Expected Content-Type application/xml or application/json; received {media!r}."
    )


def _xml_fields(body: bytes) -> tuple[str, dict[str, str]]:
    block = next(child for child in parse_xml(body) if isinstance(child.tag, str))
    fields = {name: (block.findtext(qname(name)) or "") for name in ("JobName", "Description")}
    return local_name(block), {
        name: value for name, value in fields.items() if block.find(qname(name)) is not None
    }


def _json_fields(body: bytes) -> tuple[str, dict[str, str]]:
    document: dict[str, Any] = parse_json(body)
    ((block, content),) = document.items()
    return str(block), {
        key: str(value) for key, value in content.items() if key in ("JobName", "Description")
    }


def read_clone_spec(request: RecordedRequest, job: Job) -> tuple[str, str | None]:
    """The new job's name and description; 400 for a missing, invalid or mismatched spec."""
    if not request.body.strip():
        raise HttpError(
            400,
            "Expected a JobCloneSpec body (application/xml or application/json); received none.",
        )
    media = _media(request)
    result = validate_body(request.body, media, "JobCloneSpec")
    if not result.valid:
        details = "; ".join(str(violation) for violation in result.violations[:3])
        raise HttpError(400, f"Expected a valid JobCloneSpec; received one that is not: {details}")
    try:
        block, fields = (
            _json_fields(request.body) if media.endswith("json") else _xml_fields(request.body)
        )
    except (BodyError, StopIteration, ValueError) as exc:
        raise HttpError(
            400, f"Expected a JobCloneSpec with one clone block; received: {exc}"
        ) from None
    expected = _BLOCKS.get(job.job_type, "BackupJobCloneInfo")
    if block != expected:
        raise HttpError(
            400, f"Expected {expected} to clone a {job.job_type} job; received {block}."
        )
    return fields["JobName"], fields.get("Description")
