"""Logon, tokens, cookies, idle timeout, logout and roles (http_authentication.html)."""

from __future__ import annotations

import pytest

from conformance.emulator import EmulatorConfig, EnterpriseManagerEmulator, ManualClock, User
from conformance.emulator.sessions import parse_basic
from conformance.model import LogonSession
from tests.emulator.conftest import MOCK_BASE, Client, CoreDriver, assert_valid, basic


def _logon(core: CoreDriver, version: str = "latest", authorization: str | None = None) -> int:
    headers = {"Authorization": authorization or basic("administrator")}
    return core.send("POST", f"/sessionMngr/?v={version}", headers).status


@pytest.mark.parametrize("version", ["latest", "v1_5", "v1_6", "v1_7"])
def test_supported_versions_log_on(core: CoreDriver, version: str) -> None:
    assert _logon(core, version) == 201


@pytest.mark.parametrize("version", ["v1_4", "v1_8", "v1", "", "LATEST"])
def test_unsupported_versions_get_401_with_a_challenge(core: CoreDriver, version: str) -> None:
    response = core.send(
        "POST", f"/sessionMngr/?v={version}", {"Authorization": basic("administrator")}
    )
    assert response.status == 401
    assert response.header("WWW-Authenticate") == "Basic Realm=RestSvc"
    assert_valid(response)


@pytest.mark.parametrize("path", ["/sessionMngr/", "/sessionMngr", "/sessionMngr/?V=v1_7"])
def test_logon_without_version_is_the_latest(core: CoreDriver, path: str) -> None:
    # Real clients log on at /sessionMngr/ with no v; real servers take it as the latest.
    assert core.send("POST", path, {"Authorization": basic("administrator")}).status == 201


@pytest.mark.parametrize("authorization", [
    basic("administrator", "wrong"), basic("nobody"), "Basic !!!", "Bearer abc", "Basic " + "YWRtaW4=",
])  # fmt: skip
def test_bad_credentials_get_401_with_a_challenge(core: CoreDriver, authorization: str) -> None:
    response = core.send("POST", "/sessionMngr/?v=latest", {"Authorization": authorization})
    assert (response.status, response.header("WWW-Authenticate")) == (401, "Basic Realm=RestSvc")
    assert response.header("X-RestSvcSessionId") is None


def test_missing_credentials_get_401(core: CoreDriver) -> None:
    response = core.send("POST", "/sessionMngr/?v=latest")
    assert (response.status, response.header("WWW-Authenticate")) == (401, "Basic Realm=RestSvc")


def test_logon_answer(core: CoreDriver) -> None:
    client = Client(core)
    session = LogonSession.from_body(client.logon.body, "application/xml")
    token = client.token
    assert token and token != session.session_id
    assert client.logon.header("Set-Cookie") == f"X-RestSvcSessionId={token}; Path=/api"
    assert session.user_name == "EMULATOR\\administrator"
    assert session.href == f"{MOCK_BASE}/logonSessions/{session.session_id}"
    assert {link.rel for link in session.links} >= {"Up", "Down", "Delete"}


def test_user_names_are_case_insensitive_passwords_not(core: CoreDriver) -> None:
    assert _logon(core, authorization=basic("Administrator")) == 201
    assert _logon(core, authorization=basic("administrator", "veeam123!")) == 401


def test_cookie_alone_works_and_wins_over_the_header(core: CoreDriver) -> None:
    client = Client(core)
    cookie = {"Cookie": f"X-RestSvcSessionId={client.token}"}
    assert core.send("GET", "/jobs", cookie).status == 200
    both_bad_cookie = {"X-RestSvcSessionId": client.token, "Cookie": "X-RestSvcSessionId=stale"}
    assert core.send("GET", "/jobs", both_bad_cookie).status == 401
    both_bad_header = {
        "X-RestSvcSessionId": "stale",
        "Cookie": f"other=1; X-RestSvcSessionId={client.token}",
    }
    assert core.send("GET", "/jobs", both_bad_header).status == 200


