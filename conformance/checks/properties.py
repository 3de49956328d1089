"""Property-based rules: generated requests get answers the description allows, and a
DELETE of a generated ID that names no job deletes nothing."""

from __future__ import annotations

from conformance.checks._support import job_ids_in
from conformance.checks.registry import check
from conformance.checks.rule import Level, rule_maker
from conformance.checks.scope import Each, InFlow, Subject
from conformance.checks.steps import SCHEMATHESIS_FAILURE_TAG, Label
from conformance.checks.verdict import fail, skip

AREA = "property"
_rule = rule_maker("PROP", AREA)
OPENAPI = "https://helpcenter.veeam.com/docs/vbr/em_rest/em_web_api_reference.html"

DESCRIBED = _rule(
    1, Level.SHOULD, OPENAPI,
    "Every answer to a generated request is one specs/ allows (status, headers, schema).",
)  # fmt: skip
NOTHING_LOST = _rule(
    2, Level.MUST, "delete_jobs_id.html",
    "A DELETE /jobs/{ID} whose ID names no job deletes nothing: every job listed before is listed after.",
)  # fmt: skip


@check(DESCRIBED, Each(tag="flow:property-based"))
def generated_request_answered_as_described(subject: Subject) -> None:
    prefix = SCHEMATHESIS_FAILURE_TAG
    failed = [tag[len(prefix) :] for tag in subject.exchange.tags if tag.startswith(prefix)]
    if failed:
        fail("an answer that passes schemathesis's checks against specs/", "; ".join(failed))


def _listed(subject: Subject, label: str) -> set[str]:
    return {job for item in subject.labelled(label) for job in job_ids_in(item)}


@check(NOTHING_LOST, InFlow("id-probes"))
def generated_ids_delete_nothing(subject: Subject) -> None:
    before, after = (
        _listed(subject, Label.INVENTORY_BEFORE),
        _listed(subject, Label.INVENTORY_AFTER),
    )
    if not subject.labelled(Label.INVENTORY_AFTER):
        skip("the flow did not list the jobs after its probes")
    lost = sorted(before - after)
    if lost:
        fail("every job listed before the probes still listed after", f"gone: {', '.join(lost)}")
