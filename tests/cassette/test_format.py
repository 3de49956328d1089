"""The cassette format: round trips, vcrpy's reader, schemathesis's VCR report."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

from conformance.cassette import (
    load_cassette,
    parse_cassette,
    read_cassette,
    render_cassette,
    write_cassette,
)
from conformance.errors import UsageError
from conformance.exchange import Exchange, RecordedRequest, RecordedResponse

TASK_XML = """<Task xmlns="http://www.veeam.com/ent/v1.0" Type="Task" Href="https://em:9398/api/tasks/task-1">
  <TaskId>task-1</TaskId>
  <State>Running</State>
</Task>
"""


def _exchange(body: bytes | str = TASK_XML, **kwargs: object) -> Exchange:
    request = RecordedRequest.build(
        "GET", "https://em:9398/api/tasks/task-1", {"Accept": "application/xml"}
    )
    response = RecordedResponse.build(200, [("Content-Type", "application/xml")], body)
    return Exchange(request, response, **kwargs)  # type: ignore[arg-type]


def test_round_trip_keeps_label_tags_headers_and_body(tmp_path: Path) -> None:
    exchange = _exchange(label="poll task", tags=("flow:delete-job", "format:xml"))
    write_cassette(tmp_path / "c.yaml", [exchange])
    assert read_cassette(tmp_path / "c.yaml") == [exchange]


def test_multi_line_bodies_are_literal_blocks(tmp_path: Path) -> None:
    write_cassette(tmp_path / "c.yaml", [_exchange()])
    text = (tmp_path / "c.yaml").read_text()
    assert "string: |" in text
    assert "    <TaskId>task-1</TaskId>\n" in text


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b'\xef\xbb\xbf{"TaskId":"task-1"}', id="utf8-bom"),
        pytest.param(b"<a>\r\n  <b/>\r\n</a>\r\n", id="crlf"),
        pytest.param(b"line one  \n  trailing spaces  \n", id="trailing-spaces"),
        pytest.param(b"\x00\xff\xfe binary", id="not-utf8"),
        pytest.param(b"", id="empty"),
    ],
)
def test_awkward_bodies_survive_byte_for_byte(body: bytes) -> None:
    exchange = _exchange(body)
    assert parse_cassette(render_cassette([exchange])).exchanges == (exchange,)


@given(
    body=st.text(st.characters(blacklist_categories=("Cs",)), max_size=200),
    value=st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40),
)
def test_any_text_body_and_header_round_trip(body: str, value: str) -> None:
    request = RecordedRequest.build(
        "POST", "https://em/api/x", [("X-A", value), ("X-A", "second")], body
    )
    exchange = Exchange(request, RecordedResponse.build(201, {"X-B": value}, body))
    assert parse_cassette(render_cassette([exchange])).exchanges == (exchange,)


def test_repeated_headers_are_kept_as_a_list(tmp_path: Path) -> None:
    response = RecordedResponse.build(201, [("Set-Cookie", "a=1"), ("set-cookie", "b=2")])
    exchange = Exchange(RecordedRequest.build("POST", "https://em/api/"), response)
    write_cassette(tmp_path / "c.yaml", [exchange])
    assert read_cassette(tmp_path / "c.yaml")[0].response.header_values("Set-Cookie") == [
        "a=1",
        "b=2",
    ]


def test_vcrpy_reads_our_cassette(tmp_path: Path) -> None:
    from vcr.serialize import deserialize
    from vcr.serializers import yamlserializer

    write_cassette(tmp_path / "c.yaml", [_exchange(label="poll", tags=("a",))])
    requests_, responses_ = deserialize((tmp_path / "c.yaml").read_text(), yamlserializer)
    assert requests_[0].method == "GET" and requests_[0].uri == "https://em:9398/api/tasks/task-1"
    assert responses_[0]["status"]["code"] == 200
    assert responses_[0]["body"]["string"] == TASK_XML.encode()


def test_vcrpy_replays_our_cassette_to_requests(tmp_path: Path) -> None:
    import vcr

    write_cassette(tmp_path / "c.yaml", [_exchange()])
    with vcr.use_cassette(str(tmp_path / "c.yaml"), record_mode="none"):
        answer = requests.get(
            "https://em:9398/api/tasks/task-1", headers={"Accept": "application/xml"}, timeout=5
        )
    assert answer.status_code == 200
    assert answer.text == TASK_XML


def test_we_read_what_vcrpy_writes(tmp_path: Path) -> None:
    import vcr
    from vcr.cassette import Cassette as VcrCassette
    from vcr.request import Request

    path = tmp_path / "vcr.yaml"
    cassette = VcrCassette.load(path=str(path), record_mode="all")
    response = {
        "status": {"code": 204, "message": "No Content"},
        "headers": {"X-A": ["1"]},
        "body": {"string": b""},
    }
    cassette.append(
        Request(
            "DELETE",
            "https://em/api/tasks/task-3",
            None,
            {"X-RestSvcSessionId": "<redacted:token-1>"},
        ),
        response,
    )
    cassette._save(force=True)
    assert vcr  # the module was imported for its writer
    (exchange,) = read_cassette(path)
    assert (exchange.request.method, exchange.request.path, exchange.response.status) == (
        "DELETE",
        "/api/tasks/task-3",
        204,
    )


SCHEMATHESIS_REPORT = """command: 'st run http://127.0.0.1:8081/openapi.yaml --report vcr'
recorded_with: 'Schemathesis 4.1.0'
seed: 42
http_interactions:
- id: '1'
  status: 'SUCCESS'
  metadata: null
  recorded_at: '2025-01-01T00:00:00.000000+00:00'
  checks:
    - name: 'not_a_server_error'
      status: 'SUCCESS'
      message: ~
  request:
    uri: 'http://127.0.0.1:8081/api/tasks/task-1'
    method: 'GET'
    headers:
      "Accept":
      - "application/json"
      "X-RestSvcSessionId":
      - "[Filtered]"
  response:
    status:
      code: '200'
      message: "OK"
    elapsed: '0.0123'
    headers:
      "Content-Type":
      - "application/json"
    body:
      encoding: 'utf-8'
      string: "{\\"TaskId\\":\\"task-1\\",\\"State\\":\\"Running\\"}"
    http_version: '1.1'