@pytest.mark.parametrize("headers", [{}, {"X-RestSvcSessionId": "unknown"}, {"Cookie": "X-RestSvcSessionId="},
                                     {"Cookie": "garbage;;=="}])  # fmt: skip
def test_no_valid_token_is_401(core: CoreDriver, headers: dict[str, str]) -> None:
    response = core.send("GET", "/tasks", headers)
    assert response.status == 401
    assert response.header("WWW-Authenticate") is None
    assert_valid(response)


def test_idle_timeout_slides(core: CoreDriver, clock: ManualClock) -> None:
    client = Client(core)
    for _ in range(3):
        clock.advance(14 * 60)
        assert client.get("/tasks").status == 200
    clock.advance(15 * 60 + 1)
    assert client.get("/tasks").status == 401
    assert client.get("/tasks").status == 401


def test_idle_timeout_is_configurable() -> None:
    clock = ManualClock()
    emulator = EnterpriseManagerEmulator(EmulatorConfig(clock=clock, idle_timeout=5))
    client = Client(CoreDriver(MOCK_BASE, clock, emulator))
    clock.advance(5.5)
    assert client.get("/tasks").status == 401


def test_logout(core: CoreDriver) -> None:
    client = Client(core)
    session = LogonSession.from_body(client.logon.body, "application/xml")
    delete = session.link("Delete")
    assert delete is not None
    response = client.send("DELETE", delete.href)
    assert (response.status, response.body, response.header("Content-Type")) == (204, b"", None)
    assert client.get("/tasks").status == 401
    assert Client(core).get(f"/logonSessions/{session.session_id}").status == 404


def test_session_visibility(core: CoreDriver) -> None:
    admin, operator, other = Client(core), Client(core, "operator"), Client(core, "operator")
    ids = [
        LogonSession.from_body(c.logon.body, "application/xml").session_id
        for c in (admin, operator, other)
    ]
    assert all(i.encode() in admin.get("/logonSessions").body for i in ids)
    listed = operator.get("/logonSessions").body
    assert (
        ids[1].encode() in listed
        and ids[0].encode() not in listed
        and ids[2].encode() not in listed
    )
    assert operator.get(f"/logonSessions/{ids[2]}").status == 404
    assert operator.delete(f"/logonSessions/{ids[2]}").status == 404
    assert admin.get(f"/logonSessions/{ids[2]}").status == 200
    assert admin.delete(f"/logonSessions/{ids[2]}").status == 204
    assert other.get("/tasks").status == 401


def test_restore_operator_may_not_manage_jobs(core: CoreDriver) -> None:
    admin, operator = Client(core), Client(core, "operator")
    job_id = admin.get("/jobs").body.split(b"/jobs/", 1)[1][:36].decode()
    for method, path in [("DELETE", f"/jobs/{job_id}"), ("POST", f"/jobs/{job_id}?action=start"),
                         ("POST", f"/jobs/{job_id}?action=stop"), ("GET", "/jobs")]:  # fmt: skip
        response = operator.send(method, path)
        assert response.status == 403, (method, path)
        assert b"Access denied" in response.body
    assert operator.get("/tasks").status == 200
    assert admin.get(f"/jobs/{job_id}").status == 200


def test_configured_users() -> None:
    clock = ManualClock()
    users = (User("alice", "s3cret", "Portal Administrator", domain="CORP"),)
    driver = CoreDriver(
        MOCK_BASE, clock, EnterpriseManagerEmulator(EmulatorConfig(clock=clock, users=users))
    )
    assert _logon(driver, authorization=basic("administrator")) == 401
    response = driver.send(
        "POST", "/sessionMngr/?v=latest", {"Authorization": basic("alice", "s3cret")}
    )
    assert b"<UserName>CORP\\alice</UserName>" in response.body


@pytest.mark.parametrize(("header", "expected"), [
    (basic("a", "b:c"), ("a", "b:c")), ("basic " + basic("a", "")[6:], ("a", "")),
    (None, None), ("Basic", None), ("Basic =", None), ("Basic " + "bm9jb2xvbg==", None),
])  # fmt: skip
def test_parse_basic(header: str | None, expected: tuple[str, str] | None) -> None:
    assert parse_basic(header) == expected
