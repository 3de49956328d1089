"""Replay: strict matching, stateful polling, the closest-request error, three front ends."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import requests

from conformance.cassette import NoMatchingInteraction, Replayer, replay_cassette, write_cassette
from conformance.exchange import Exchange, RecordedRequest, RecordedResponse
from conformance.spec import cassettes_dir

BASE = "https://em:9398/api"
TOKEN = {"X-RestSvcSessionId": "<redacted:token-1>"}


def _task(state: str) -> str:
    return f'<Task Href="{BASE}/tasks/task-1"><State>{state}</State></Task>'


def _exchange(
    method: str, url: str, headers: dict[str, str], status: int, body: str = ""
) -> Exchange:
    response = RecordedResponse.build(
        status, {"Content-Type": "application/xml", "Content-Length": str(len(body))}, body
    )
    return Exchange(RecordedRequest.build(method, url, headers), response)


RECORDING = [
    _exchange("GET", f"{BASE}/tasks/task-1", TOKEN, 200, _task("Running")),
    _exchange("GET", f"{BASE}/jobs?format=Entity", TOKEN, 200, "<Jobs/>"),
    _exchange("GET", f"{BASE}/tasks/task-1", TOKEN, 200, _task("OperationFinished")),
    _exchange("GET", f"{BASE}/tasks/task-1", TOKEN, 200, _task("Finished")),
    _exchange("GET", f"{BASE}/tasks/task-1", {}, 401, "<Error/>"),
    _exchange(
        "GET",
        f"{BASE}/tasks/task-1",
        {**TOKEN, "Accept": "application/json"},
        200,
        '{"State":"Finished"}',
    ),
]


def _get(url: str, **headers: str) -> RecordedRequest:
    return RecordedRequest.build("GET", url, headers)


def test_polling_walks_the_recorded_answers_in_order_and_the_last_repeats() -> None:
    replayer = Replayer(RECORDING)
    states = [replayer.handle(_get(f"{BASE}/tasks/task-1", **TOKEN)).body for _ in range(5)]
    assert states == [
        _task(s).encode()
        for s in ("Running", "OperationFinished", "Finished", "Finished", "Finished")
    ]


@pytest.mark.parametrize(
    ("headers", "status", "body"),
    [
        pytest.param({}, 401, b"<Error/>", id="no-token"),
        pytest.param(
            {"Cookie": "X-RestSvcSessionId=abc"}, 200, _task("Running").encode(), id="cookie-token"
        ),
        pytest.param(
            {**TOKEN, "Accept": "application/xml, application/json"},
            200,
            b'{"State":"Finished"}',
            id="json-entry",
        ),
        pytest.param(
            {**TOKEN, "Accept": "*/*"}, 200, _task("Running").encode(), id="wildcard-is-xml"
        ),
    ],
)
def test_token_presence_and_negotiated_format_select_the_answer(
    headers: dict[str, str], status: int, body: bytes
) -> None:
    answer = Replayer(RECORDING).handle(_get(f"{BASE}/tasks/task-1", **headers))
    assert (answer.status, answer.body) == (status, body)


def test_query_order_does_not_matter_but_its_content_does() -> None:
    replayer = Replayer(
        [_exchange("GET", f"{BASE}/query?type=Task&format=Entities", TOKEN, 200, "<Q/>")]
    )
    assert replayer.handle(_get(f"{BASE}/query?format=Entities&type=Task", **TOKEN)).status == 200
    with pytest.raises(NoMatchingInteraction, match="differs in query"):
        replayer.handle(_get(f"{BASE}/query?type=Job&format=Entities", **TOKEN))


def test_no_match_names_the_closest_recorded_request() -> None:
    with pytest.raises(NoMatchingInteraction) as raised:
        Replayer(RECORDING, name="rec.yaml").handle(_get(f"{BASE}/tasks/task-2", **TOKEN))
    message = str(raised.value)
    assert (
        "No interaction in rec.yaml matches GET /api/tasks/task-2 (xml, invalid token)" in message
    )
    assert (
        "the closest is #0: GET /api/tasks/task-1 (xml, invalid token), which differs in path."
        in message
    )


def test_no_match_in_an_empty_cassette_says_so() -> None:
    with pytest.raises(NoMatchingInteraction, match="the cassette is empty"):
        Replayer([]).handle(_get(f"{BASE}/"))


def test_hrefs_point_at_the_host_the_client_called() -> None:
    answer = Replayer(RECORDING).handle(_get("http://127.0.0.1:8080/api/tasks/task-1", **TOKEN))
    assert answer.body == _task("Running").replace(BASE, "http://127.0.0.1:8080/api").encode()
    assert answer.header("Content-Length") == str(len(answer.body))


def test_journal_and_unused_track_what_was_served() -> None:
    replayer = Replayer(RECORDING)
    replayer.handle(_get(f"{BASE}/tasks/task-1", **TOKEN))
    assert [e.response.status for e in replayer.journal] == [200]
    assert replayer.unused == [1, 2, 3, 4, 5]


def test_context_manager_serves_requests(tmp_path: Path) -> None:
    write_cassette(tmp_path / "c.yaml", RECORDING)
    with replay_cassette(tmp_path / "c.yaml") as replay:
        first = requests.get(f"{BASE}/tasks/task-1", headers=TOKEN, timeout=5)
        second = requests.get(f"{BASE}/tasks/task-1", headers=TOKEN, timeout=5)
        with pytest.raises(NoMatchingInteraction):
            requests.delete(f"{BASE}/tasks/task-1", headers=TOKEN, timeout=5)
    assert "Running" in first.text and "OperationFinished" in second.text
    assert len(replay.journal) == 2


def test_decorator_serves_requests() -> None:
    @replay_cassette(RECORDING)
    def fetch() -> int:
        return requests.get(f"{BASE}/jobs?format=Entity", headers=TOKEN, timeout=5).status_code

    assert fetch() == 200
    assert fetch() == 200  # one Replayer behind both calls: the last answer repeats


def test_replay_stops_mocking_on_exit() -> None:
    with replay_cassette(RECORDING):
        pass
    with pytest.raises(requests.ConnectionError):
        requests.get("http://127.0.0.1:9/api/", timeout=1)


def test_a_shipped_doc_cassette_replays_a_delete_and_poll() -> None:
    with replay_cassette(cassettes_dir() / "docs-delete-job.yaml") as replay:
        accepted = requests.delete(
            f"{BASE}/jobs/5b89dae5-6f08-45ec-b068-08f0bd08394a", headers=TOKEN, timeout=5
        )
        href = accepted.text.split('Href="', 1)[1].split('"', 1)[0]
        finished = requests.get(href, headers=TOKEN, timeout=5)
    assert accepted.status_code == 202 and href == f"{BASE}/tasks/task-1"
    assert "<State>Finished</State>" in finished.text
    assert replay.replayer.unused == []


FIXTURE_USER = """
import requests

