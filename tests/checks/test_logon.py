"""The logon and logout checks against hand-made exchanges: one passing, one failing case each."""

from __future__ import annotations

import pytest

from conformance.checks import Outcome
from conformance.checks.steps import Label, TokenProbe

from ._exchanges import BASE, TOKEN, assert_outcome, example, exchange, response

P, F = Outcome.PASSED, Outcome.FAILED
SESSION = "15a3fc97-0325-4119-b789-5c0367c6c565"
COOKIE = f"X-RestSvcSessionId={TOKEN}; Path=/api;"


def logon(status: int = 201, body: bytes | None = None, label: str = Label.LOGON, **headers: str):
    data = example("logonsession.xml") if body is None else body
    fields = {"X_RestSvcSessionId": TOKEN, "Set_Cookie": COOKIE} if status == 201 else {}
    fields.update(headers)
    answer = response(status, data if status == 201 else b"", **fields)
    return exchange("POST", "/sessionMngr/?v=latest", answer, token=None, label=label)


def logon_session(session_id: str = SESSION, delete: bool = True) -> bytes:
    href = f"{BASE}/logonSessions/{session_id}"
    link = f'<Link Rel="Delete" Href="{href}"/>' if delete else ""
    return (
        f'<LogonSession xmlns="http://www.veeam.com/ent/v1.0" Type="LogonSession" Href="{href}">'
        f"<Links>{link}</Links><UserName>EM\\administrator</UserName>"
        f"<SessionId>{session_id}</SessionId></LogonSession>"
    ).encode()


def entry(status: int = 200, name: str = "enterprisemanager.xml"):
    body = example(name) if status == 200 else b""
    return exchange("GET", "/", response(status, body), token=None, label=Label.ENTRY)


def bad_logon(**headers: str):
    answer = response(401, b"", **headers)
    return exchange("POST", "/sessionMngr/", answer, token=None, label=Label.LOGON_BAD_CREDENTIALS)


def tagged(label: str, tag: str, status: int):
    return exchange("GET", "/tasks", response(status), label=label, tags=(tag,))


CASES = [
    pytest.param("entry_point_answers", [entry()], P, id="entry-200"),
    pytest.param("entry_point_answers", [entry(401)], F, id="entry-401"),
    pytest.param("logon_answers_201", [logon()], P, id="logon-201"),
    pytest.param("logon_answers_201", [logon(200, X_RestSvcSessionId=TOKEN)], F, id="logon-200"),
    pytest.param("logon_returns_token_header", [logon()], P, id="token-header"),
    pytest.param(
        "logon_returns_token_header",
        [exchange("POST", "/sessionMngr/", response(201, example("logonsession.xml")))],
        F,
        id="no-token-header",
    ),
    pytest.param("logon_sets_token_cookie", [logon()], P, id="cookie"),
    pytest.param(
        "logon_sets_token_cookie",
        [logon(Set_Cookie=f"X-RestSvcSessionId={TOKEN}; Path=/")],
        F,
        id="cookie-wrong-path",
    ),
    pytest.param(
        "logon_sets_token_cookie",
        [logon(Set_Cookie="X-RestSvcSessionId=other; Path=/api")],
        F,
        id="cookie-other-value",
    ),
    pytest.param("logon_body_is_logon_session", [logon()], P, id="logon-body"),
    pytest.param(
        "logon_body_is_logon_session",
        [logon(body=example("task-finished-deletejob.xml"))],
        F,
        id="logon-body-is-task",
    ),
    pytest.param("logon_session_links_itself", [logon(body=logon_session())], P, id="self-links"),
    pytest.param(
        "logon_session_links_itself", [logon(body=logon_session(delete=False))], F, id="no-delete"
    ),
    pytest.param(
        "bad_credentials_challenge",
        [bad_logon(WWW_Authenticate="Basic Realm=RestSvc")],
        P,
        id="challenge",
    ),
    pytest.param("bad_credentials_challenge", [bad_logon()], F, id="no-challenge"),
    pytest.param(
        "logout_answers_204",
        [exchange("DELETE", f"/logonSessions/{SESSION}", response(204), label=Label.LOGOUT)],
        P,
        id="logout-204",
    ),
    pytest.param(
        "logout_answers_204",
        [exchange("DELETE", f"/logonSessions/{SESSION}", response(200), label=Label.LOGOUT)],
        F,
        id="logout-200",
    ),
    pytest.param(
        "logged_out_token_refused",
        [tagged(Label.AFTER_LOGOUT, TokenProbe.LOGGED_OUT, 401)],
        P,
        id="logged-out-401",
    ),
    pytest.param(
        "logged_out_token_refused",
        [tagged(Label.AFTER_LOGOUT, TokenProbe.LOGGED_OUT, 200)],
        F,
        id="logged-out-200",
    ),
    pytest.param(
        "unsupported_version_refused",
        [logon(401, label=Label.LOGON_UNSUPPORTED_VERSION)],
        P,
        id="v1_4-401",
    ),
    pytest.param(
        "unsupported_version_refused",
        [logon(201, label=Label.LOGON_UNSUPPORTED_VERSION)],
        F,
        id="v1_4-201",
    ),
    pytest.param(
        "cookie_token_accepted", [tagged(Label.COOKIE_ONLY, "", 200)], P, id="cookie-only-200"
    ),
    pytest.param(
        "cookie_token_accepted", [tagged(Label.COOKIE_ONLY, "", 401)], F, id="cookie-only-401"
    ),
    pytest.param(
        "cookie_wins_over_header", [tagged(Label.COOKIE_WINS, "", 200)], P, id="cookie-wins"
    ),
    pytest.param(
        "cookie_wins_over_header", [tagged(Label.COOKIE_WINS, "", 401)], F, id="header-wins"
    ),
    pytest.param(
        "idle_session_expires", [tagged("after-idle", TokenProbe.EXPIRED, 401)], P, id="idle-401"
    ),
    pytest.param(
        "idle_session_expires", [tagged("after-idle", TokenProbe.EXPIRED, 200)], F, id="idle-200"
    ),
]


@pytest.mark.parametrize(("check", "exchanges", "expected"), CASES)
def test_logon_checks(check: str, exchanges: list, expected: Outcome) -> None:
    assert_outcome(check, exchanges, expected)


def test_cookie_attribute_names_are_case_insensitive() -> None:
    cookie = f"X-RestSvcSessionId={TOKEN}; path=/api/; HttpOnly"
    assert_outcome("logon_sets_token_cookie", [logon(Set_Cookie=cookie)], P)
