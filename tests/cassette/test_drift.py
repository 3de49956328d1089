"""Contract drift between two recordings, and the `diff` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conformance.cassette import write_cassette
from conformance.cassette.drift import compare_recordings, pair_key
from conformance.cassette.drift_render import drift_markdown
from conformance.cli import main
from conformance.exchange import Exchange, RecordedRequest, RecordedResponse

TASK = {
    "TaskId": "task-1",
    "State": "Running",
    "Links": [{"Rel": "Delete", "Href": "h"}],
    "Href": "h",
    "Type": "Task",
}


def _json(document: object, status: int = 200, label: str = "poll", **headers: str) -> Exchange:
    body = json.dumps(document)
    request = RecordedRequest.build(
        "GET", "https://em:9398/api/tasks/task-1", {"Accept": "application/json"}
    )
    response = RecordedResponse.build(status, {"Content-Type": "application/json", **headers}, body)
    return Exchange(request, response, label)


def _kinds(old: list[Exchange], new: list[Exchange]) -> list[tuple[str, str, str, str]]:
    return [(d.kind, d.where, d.old, d.new) for d in compare_recordings(old, new).drifts]


def test_identical_recordings_have_no_drift_even_with_new_ids_and_values() -> None:
    later = {**TASK, "TaskId": "task-7", "Href": "https://em:9398/api/tasks/task-7"}
    other = Exchange(
        RecordedRequest.build(
            "GET", "https://em:9398/api/tasks/task-7", {"Accept": "application/json"}
        ),
        _json(later).response,
        "poll",
    )
    report = compare_recordings([_json(TASK)], [other])
    assert (report.drifted, report.paired) == (False, 1)


def test_camel_case_keys_show_as_renamed() -> None:
    camel = {
        "taskId": "task-1",
        "state": "Running",
        "links": [{"rel": "Delete", "href": "h"}],
        "href": "h",
        "type": "Task",
    }
    renamed = {
        (where, new)
        for kind, where, _, new in _kinds([_json(TASK)], [_json(camel)])
        if kind == "key renamed"
    }
    assert renamed == {
        ("$.TaskId", "$.taskId"), ("$.State", "$.state"), ("$.Links", "$.links"),
        ("$.Links[].Rel", "$.links[].rel"), ("$.Links[].Href", "$.links[].href"),
        ("$.Href", "$.href"), ("$.Type", "$.type"),
    }  # fmt: skip


def test_value_that_changed_type_is_listed() -> None:
    old = {**TASK, "Result": {"Success": True}}
    new = {**TASK, "Result": {"Success": "None"}}
    assert ("type changed", "$.Result.Success", "boolean", "string") in _kinds(
        [_json(old)], [_json(new)]
    )


def test_headers_added_removed_and_changed() -> None:
    old = _json(TASK, **{"WWW-Authenticate": "Basic Realm=RestSvc", "X-Old": "1", "Date": "d1"})
    new_exchange = _json(TASK, **{"WWW-Authenticate": "Negotiate", "X-New": "1", "Date": "d2"})
    new = Exchange(
        new_exchange.request,
        RecordedResponse(
            200,
            (
                *new_exchange.response.headers[1:],
                ("Content-Type", "application/json; charset=utf-8"),
            ),
            new_exchange.response.body,
        ),
        "poll",
    )
    assert _kinds([old], [new]) == [
        ("header removed", "X-Old", "present", "absent"),
        ("header added", "X-New", "absent", "present"),
        ("header value", "Content-Type", "application/json", "application/json; charset=utf-8"),
        ("header value", "WWW-Authenticate", "Basic Realm=RestSvc", "Negotiate"),
    ]


def test_a_changed_status_is_one_drift_not_also_its_headers_and_body() -> None:
    old = _json(TASK, **{"X-Old": "1"})
    new = _json({"Error": "x"}, status=202)
    assert _kinds([old], [new]) == [("status", "status code", "200", "202")]


def test_xml_element_and_attribute_sets() -> None:
    def xml(body: str) -> Exchange:
        request = RecordedRequest.build("GET", "https://em:9398/api/tasks/task-1")
        return Exchange(
            request, RecordedResponse.build(200, {"Content-Type": "application/xml"}, body)
        )

    old = xml('<Task xmlns="http://www.veeam.com/ent/v1.0" Href="h"><State>Running</State></Task>')
    new = xml(
        '<Task xmlns="http://www.veeam.com/ent/v2.0" Href="h" Type="Task"><State>Running</State></Task>'
    )
    kinds = _kinds([old], [new])
    assert ("key removed", "/Task", "present", "absent") in kinds
    # The new root is one added key, not also each of its children.
    assert ("key added", "/{http://www.veeam.com/ent/v2.0}Task", "absent", "present") in kinds
    assert len(kinds) == 2


def test_body_that_stops_parsing() -> None:
    broken = Exchange(
        _json(TASK).request,
        RecordedResponse.build(200, {"Content-Type": "application/json"}, b"\xef\xbb\xbf{}"),
        "poll",
    )
    assert _kinds([_json(TASK)], [broken]) == [
        ("body", "body", "application/json document", "unparseable application/json")
    ]


def test_unpaired_interactions_and_repeated_steps_pair_in_order() -> None:
    old = [_json(TASK), _json(TASK), _json(TASK, label="other")]
    new = [_json(TASK), _json(TASK), _json(TASK), _json(TASK, label="more")]
    report = compare_recordings(old, new)
    assert (report.paired, report.repeats) == (2, 1)  # the third poll repeats an answer
    assert [(d.kind, d.old_index, d.new_index) for d in report.drifts] == [
        ("only in old", 2, None), ("only in new", None, 3),
    ]  # fmt: skip


def test_pair_key_generalises_ids() -> None:
    request = RecordedRequest.build(
        "DELETE", "https://h/api/jobs/5b89dae5-6f08-45ec-b068-08f0bd08394a?x=task-3"
    )
    key = pair_key(Exchange(request, RecordedResponse.build(202)))
    assert (key.path, key.query) == ("/api/jobs/{id}", "x=task-{n}")


def test_markdown_escapes_pipes() -> None:
    old = _json(TASK, **{"WWW-Authenticate": "a|b"})
    report = compare_recordings([old], [_json(TASK, **{"WWW-Authenticate": "c"})])
    assert "| Header WWW-Authenticate changed from 'a\\|b' to 'c' in 1 response(s) | 1 |" in (
        drift_markdown(report)
    )


@pytest.mark.parametrize("output", ["markdown", "json"])
def test_diff_command_exit_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], output: str
) -> None:
    camel = {key[0].lower() + key[1:]: value for key, value in TASK.items()}
    write_cassette(tmp_path / "old.yaml", [_json(TASK)])
    write_cassette(tmp_path / "new.yaml", [_json(camel)])
    assert (
        main(["diff", str(tmp_path / "old.yaml"), str(tmp_path / "old.yaml"), "--format", output])
        == 0
    )
    capsys.readouterr()
    assert (
        main(["diff", str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml"), "--format", output])
        == 1
    )
    out = capsys.readouterr().out
    if output == "json":
        document = json.loads(out)
        assert document["drifted"] and {d["kind"] for d in document["drifts"]} == {"key renamed"}
    else:
        assert "JSON property names changed from PascalCase to camelCase in 1 bodies" in out


def test_diff_command_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["diff", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")]) == 2


def test_one_more_poll_with_an_answer_both_gave_is_no_drift() -> None:
    running = _json(TASK)
    report = compare_recordings([running, running, _json(TASK)], [running, _json(TASK)])
    assert (report.drifted, report.repeats) == (False, 1)
    assert "1 extra repetition(s)" in drift_markdown(report)


def test_one_more_poll_with_a_new_answer_is_drift() -> None:
    report = compare_recordings([_json(TASK)], [_json(TASK), _json(TASK, status=500)])
    assert [(d.kind, d.new_index) for d in report.drifts] == [("only in new", 1)]


def _generated(url: str, status: int, method: str = "GET") -> Exchange:
    request = RecordedRequest.build(method, url, {"Accept": "application/json"})
    return Exchange(request, RecordedResponse.build(status), "generated")


def test_generated_requests_compare_by_operation_and_status_class() -> None:
    old = [_generated("https://em/api/jobs/abc", 404), _generated("https://em/api/jobs/0", 404)]
    same_class = [_generated("https://em/api/jobs/%C2%96", 400)]
    assert compare_recordings(old, same_class).findings == ()
    server_errors = [_generated("https://em/api/jobs/xyz", 500)]
    report = compare_recordings(old, server_errors)
    assert [(f.impact.value, f.summary) for f in report.findings] == [
        ("breaking", "Generated requests to GET /jobs/{ID} (json): status classes 4xx -> 5xx")
    ]


def test_generated_answers_that_merely_vary_are_listed_not_found() -> None:
    old = [_generated("https://em/api/jobs/abc", 404)]
    new = [_generated("https://em/api/jobs/abc", 404), _generated("https://em/api/jobs/a", 200)]
    report = compare_recordings(old, new)
    assert (report.findings, report.varied) == ((), ("GET /jobs/{ID} (json): 4xx -> 2xx, 4xx",))
    assert "1 generated operation(s) reached other status classes" in drift_markdown(report)


def test_an_empty_collection_is_noise_not_a_removed_key() -> None:
    listed = _json({"Refs": [{"Name": "job", "Href": "h"}], "Type": "EntityReferences"})
    empty = _json({"Refs": [], "Type": "EntityReferences"})
    report = compare_recordings([listed], [empty])
    assert [(f.impact.value, f.kind) for f in report.findings] == [("noise", "collection emptied")]
    assert report.exit_code() == 0 and report.exit_code("any") == 1
