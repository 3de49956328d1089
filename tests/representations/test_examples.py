"""Every complete documented body of a resource in scope validates against specs/."""

from __future__ import annotations

import json

import pytest

from conformance.representations import (
    element_to_json,
    json_differences,
    parse_xml,
    validate_body,
)
from tests.conftest import EXAMPLES

# Bodies of resources outside the project's scope (cloud tenants, replica sessions are
# shown only to exercise the JSON mapping) or not a resource at all.
OUT_OF_SCOPE = {
    "entities-cloudtenants.xml": "CloudTenants is not a resource in scope",
    "entities-cloudtenants.json": "CloudTenants is not a resource in scope",
}
ABRIDGED = {"entityreferences-jobs-ELLIPSIS.xml"}

# Where a documented twin disagrees with its XML on purpose of the page, not of the
# mapping: each entry is a JSON path and the page that prints it so.
TWIN_ERRATA = {
    "job-entity-backup-vmware": {
        # resource_representation_for_ke.html prints "RetrySpecified1" in JSON only.
        "$.JobScheduleOptions.Standart.RetryOptions.RetrySpecified",
        "$.JobScheduleOptions.Standart.RetryOptions.RetrySpecified1",
        # The JSON sample was captured on another day: its times carry a date.
        "$.JobScheduleOptions.Standart.OptionsDaily.Time",
        "$.JobScheduleOptions.Standart.OptionsMonthly.Time",
        # The JSON prints an empty Href on JobScheduleOptions; the XML has no such attribute.
        "$.JobScheduleOptions.Href",
    }
}
# SOURCES.md names these pairs as twins; the community Task XML and JSON are two
# different tasks (task-7 and task-9) from two posts, so they are not twins.
TWINS = ("entityref-job", "job-entity-backup-vmware", "entities-cloudtenants")


def _complete_examples() -> list[str]:
    names = sorted(p.name for p in EXAMPLES.iterdir() if p.suffix in (".xml", ".json"))
    return [n for n in names if n not in OUT_OF_SCOPE and n not in ABRIDGED]


@pytest.mark.parametrize("name", _complete_examples())
def test_documented_body_is_valid(name: str) -> None:
    body = (EXAMPLES / name).read_bytes()
    result = validate_body(body)
    assert result.valid, "\n".join(str(v) for v in result.violations)


@pytest.mark.parametrize("name", sorted(ABRIDGED))
def test_abridged_body_is_reported_invalid(name: str) -> None:
    result = validate_body((EXAMPLES / name).read_bytes())
    assert not result.valid
    assert any("character content" in v.message.lower() for v in result.violations), (
        result.violations
    )


@pytest.mark.parametrize("stem", TWINS)
def test_xml_maps_to_its_json_twin(stem: str) -> None:
    mapped = element_to_json(parse_xml((EXAMPLES / f"{stem}.xml").read_bytes()))
    twin = json.loads((EXAMPLES / f"{stem}.json").read_text("utf-8"))
    errata = TWIN_ERRATA.get(stem, set())
    differences = [d for d in json_differences(twin, mapped) if d.split(":", 1)[0] not in errata]
    assert differences == []


def test_errata_are_real_differences() -> None:
    """The errata list names only paths that really differ (so it cannot hide drift)."""
    stem = "job-entity-backup-vmware"
    mapped = element_to_json(parse_xml((EXAMPLES / f"{stem}.xml").read_bytes()))
    twin = json.loads((EXAMPLES / f"{stem}.json").read_text("utf-8"))
    paths = {d.split(":", 1)[0] for d in json_differences(twin, mapped)}
    assert paths == TWIN_ERRATA[stem]


def test_every_example_is_classified() -> None:
    known = set(_complete_examples()) | set(OUT_OF_SCOPE) | ABRIDGED
    on_disk = {p.name for p in EXAMPLES.iterdir() if p.suffix in (".xml", ".json")}
    assert on_disk == known
