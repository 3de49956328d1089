"""The client rules (EM-CLIENT-nnn), on traffic built by hand: good, and bad one way each."""

from __future__ import annotations

from dataclasses import replace

import pytest

from conformance.checks import Outcome, Verdict
from conformance.checks.client_rules import CLIENT_REGISTRY, CLIENT_RULES, judge_client
from conformance.checks.registry import REGISTRY
from conformance.exchange import Exchange, RecordedRequest, RecordedResponse

API = "https://em:9398/api"
TOKEN = "<redacted:token-1>"
SESSION = "15a3fc97-0325-4119-b789-5c0367c6c565"
LOGON_BODY = (
    f'<LogonSession xmlns="http://www.veeam.com/ent/v1.0" Type="LogonSession" Href="{API}/logonSessions/{SESSION}">'
    f'<Links><Link Rel="Delete" Href="{API}/logonSessions/{SESSION}"/></Links>'
    f"<UserName>admin</UserName><SessionId>{SESSION}</SessionId></LogonSession>"
)


def _task(state: str, success: str | None = None, href: str = f"{API}/tasks/task-1") -> str:
    result = f'<Result Success="{success}"><Message>m</Message></Result>' if success else ""
    return (
        f'<Task xmlns="http://www.veeam.com/ent/v1.0" Type="Task" Href="{href}"><Links><Link Rel="Delete" Href="{href}"/>'
        f"</Links><TaskId>task-1</TaskId><State>{state}</State><Operation>DeleteJob</Operation>{result}</Task>"
    )


def _x(
    method: str, url: str, status: int, body: str = "", at: float = 0.0, **headers: str
) -> Exchange:
    request_headers = {"Accept": "application/xml", **headers}
    response_headers = {"Content-Type": "application/xml"} if body else {}
    if status == 201:
        response_headers["X-RestSvcSessionId"] = TOKEN
    response = RecordedResponse.build(status, response_headers, body)
    return Exchange(
        RecordedRequest.build(method, url, request_headers), response, tags=(f"at:{at:.3f}",)
    )


def good_traffic(poll_times: tuple[float, ...] = (0.5, 1.5, 3.5)) -> list[Exchange]:
    token = {"X-RestSvcSessionId": TOKEN}
    states = ["Running"] * (len(poll_times) - 1) + ["Finished"]
    polls = [
        _x(
            "GET",
            f"{API}/tasks/task-1",
            200,
            _task(state, "true" if state == "Finished" else None),
            at,
            **token,
        )
        for state, at in zip(states, poll_times, strict=True)
    ]
    return [
        _x("GET", f"{API}/", 200, "<EnterpriseManager/>"),
        _x(
            "POST",
            f"{API}/sessionMngr/?v=latest",
            201,
            LOGON_BODY,
            0.1,
            Authorization="Basic <redacted:credentials-1>",
        ),
        _x(
            "DELETE",
            f"{API}/jobs/5b89dae5-6f08-45ec-b068-08f0bd08394a",
            202,
            _task("Running"),
            0.2,
            **token,
        ),
        *polls,
        _x("DELETE", f"{API}/logonSessions/{SESSION}", 204, "", poll_times[-1] + 0.1, **token),
    ]


def outcomes(exchanges: list[Exchange]) -> dict[str, Outcome]:
    return {verdict.rule.id: verdict.outcome for verdict in judge_client(exchanges)}


def failed(exchanges: list[Exchange]) -> dict[str, Verdict]:
    return {v.rule.id: v for v in judge_client(exchanges) if v.outcome is Outcome.FAILED}


def test_a_good_client_passes_everything_it_can_be_judged_on() -> None:
    result = outcomes(good_traffic())
    assert result.pop("EM-CLIENT-009") is Outcome.SKIPPED  # no task failed
    assert set(result.values()) == {Outcome.PASSED}
    assert set(result) | {"EM-CLIENT-009"} == {rule.id for rule in CLIENT_RULES}


def test_client_rules_stay_out_of_the_server_catalogue() -> None:
    assert not {check.rule.id for check in REGISTRY.checks()} & {rule.id for rule in CLIENT_RULES}
    assert [rule.id for rule in CLIENT_REGISTRY.rules()] == [rule.id for rule in CLIENT_RULES]


def test_no_logon() -> None:
    traffic = [e for e in good_traffic() if "sessionMngr" not in e.request.url]
    assert "EM-CLIENT-001" in failed(traffic)
    assert outcomes(traffic)["EM-CLIENT-002"] is Outcome.SKIPPED


def test_call_before_logon() -> None:
    traffic = good_traffic()
    traffic.insert(1, _x("GET", f"{API}/jobs", 401, "<Error/>"))
    assert failed(traffic)["EM-CLIENT-001"].exchanges == (1,)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        pytest.param({}, False, id="no-token"),
        pytest.param({"X-RestSvcSessionId": "<redacted:token-9>"}, False, id="unknown-token"),
        pytest.param({"Cookie": f"X-RestSvcSessionId={TOKEN}"}, True, id="cookie"),
        pytest.param({"X-RestSvcSessionId": TOKEN}, True, id="header"),
    ],
)
def test_token_on_every_call(headers: dict[str, str], expected: bool) -> None:
    traffic = good_traffic()
    traffic.insert(3, _x("GET", f"{API}/jobs", 200, "<EntityReferences/>", 0.3, **headers))
    assert ("EM-CLIENT-002" not in failed(traffic)) is expected


