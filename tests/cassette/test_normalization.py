"""Normalisation of volatile values: hosts, dates, timings, Content-Length."""

from __future__ import annotations

from conformance.cassette import normalize
from conformance.cassette.normalization import NORMAL_DATE, NORMAL_ORIGIN, NORMAL_TIMESTAMP
from conformance.exchange import Exchange, RecordedRequest, RecordedResponse


def _run(port: int, when: str) -> Exchange:
    body = f'{{"Href":"http://127.0.0.1:{port}/api/tasks/task-1","NextRun":"{when}"}}'
    request = RecordedRequest.build(
        "GET", f"http://127.0.0.1:{port}/api/tasks/task-1", {"Host": f"127.0.0.1:{port}"}
    )
    headers = {
        "Date": "Mon, 02 Jun 2025 10:00:00 GMT",
        "Content-Length": str(len(body)),
        "Location": f"http://127.0.0.1:{port}/api/x",
    }
    return Exchange(request, RecordedResponse.build(200, headers, body, elapsed=0.25))


def test_two_runs_on_different_ports_and_times_normalise_equal() -> None:
    assert normalize([_run(40001, "2025-06-02T10:00:00Z")]) == normalize(
        [_run(51234, "2026-01-01T08:30:00.123+02:00")]
    )


def test_normalised_values() -> None:
    (exchange,) = normalize([_run(40001, "2025-06-02T10:00:00Z")])
    assert exchange.request.url == f"{NORMAL_ORIGIN}/api/tasks/task-1"
    assert exchange.request.header("Host") == "em.example:9398"
    assert exchange.response.header("Date") == NORMAL_DATE
    assert exchange.response.header("Location") == f"{NORMAL_ORIGIN}/api/x"
    assert NORMAL_TIMESTAMP.encode() in exchange.response.body
    assert exchange.response.header("Content-Length") == str(len(exchange.response.body))
    assert exchange.response.elapsed == 0.0


def test_normalising_twice_changes_nothing() -> None:
    once = normalize([_run(40001, "2025-06-02T10:00:00Z")])
    assert normalize(once) == once
