"""`DELETE /jobs/{ID}`: 202 Accepted and a Task for the deletion, linked to itself."""

from __future__ import annotations

from urllib.parse import urlsplit

from conformance.checks._support import (
    is_success,
    require_status,
    require_valid,
    task_of,
)
from conformance.checks.registry import check
from conformance.checks.rule import Level, rule_maker
from conformance.checks.scope import Each, Subject
from conformance.checks.steps import Label
from conformance.checks.verdict import fail
from conformance.exchange import Exchange

AREA = "delete-job"
_rule = rule_maker("DEL", AREA)
MUST, SHOULD = Level.MUST, Level.SHOULD
PAGE = "delete_jobs_id.html"

ACCEPTED = _rule(1, MUST, PAGE, "DELETE /jobs/{ID} of a deletable job answers 202 Accepted.")
TASK_BODY = _rule(2, MUST, PAGE, "The 202 body is a Task valid against the XSD or JSON Schema.")
OPERATION = _rule(3, MUST, PAGE, "The 202 Task's Operation is DeleteJob.")
TASK_HREF = _rule(4, MUST, "tasks_id.html", "The 202 Task's Href ends in /tasks/{TaskId}.")
SAME_ORIGIN = _rule(
    5,
    SHOULD,
    "resource_urls.html",
    "The 202 Task's Href and links use the scheme, host and port that were called.",
)
DELETE_LINK = _rule(6, MUST, PAGE, "The 202 Task carries a Delete link to itself.")


def _deletion(exchange: Exchange) -> bool:
    return exchange.label == Label.DELETE_JOB or is_success(exchange.response.status)


ACCEPTED_SCOPE = Each(method="DELETE", path="/jobs/{id}", status=lambda s: s == 202)


@check(ACCEPTED, Each(method="DELETE", path="/jobs/{id}", where=_deletion))
def delete_answers_202(subject: Subject) -> None:
    require_status(subject.items[0], 202)


@check(TASK_BODY, ACCEPTED_SCOPE)
def delete_returns_valid_task(subject: Subject) -> None:
    require_valid(subject.items[0], "Task")


@check(OPERATION, ACCEPTED_SCOPE)
def delete_task_operation(subject: Subject) -> None:
    task = task_of(subject.items[0])
    if task.operation != "DeleteJob":
        fail("Operation DeleteJob", f"Operation {task.operation or '(none)'}")


@check(TASK_HREF, ACCEPTED_SCOPE)
def delete_task_href(subject: Subject) -> None:
    task = task_of(subject.items[0])
    path = urlsplit(task.href).path.rstrip("/")
    if not task.task_id or not path.endswith(f"/tasks/{task.task_id}"):
        fail(f"an Href ending in /tasks/{task.task_id or '{TaskId}'}", f"Href {task.href!r}")


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    default = {"https": 443, "http": 80}.get(parts.scheme.lower())
    return parts.scheme.lower(), f"{(parts.hostname or '').lower()}:{parts.port or default}"


@check(SAME_ORIGIN, ACCEPTED_SCOPE)
def delete_task_same_origin(subject: Subject) -> None:
    task = task_of(subject.items[0])
    called = _origin(subject.exchange.request.url)
    for href in (task.href, *(link.href for link in task.links)):
        if _origin(href) != called:
            fail(f"Hrefs on {called[0]}://{called[1]}, the address called", f"Href {href!r}")


@check(DELETE_LINK, ACCEPTED_SCOPE)
def delete_task_links_itself(subject: Subject) -> None:
    task = task_of(subject.items[0])
    link = task.link("Delete")
    if link is None or link.href != task.href:
        received = "no Delete link" if link is None else f"a Delete link to {link.href!r}"
        fail(f"a Delete link to the task itself ({task.href})", received)
