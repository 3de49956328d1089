"""Safety: nothing is lost by mistake. The job resource offers no Delete link, and NAS
and Agent jobs survive `DELETE /jobs/{their ID}` (delete_jobs_id.html)."""

from __future__ import annotations

from typing import Any

from lxml import etree

from conformance.checks._support import require_status
from conformance.checks.registry import check
from conformance.checks.rule import Level, rule_maker
from conformance.checks.scope import Each, Subject, path_matches
from conformance.checks.steps import Label
from conformance.checks.verdict import fail
from conformance.errors import BodyError
from conformance.model import parse_document
from conformance.representations import qname

AREA = "safety"
_rule = rule_maker("SAFE", AREA)
MUST, SHOULD = Level.MUST, Level.SHOULD
PAGE = "delete_jobs_id.html"

NO_DELETE_LINK = _rule(1, MUST, PAGE, "A job's representation carries no Delete link to the job.")
NAS_SURVIVES = _rule(2, MUST, PAGE, "A NAS job still exists after DELETE /jobs/{its ID}.")
AGENT_SURVIVES = _rule(3, MUST, PAGE, "An Agent job still exists after DELETE /jobs/{its ID}.")
NOT_A_JOB_HERE = _rule(
    4, SHOULD, PAGE, "DELETE /jobs/{ID} of a NAS or Agent job is refused with 404, not accepted."
)


def _json_links(document: Any) -> list[tuple[str, str]]:
    if isinstance(document, list):
        return [pair for item in document for pair in _json_links(item)]
    if not isinstance(document, dict):
        return []
    own = [(str(document.get("Rel")), str(document.get("Href")))] if "Rel" in document else []
    return own + [pair for value in document.values() for pair in _json_links(value)]


def _links(document: Any) -> list[tuple[str, str]]:
    """Every (Rel, Href) pair in an XML or JSON body, however deep."""
    if isinstance(document, etree._Element):
        links = document.iter(qname("Link"))
        return [(link.get("Rel") or "", link.get("Href") or "") for link in links]
    return _json_links(document)


@check(NO_DELETE_LINK, Each(method="GET", path="/jobs/{id}", status=lambda s: s == 200))
def job_has_no_delete_link(subject: Subject) -> None:
    response = subject.exchange.response
    try:
        document = parse_document(response.body, response.media_type)
    except BodyError as exc:
        fail("a job representation", str(exc))
    for rel, href in _links(document):
        if rel == "Delete" and path_matches("/jobs/{id}", href):
            fail("no Delete link on the job", f"<Link Rel='Delete' Href='{href}'>")


@check(NAS_SURVIVES, Each(label=Label.NAS_JOB_AFTER))
def nas_job_survives(subject: Subject) -> None:
    require_status(subject.items[0], 200)


@check(AGENT_SURVIVES, Each(label=Label.AGENT_JOB_AFTER))
def agent_job_survives(subject: Subject) -> None:
    require_status(subject.items[0], 200)


def _foreign_delete(label: str) -> bool:
    return label in (Label.DELETE_NAS_JOB, Label.DELETE_AGENT_JOB)


@check(NOT_A_JOB_HERE, Each(method="DELETE", where=lambda e: _foreign_delete(e.label)))
def foreign_job_delete_refused(subject: Subject) -> None:
    require_status(subject.items[0], 404)