- id: '2'
  status: 'ERROR'
  metadata: null
  recorded_at: '2025-01-01T00:00:01.000000+00:00'
  checks: []
  request:
    uri: 'http://127.0.0.1:8081/api/jobs/x'
    method: 'DELETE'
    headers:
      "Accept":
      - "*/*"
  response: null
- id: '3'
  status: 'SUCCESS'
  metadata: null
  recorded_at: '2025-01-01T00:00:02.000000+00:00'
  checks: []
  request:
    uri: 'http://127.0.0.1:8081/api/sessionMngr/?v=latest'
    method: 'POST'
    headers:
      "Content-Type":
      - "application/xml"
    body:
      encoding: 'utf-8'
      base64_string: 'PGEvPg=='
  response:
    status:
      code: '401'
      message: "Unauthorized"
    elapsed: '0.001'
    headers: {}
    body:
      encoding: 'utf-8'
      base64_string: 'PEVycm9yLz4='
    http_version: '1.1'
"""


def test_schemathesis_vcr_report_is_read_keeping_interaction_indices() -> None:
    cassette = parse_cassette(SCHEMATHESIS_REPORT)
    first, third = cassette.exchanges
    assert cassette.indices == (0, 2)  # the request that got no response has nothing to judge
    assert cassette.source == "Schemathesis 4.1.0"
    assert (first.response.status, first.response.elapsed) == (200, 0.0123)
    assert first.response.body == b'{"TaskId":"task-1","State":"Running"}'
    assert (third.request.body, third.response.body, third.response.status) == (
        b"<a/>",
        b"<Error/>",
        401,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("- 1\n- 2\n", "an 'interactions' list", id="not-a-mapping"),
        pytest.param(
            "version: 2\ninteractions: []\n", "format version 1; received 2", id="future-version"
        ),
        pytest.param("interactions: [\n", "syntax error", id="bad-yaml"),
        pytest.param(
            "interactions:\n- request: {method: GET, uri: /}\n  response: {status: {code: abc}}\n",
            "interaction #0: expected a numeric status code",
            id="bad-status",
        ),
        pytest.param(
            "interactions:\n- request: {method: GET, uri: /}\n  response: {status: {code: 200}}\n- request: 3\n  response: {}\n",
            "interaction #1: expected request to be a mapping",
            id="bad-request",
        ),
    ],
)
def test_malformed_cassettes_are_usage_errors_naming_the_interaction(
    text: str, message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        parse_cassette(text, name="x.yaml")


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="Cannot read cassette"):
        load_cassette(tmp_path / "absent.yaml")
