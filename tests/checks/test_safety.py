"""The safety checks: no Delete link on a job, NAS and Agent jobs survive DELETE /jobs."""

from __future__ import annotations

import json

import pytest

from conformance.checks import Outcome
from conformance.checks.steps import Label

from ._exchanges import (
    BASE,
    JOB_ID,
    JSON,
    assert_outcome,
    error_xml,
    example,
    exchange,
    job_ref_xml,
    response,
)

P, F = Outcome.PASSED, Outcome.FAILED
NAS = "93dfbb3e-4c2b-4a0e-8f5e-2f1f1ab8e0a1"


def get_job(body: bytes, **kw):
    return exchange("GET", f"/jobs/{JOB_ID}", response(200, body), **kw)


def json_ref(delete: bool) -> bytes:
    document = json.loads(example("entityref-job.json"))
    if delete:
        document["Links"].append({"Rel": "Delete", "Href": f"{BASE}/jobs/{JOB_ID}"})
    return json.dumps(document).encode()


def probe(label: str, path: str, status: int, method: str = "GET"):
    body = error_xml(status) if status >= 400 else b""
    return exchange(method, path, response(status, body), label=label)


CLONE = "em-conformance-1a2b3c4d-1"
CLONED = "1ef18e6a-531a-4dbd-bb96-827478a25965"  # the job the documented example's link names
OTHER = "0c5d3a6e-9d1e-4f57-b8b5-5d6c0c1e2f3a"


def listing(*jobs: tuple[str, str]) -> bytes:
    refs = "".join(
        f'<Ref UID="urn:veeam:Job:{job}" Name="{name}" Href="{BASE}/jobs/{job}" Type="JobReference"/>'
        for job, name in jobs
    )
    return f'<EntityReferences xmlns="http://www.veeam.com/ent/v1.0">{refs}</EntityReferences>'.encode()


def clone_steps(related_to: str | None, *jobs: tuple[str, str]):
    tags = (f"clone:{CLONE}",)
    task = example("task-finished-clonejob-related-link.xml")
    if related_to is None:
        task = task.replace(b'Rel="Related"', b'Rel="Alternate"')
    else:
        task = task.replace(CLONED.encode(), related_to.encode())
    return [
        exchange(
            "POST",
            f"/jobs/{JOB_ID}?action=clone",
            response(202, task),
            label=Label.CLONE_JOB,
            tags=tags,
        ),
        exchange("GET", "/tasks/task-1", response(200, task), label=Label.POLL_CLONE, tags=tags),
        exchange(
            "GET",
            "/jobs",
            response(200, listing(*jobs)),
            label=Label.CLONE_INVENTORY_AFTER,
            tags=tags,
        ),
    ]


CASES = [
    pytest.param(
        "clone_related_names_the_clone",
        clone_steps(CLONED, (JOB_ID, "DB Backup"), (CLONED, CLONE)),
        P,
        id="clone-related-to-the-clone",
    ),
    pytest.param(
        "clone_related_names_the_clone",
        clone_steps(JOB_ID, (JOB_ID, "DB Backup"), (CLONED, CLONE)),
        F,
        id="clone-related-to-another-job",
    ),
    pytest.param(
        "clone_related_names_the_clone",
        clone_steps(None, (JOB_ID, "DB Backup"), (CLONED, CLONE)),
        F,
        id="clone-without-related",
    ),
    pytest.param(
        "clone_related_names_the_clone",
        clone_steps(OTHER, (JOB_ID, "DB Backup")),
        F,
        id="clone-not-listed",
    ),
    pytest.param("job_has_no_delete_link", [get_job(job_ref_xml())], P, id="xml-no-link"),
    pytest.param(
        "job_has_no_delete_link", [get_job(example("job-entity-backup-hyperv.xml"))], P, id="entity"
    ),
    pytest.param(
        "job_has_no_delete_link", [get_job(job_ref_xml(delete_link=True))], F, id="xml-link"
    ),
    pytest.param(
        "job_has_no_delete_link", [get_job(json_ref(False), accept=JSON)], P, id="json-no-link"
    ),
    pytest.param(
        "job_has_no_delete_link", [get_job(json_ref(True), accept=JSON)], F, id="json-link"
    ),
    pytest.param(
        "nas_job_survives", [probe(Label.NAS_JOB_AFTER, f"/nas/jobs/{NAS}", 200)], P, id="nas-kept"
    ),
    pytest.param(
        "nas_job_survives", [probe(Label.NAS_JOB_AFTER, f"/nas/jobs/{NAS}", 404)], F, id="nas-lost"
    ),
    pytest.param(
        "agent_job_survives",
        [probe(Label.AGENT_JOB_AFTER, f"/agents/jobs/{NAS}", 200)],
        P,
        id="agent-kept",
    ),
    pytest.param(
        "agent_job_survives",
        [probe(Label.AGENT_JOB_AFTER, f"/agents/jobs/{NAS}", 404)],
        F,
        id="agent-lost",
    ),
    pytest.param(
        "foreign_job_delete_refused",
        [probe(Label.DELETE_NAS_JOB, f"/jobs/{NAS}", 404, "DELETE")],
        P,
        id="nas-404",
    ),
    pytest.param(
        "foreign_job_delete_refused",
        [probe(Label.DELETE_AGENT_JOB, f"/jobs/{NAS}", 202, "DELETE")],
        F,
        id="agent-202",
    ),
]


@pytest.mark.parametrize(("check", "exchanges", "expected"), CASES)
def test_safety_checks(check: str, exchanges: list, expected: Outcome) -> None:
    assert_outcome(check, exchanges, expected)


def test_delete_links_of_included_objects_are_fine() -> None:
    include = f'<Link Rel="Delete" Href="{BASE}/jobs/{JOB_ID}/includes/1"/>'
    body = job_ref_xml().replace(b"</Links>", include.encode() + b"</Links>")
    assert_outcome("job_has_no_delete_link", [get_job(body)], P)
