"""Safety: nothing is lost by mistake. The job resource offers no Delete link, NAS and
Agent jobs survive `DELETE /jobs/{their ID}` (delete_jobs_id.html), and a clone task's
`Related` link names the job it made (post_jobs_id_actionclone.html): a client that
deletes what that link names must not lose another job."""

from __future__ import annotations

from typing import Any

from lxml import etree

from conformance.checks._support import require_status
from conformance.checks.registry import check
from conformance.checks.rule import Level, rule_maker
from conformance.checks.scope import Each, Indexed, PerTask, Subject, path_matches, tag_value
from conformance.checks.steps import CLONE_TAG, Label
from conformance.checks.verdict import fail, skip
from conformance.errors import BodyError
from conformance.exchange import Exchange
from conformance.model import EntityRef, Task, parse_document
from conformance.protocol import XML
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
CLONE_RELATED = _rule(
    5,
    MUST,
    "post_jobs_id_actionclone.html",
    "A finished clone task's Related link names the job the clone made.",
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


def _clone_key(exchange: Exchange) -> str | None:
    return tag_value(exchange, CLONE_TAG) or None


def _related_id(item: Indexed) -> str | None:
    index, exchange = item
    try:
        task = Task.from_response(exchange.response)
    except BodyError as exc:
        fail("a finished clone Task", str(exc), at=(index,))
    related = task.link("Related")
    return related.href.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0] if related else None


def _clones_listed(item: Indexed, name: str) -> list[str]:
    index, exchange = item
    response = exchange.response
    try:
        refs = EntityRef.list_from_body(response.body, response.media_type or XML)
    except BodyError as exc:
        fail("a readable job listing after the clone", str(exc), at=(index,))
    return [ref.id for ref in refs if ref.name == name]


@check(CLONE_RELATED, PerTask(key=_clone_key))
def clone_related_names_the_clone(subject: Subject) -> None:
    polls, listing = subject.labelled(Label.POLL_CLONE), subject.last(Label.CLONE_INVENTORY_AFTER)
    if not polls or listing is None:
        skip("no finished clone task with a job listing after it")
    name = tag_value(subject.exchange, CLONE_TAG)
    related, made = _related_id(polls[-1]), _clones_listed(listing, name)
    at = (polls[-1][0], listing[0])
    if related is None:
        fail(f"a Related link to the new job {name!r}", "no Related link", at=at)
    if related.lower() not in {job.lower() for job in made}:
        listed = ", ".join(made) or "no job by that name"
        fail(f"Related names the job listed as {name!r} ({listed})", f"job {related}", at=at)