def test_replayed(em_cassette):
    replay = em_cassette("docs-tasks.yaml")
    answer = requests.get("https://x/api/tasks", headers={"X-RestSvcSessionId": "t"}, timeout=5)
    assert answer.status_code == 200 and "task-30" in answer.text
    assert replay.replayer.unused == [1, 2, 3, 4]

def test_unknown_name(em_cassette):
    em_cassette("no-such-cassette.yaml")

def test_mock_is_gone_after_the_test():
    import pytest
    with pytest.raises(requests.ConnectionError):
        requests.get("http://127.0.0.1:9/api/tasks", timeout=1)
"""


def test_em_cassette_fixture_in_a_user_test_run(tmp_path: Path) -> None:
    # The plugin loads through its pytest11 entry point, as it does for a user.
    (tmp_path / "test_user.py").write_text(FIXTURE_USER)
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "test_user.py"]
    result = subprocess.run(
        command, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    assert "1 failed, 2 passed" in result.stdout, result.stdout + result.stderr
    assert "Expected a cassette file or a shipped cassette name" in result.stdout


_LOGON = RecordedResponse.build(
    201, {"X-RestSvcSessionId": "<redacted:token-1>", "Content-Type": "application/xml"}, "<S/>"
)
# A recording as the suite makes one: a bad-token probe of /jobs before the real call.
WITH_PROBE = [
    Exchange(
        RecordedRequest.build("POST", f"{BASE}/sessionMngr/", {"Authorization": "Basic x"}), _LOGON
    ),
    _exchange("GET", f"{BASE}/jobs", {"X-RestSvcSessionId": "<redacted:token-2>"}, 401, "<Error/>"),
    _exchange("GET", f"{BASE}/jobs", TOKEN, 200, "<Jobs/>"),
    _exchange("DELETE", f"{BASE}/logonSessions/s-1", TOKEN, 204),
]


def _logged_on(replayer: Replayer) -> str:
    answer = replayer.handle(
        RecordedRequest.build("POST", f"{BASE}/sessionMngr/", {"Authorization": "Basic y"})
    )
    return answer.header("X-RestSvcSessionId") or ""


def test_a_valid_token_gets_the_valid_token_answer_whatever_was_recorded_first() -> None:
    replayer = Replayer(WITH_PROBE)
    token = _logged_on(replayer)
    assert replayer.handle(_get(f"{BASE}/jobs", **{"X-RestSvcSessionId": token})).status == 200


def test_a_bad_token_gets_the_401_even_on_a_path_recorded_only_with_a_good_one() -> None:
    replayer = Replayer(WITH_PROBE)
    _logged_on(replayer)
    bad = {"X-RestSvcSessionId": "stale"}
    assert replayer.handle(_get(f"{BASE}/jobs", **bad)).status == 401
    assert replayer.handle(_get(f"{BASE}/tasks/task-9", **bad)).status == 401


def test_a_token_is_invalid_after_its_logout_and_before_any_logon() -> None:
    replayer = Replayer(WITH_PROBE)
    assert replayer.handle(_get(f"{BASE}/jobs", **TOKEN)).status == 401  # nothing issued yet
    token = {"X-RestSvcSessionId": _logged_on(replayer)}
    assert (
        replayer.handle(RecordedRequest.build("DELETE", f"{BASE}/logonSessions/s-1", token)).status
        == 204
    )
    assert replayer.handle(_get(f"{BASE}/jobs", **token)).status == 401


def test_the_cookie_wins_over_the_header_when_judging_a_token() -> None:
    replayer = Replayer(WITH_PROBE)
    token = _logged_on(replayer)
    both = {"X-RestSvcSessionId": token, "Cookie": "X-RestSvcSessionId=stale"}
    assert replayer.handle(_get(f"{BASE}/jobs", **both)).status == 401
