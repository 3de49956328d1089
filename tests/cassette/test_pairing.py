"""Pairing steps across two recordings: per-run IDs never keep a step from its partner."""

from __future__ import annotations

import pytest

from conformance.cassette.pairing import generalise, operation, pair_key
from conformance.exchange import Exchange, RecordedRequest, RecordedResponse

GUID_A = "a76bae9b-1f0c-4b8e-9d41-3c1fb2e0a001"
GUID_B = "5b89dae5-6f08-45ec-b068-08f0bd08394a"


def _exchange(
    url: str, label: str = "", tags: tuple[str, ...] = (), method: str = "GET"
) -> Exchange:
    request = RecordedRequest.build(method, url, {"Accept": "application/json"})
    return Exchange(request, RecordedResponse.build(200), label, tags)


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (f"token:missing:GET /jobs/{GUID_A}", f"token:missing:GET /jobs/{GUID_B}",
         "token:missing:GET /jobs/{id}"),
        ("token:unknown:GET /tasks/task-1555394637", "token:unknown:GET /tasks/task-3",
         "token:unknown:GET /tasks/task-{n}"),
        ("<redacted:token-3>", "<redacted:token-17>", "<redacted:token>"),
        ("GET /jobs/17/backupSessions", "GET /jobs/4242/backupSessions",
         "GET /jobs/{n}/backupSessions"),
        (f"urn:veeam:Job:{GUID_A}", f"urn:veeam:Job:{GUID_B}", "{uid}"),
        ("em-conformance 0a1b2c3d", "em-conformance ffee0011", "em-conformance-{name}"),
    ],
    ids=["guid-in-label", "task-number", "redaction-placeholder", "integer-id", "uid", "clone-name"],
)  # fmt: skip
def test_per_run_identifiers_generalise_alike(first: str, second: str, expected: str) -> None:
    assert generalise(first) == generalise(second) == expected


def test_steps_of_two_runs_get_one_key_whatever_their_ids() -> None:
    tags = ("flow:auth", "format:json", "run:auth-json", "token:missing")
    first = _exchange(
        f"https://em:9398/api/jobs/{GUID_A}?x=12", f"token:missing:GET /jobs/{GUID_A}", tags
    )
    second = _exchange(
        f"https://127.0.0.1:4000/api/jobs/{GUID_B}?x=99", f"token:missing:GET /jobs/{GUID_B}", tags
    )
    key = pair_key(first)
    assert key == pair_key(second)
    assert (key.path, key.query, key.flow, key.probe) == (
        "/api/jobs/{id}", "x={n}", "auth", "token:missing",
    )  # fmt: skip


def test_steps_of_different_flows_or_probes_do_not_pair() -> None:
    url = f"https://em:9398/api/jobs/{GUID_A}"
    base = pair_key(_exchange(url, "get", ("flow:auth", "token:missing")))
    assert base != pair_key(_exchange(url, "get", ("flow:negotiation", "token:missing")))
    assert base != pair_key(_exchange(url, "get", ("flow:auth", "token:unknown")))


@pytest.mark.parametrize(
    ("method", "url", "expected"),
    [
        ("DELETE", f"https://em/api/jobs/{GUID_A}", "DELETE /jobs/{ID}"),
        ("GET", "https://em/api/jobs/%C2%967%0E/backupSessions", "GET /jobs/{ID}/backupSessions"),
        ("GET", "https://em/api/tasks", "GET /tasks"),
        ("GET", "https://em/api/nowhere/42", "GET /nowhere/{n}"),
    ],
)
def test_generated_requests_are_known_by_their_operation(
    method: str, url: str, expected: str
) -> None:
    assert operation(_exchange(url, "generated", method=method)) == expected
