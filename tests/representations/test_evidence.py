"""Every constraint in specs/ says what it rests on, and a violation carries that evidence."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from lxml import etree

from conformance.evidence import ANNOTATION, Evidence, Kind
from conformance.representations import (
    RESOURCES,
    as_nested,
    supported_versions_form,
    validate_body,
    validate_json,
    validate_xml,
)
from conformance.representations.grounds import xsd_annotations
from conformance.spec import XSD_FILE, load_json_schema, load_openapi, specs_dir

XS = "{http://www.w3.org/2001/XMLSchema}"
NS = "http://www.veeam.com/ent/v1.0"
VERSIONS = [{"Name": "v1_7"}]


def constraining_nodes(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """The schema root, every `$defs` entry and every property schema, nested ones too
    (inside `anyOf`/`oneOf`/`allOf` branches and array items)."""
    if not isinstance(node, dict):
        return
    for key in ("anyOf", "oneOf", "allOf"):
        for index, branch in enumerate(node.get(key, [])):
            yield from _properties(branch, f"{where}/{key}/{index}")
    if isinstance(node.get("items"), dict):
        yield from _properties(node["items"], f"{where}/items")
    yield from _properties(node, where)


def _properties(node: dict[str, Any], where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, prop in node.get("properties", {}).items():
        yield f"{where}/properties/{name}", prop
        yield from constraining_nodes(prop, f"{where}/properties/{name}")


def _schema_nodes() -> Iterator[tuple[str, dict[str, Any]]]:
    for path in sorted((specs_dir() / "json").glob("*.schema.json")):
        schema = json.loads(path.read_text("utf-8"))
        yield path.name, schema
        yield from constraining_nodes(schema, path.name)
        for name, sub in schema.get("$defs", {}).items():
            yield f"{path.name}/$defs/{name}", sub
            yield from constraining_nodes(sub, f"{path.name}/$defs/{name}")


def _openapi_nodes() -> Iterator[tuple[str, dict[str, Any]]]:
    for name, schema in load_openapi()["components"]["schemas"].items():
        yield name, schema
        yield from constraining_nodes(schema, name)


@pytest.mark.parametrize("source", [_schema_nodes, _openapi_nodes], ids=["json", "openapi"])
def test_every_constraining_schema_node_has_evidence(source: Any) -> None:
    nodes = list(source())
    assert len(nodes) > 50
    missing = [where for where, node in nodes if ANNOTATION not in node]
    assert missing == []
    for where, node in nodes:
        evidence = Evidence.from_annotation(node[ANNOTATION])
        assert evidence.source.startswith("https://"), where


def test_every_openapi_response_has_evidence() -> None:
    document = load_openapi()
    responses = list(document["components"]["responses"].items())
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "responses" in operation:
                responses += [
                    (f"{method} {path} {code}", response)
                    for code, response in operation["responses"].items()
                    if "$ref" not in response
                ]
    assert [where for where, response in responses if ANNOTATION not in response] == []
    kinds = {Evidence.from_annotation(r[ANNOTATION]).kind for _, r in responses}
    assert kinds == {Kind.DOCUMENTED, Kind.INFERRED}  # 405 rests on analogy (EM-ERR-003)


def test_every_xsd_declaration_has_evidence() -> None:
    document = etree.parse(str(specs_dir() / XSD_FILE)).getroot()
    names = {e.get("name") for e in document.iterfind(f"{XS}complexType")}
    names |= {e.get("name") for e in document.iterfind(f"{XS}simpleType")}
    names |= {"element:" + str(e.get("name")) for e in document.iterfind(f"{XS}element")}
    assert names == set(xsd_annotations())


def test_the_json_of_get_api_is_inferred_throughout() -> None:
    schema = load_json_schema("EnterpriseManager")
    kinds = {
        Evidence.from_annotation(node[ANNOTATION]).kind
        for _, node in constraining_nodes(schema, "")
    }
    assert kinds == {Kind.INFERRED}
    assert Evidence.from_annotation(schema[ANNOTATION]).kind is Kind.INFERRED


@pytest.mark.parametrize(
    ("document", "form"),
    [
        ({"SupportedVersions": VERSIONS}, "flat array"),
        ({"SupportedVersions": {"SupportedVersions": VERSIONS}}, "nested wrapper"),
    ],
    ids=["flat", "nested"],
)
def test_both_supported_versions_forms_validate(document: dict[str, Any], form: str) -> None:
    result = validate_json(json.dumps(document).encode(), "EnterpriseManager")
    assert result.valid, result.violations
    assert supported_versions_form(document) == form
    assert as_nested(document) == {"SupportedVersions": {"SupportedVersions": VERSIONS}}


def test_neither_form_is_an_inferred_violation() -> None:
    body = json.dumps({"SupportedVersions": {"Versions": VERSIONS}}).encode()
    (violation,) = validate_json(body, "EnterpriseManager").violations
    assert violation.evidence is not None and violation.evidence.kind is Kind.INFERRED
    assert not violation.documented
    assert supported_versions_form({"SupportedVersions": {}}) is None


@pytest.mark.parametrize(
    ("resource", "document", "kind"),
    [
        ("Task", {"State": "Done"}, Kind.DOCUMENTED),
        ("Task", {"Extra": 1}, Kind.OBSERVED),
        ("Task", {"Result": {"Success": "yes"}}, Kind.INFERRED),
        ("Job", {"jobType": "Backup"}, Kind.DOCUMENTED),
        ("LogonSession", {"sessionId": "x"}, Kind.INFERRED),
        ("Error", {"StatusCode": "400"}, Kind.OBSERVED),
    ],
    ids=["task-state", "task-extra-key", "task-result", "job-camel", "logon-camel", "error"],
)
def test_a_json_violation_carries_the_nearest_evidence(
    resource: str, document: dict[str, Any], kind: Kind
) -> None:
    valid = {
        "Task": {
            "TaskId": "task-1",
            "State": "Running",
            "Operation": "DeleteJob",
            "Href": "h",
            "Type": "Task",
        },
        "Job": {"Name": "n", "UID": "urn:veeam:Job:1", "Href": "h", "Type": "Job"},
        "LogonSession": {"UserName": "u", "SessionId": "s", "Href": "h"},
        "Error": {"Message": "m", "StatusCode": 400},
    }[resource]
    result = validate_json(json.dumps(valid | document).encode(), resource)
    assert [v.evidence.kind for v in result.violations if v.evidence] == [kind]


def test_a_link_inside_a_task_rests_on_the_documented_json_links() -> None:
    task = {"TaskId": "t", "State": "Running", "Operation": "o", "Href": "h", "Type": "Task"}
    body = json.dumps(task | {"Links": [{"Href": "h"}]}).encode()
    (violation,) = validate_json(body, "Task").violations
    assert violation.evidence is not None and violation.evidence.documented
    assert "JSON links" in violation.evidence.note


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (
            f'<Task xmlns="{NS}" Href="h"><TaskId>t</TaskId><State>Done</State><Operation>o</Operation></Task>',
            Kind.DOCUMENTED,
        ),
        (f'<Error xmlns="{NS}" StatusCode="x" Message="m"/>', Kind.OBSERVED),
        (
            f'<BackupJobSessions xmlns="{NS}"><BackupJobSession Href="h"/></BackupJobSessions>',
            Kind.OBSERVED,
        ),
    ],
    ids=["task-state", "error", "backup-session"],
)
def test_an_xml_violation_carries_its_types_evidence(body: str, kind: Kind) -> None:
    result = validate_xml(body.encode())
    assert not result.valid
    assert {v.evidence.kind for v in result.violations if v.evidence} == {kind}


def test_unreadable_and_misplaced_bodies_break_no_particular_constraint() -> None:
    for body in (b"{", b'{"Task": {"TaskId": "t"}}', b'<Task xmlns="urn:other"/>'):
        violations = validate_body(body, resource="Task").violations
        assert violations and all(v.evidence is None and v.documented for v in violations)


@pytest.mark.parametrize(
    ("annotation", "message"),
    [
        ({"kind": "guessed", "source": "x.html"}, "valid choices: documented"),
        ({"kind": "inferred", "source": "x.html"}, "name its analogy"),
        ({"kind": "observed", "source": " "}, "needs a source"),
        ("documented", "must be a mapping"),
    ],
)
def test_malformed_evidence_is_refused(annotation: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Evidence.from_annotation(annotation)


def test_a_page_name_becomes_its_url() -> None:
    evidence = Evidence(Kind.DOCUMENTED, "tasks.html")
    assert evidence.source == "https://helpcenter.veeam.com/docs/vbr/em_rest/tasks.html"
    assert evidence.as_dict()["kind"] == "documented"
    assert str(evidence) == f"documented, {evidence.source}"


def test_every_resource_has_a_json_schema_with_evidence() -> None:
    for resource in RESOURCES:
        assert ANNOTATION in load_json_schema(resource), resource


@pytest.mark.parametrize(
    ("resource", "document"),
    [
        ("JobCloneSpec", {"BackupJobCloneInfo": {"JobName": "x" * 51}}),
        ("Jobs", {"Jobs": [{"Name": "n", "UID": "bad", "Href": "h", "Type": "Job"}]}),
    ],
    ids=["local-defs", "across-files"],
)
def test_evidence_is_found_across_refs(resource: str, document: dict[str, Any]) -> None:
    # Both roots are inferred; the broken constraints (JobName's 50 characters, a Job's
    # UID) are documented where the $ref leads.
    assert Evidence.from_annotation(load_json_schema(resource)[ANNOTATION]).kind is Kind.INFERRED
    (violation,) = validate_json(json.dumps(document).encode(), resource).violations
    assert violation.evidence is not None and violation.evidence.documented