@pytest.mark.parametrize(
    ("accept", "fails"),
    [
        ("application/xml, application/json", True),
        ("text/html", True),
        ("application/json", False),
        ("*/*", False),
    ],
)
def test_accept_must_name_one_format(accept: str, fails: bool) -> None:
    traffic = good_traffic()
    traffic[3] = replace(
        traffic[3],
        request=replace(
            traffic[3].request, headers=(("Accept", accept), ("X-RestSvcSessionId", TOKEN))
        ),
    )
    assert ("EM-CLIENT-003" in failed(traffic)) is fails


def test_body_without_content_type() -> None:
    traffic = good_traffic()
    request = RecordedRequest.build(
        "POST", f"{API}/jobs/x?action=clone", {"X-RestSvcSessionId": TOKEN}, "<JobCloneSpec/>"
    )
    traffic.insert(3, Exchange(request, RecordedResponse.build(400)))
    assert failed(traffic)["EM-CLIENT-004"].exchanges == (3,)


def test_credentials_on_every_call() -> None:
    traffic = good_traffic()
    traffic[3] = replace(
        traffic[3],
        request=replace(
            traffic[3].request, headers=(*traffic[3].request.headers, ("Authorization", "Basic x"))
        ),
    )
    assert failed(traffic)["EM-CLIENT-005"].exchanges == (3,)


def test_task_url_built_instead_of_followed() -> None:
    traffic = good_traffic()
    poll = traffic[3]
    # The Href says https://em:9398; the client built its URL on the old HTTP port.
    built = replace(poll.request, url="http://em:9399/api/tasks/task-1")
    traffic[3] = replace(poll, request=built)
    verdict = failed(traffic)["EM-CLIENT-006"]
    assert verdict.exchanges == (3,)
    assert f"the Href {API}/tasks/task-1" in verdict.received


def test_task_id_never_given() -> None:
    traffic = good_traffic()
    traffic.insert(
        3, _x("GET", f"{API}/tasks/task-77", 404, "<Error/>", 0.3, **{"X-RestSvcSessionId": TOKEN})
    )
    assert "no Href for that task" in failed(traffic)["EM-CLIENT-006"].received


@pytest.mark.parametrize(
    ("times", "fails"),
    [
        pytest.param((0.30, 0.31, 0.32, 0.33), True, id="tight-loop"),
        pytest.param((0.3, 0.5, 0.7, 0.9), True, id="steady-but-fast"),
        pytest.param((0.3, 0.4, 0.6, 1.0), False, id="doubling"),
        pytest.param((0.3, 0.705, 1.514), False, id="doubling-measured-with-latency"),
        pytest.param((0.3, 0.6, 0.8), True, id="shrinking"),
        pytest.param((0.3, 1.3, 2.3, 3.3), False, id="steady-one-second"),
        pytest.param((0.3, 0.31), False, id="two-polls-say-nothing"),
        # A tight loop on a loaded machine: one late answer is not back-off.
        pytest.param((*(0.3 + 0.05 * i for i in range(12)), 1.2), True, id="tight-loop-one-stall"),
        pytest.param(tuple(0.3 + 0.05 * (2**i - 1) for i in range(8)), False, id="doubling-long"),
    ],
)
def test_backoff(times: tuple[float, ...], fails: bool) -> None:
    assert ("EM-CLIENT-007" in failed(good_traffic(times))) is fails


def test_backoff_needs_times() -> None:
    traffic = [replace(e, tags=()) for e in good_traffic()]
    assert outcomes(traffic)["EM-CLIENT-007"] is Outcome.SKIPPED


def test_poll_after_finished() -> None:
    traffic = good_traffic()
    traffic.insert(-1, replace(traffic[-2]))
    assert failed(traffic)["EM-CLIENT-008"].exchanges == (len(traffic) - 2,)


def test_failed_task_followed_by_a_retry_loop() -> None:
    traffic = good_traffic((0.5, 1.5))
    traffic[4] = _x(
        "GET",
        f"{API}/tasks/task-1",
        200,
        _task("Finished", "false"),
        1.5,
        **{"X-RestSvcSessionId": TOKEN},
    )
    once = [*traffic[:-1], traffic[2], traffic[-1]]
    assert outcomes(once)["EM-CLIENT-009"] is Outcome.PASSED
    loop = [*traffic[:-1], traffic[2], traffic[2], traffic[-1]]
    assert "re-sent 2 times" in failed(loop)["EM-CLIENT-009"].received


def test_no_logout() -> None:
    verdict = failed(good_traffic()[:-1])["EM-CLIENT-010"]
    assert verdict.exchanges == (1,)
