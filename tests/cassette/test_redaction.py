"""Redaction: secrets replaced by stable placeholders wherever they appear."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.cassette import Redactor, read_cassette, redact, render_cassette, write_cassette
from conformance.exchange import Exchange, RecordedRequest, RecordedResponse
from conformance.redaction import _trie_pattern

TOKEN = "O9Msj3rq7EGUhtSMBQx+mw=="
OTHER_TOKEN = "NDRjZmJkYmUtNWE5NS00MTU2LTg4NjctOTFmMDY5YjdjMmNj"
PASSWORD = "Pa55w0rd!&<"
BASIC = "Basic " + base64.b64encode(f"TECH\\admin:{PASSWORD}".encode()).decode()
SESSION_ID = "15a3fc97-0325-4119-b789-5c0367c6c565"
LOGON_BODY = f"<LogonSession><UserName>TECH\\admin</UserName><SessionId>{SESSION_ID}</SessionId></LogonSession>"


def _logon(token: str = TOKEN) -> Exchange:
    request = RecordedRequest.build(
        "POST", "https://em:9398/api/sessionMngr/?v=latest", {"Authorization": BASIC}
    )
    headers = [
        ("X-RestSvcSessionId", token),
        ("Set-Cookie", f"X-RestSvcSessionId={token}; Path=/api;"),
        ("Content-Length", str(len(LOGON_BODY))),
    ]
    return Exchange(request, RecordedResponse.build(201, headers, LOGON_BODY), "logon")


def _call(url: str, headers: dict[str, str], body: str = "") -> Exchange:
    return Exchange(
        RecordedRequest.build("GET", url, headers),
        RecordedResponse.build(200, {"Content-Length": str(len(body))}, body),
    )


def test_token_in_header_and_cookie_gets_one_placeholder() -> None:
    logon, call = redact(
        [_logon(), _call("https://em:9398/api/jobs", {"Cookie": f"X-RestSvcSessionId={TOKEN}"})]
    )
    assert logon.response.header("X-RestSvcSessionId") == "<redacted:token-1>"
    assert (
        logon.response.header("Set-Cookie") == "X-RestSvcSessionId=<redacted:token-1>; Path=/api;"
    )
    assert call.request.header("Cookie") == "X-RestSvcSessionId=<redacted:token-1>"


def test_distinct_tokens_get_distinct_stable_placeholders() -> None:
    exchanges = redact(
        [
            _logon(TOKEN),
            _logon(OTHER_TOKEN),
            _call("https://em/api/", {"X-RestSvcSessionId": TOKEN}),
        ]
    )
    assert [e.response.header("X-RestSvcSessionId") for e in exchanges[:2]] == [
        "<redacted:token-1>",
        "<redacted:token-2>",
    ]
    assert exchanges[2].request.header("X-RestSvcSessionId") == "<redacted:token-1>"


def test_basic_credentials_and_the_password_inside_them_are_redacted_everywhere() -> None:
    echo = _call(
        "https://em/api/echo",
        {},
        f"<Echo>{PASSWORD.replace('&', '&amp;').replace('<', '&lt;')}</Echo>",
    )
    logon, echoed = redact([_logon(), echo])
    assert logon.request.header("Authorization") == "Basic <redacted:credentials-1>"
    assert echoed.response.body == b"<Echo><redacted:password-1></Echo>"


def test_session_id_and_user_name_are_not_secrets() -> None:
    (logon,) = redact([_logon()])
    assert logon.response.body == LOGON_BODY.encode()


def test_password_elements_and_properties_in_bodies_are_redacted() -> None:
    xml = "<LoginSpec><TenantCredentials><Username>t</Username><Password>tenant-pw</Password></TenantCredentials></LoginSpec>"
    json_body = '{"TenantCredentials": {"Username": "t", "Password": "json-pw\\"x"}}'
    exchanges = redact(
        [_call("https://em/api/a", {}, xml), _call("https://em/api/b", {}, json_body)]
    )
    assert b"tenant-pw" not in exchanges[0].response.body
    assert (
        exchanges[1].response.body
        == b'{"TenantCredentials": {"Username": "t", "Password": "<redacted:password-2>"}}'
    )


def test_configured_secrets_are_redacted_in_urls_headers_and_bodies_even_url_encoded() -> None:
    secret = "s3cr3t/key+1"
    exchange = _call(
        "https://em/api/x?key=s3cr3t%2Fkey%2B1", {"X-Api-Key": secret}, f"value={secret}"
    )
    (redacted,) = redact([exchange], secrets=[secret])
    assert redacted.request.url == "https://em/api/x?key=<redacted:secret-1>"
    assert redacted.request.header("X-Api-Key") == "<redacted:secret-1>"
    assert redacted.response.body == b"value=<redacted:secret-1>"


def test_content_length_follows_a_redacted_body() -> None:
    (redacted,) = redact([_call("https://em/api/x", {}, "token=abcdefgh")], secrets=["abcdefgh"])
    assert redacted.response.header("Content-Length") == str(len(redacted.response.body))


def test_a_token_seen_only_later_is_redacted_in_earlier_exchanges() -> None:
    early = _call("https://em/api/jobs", {"X-Other": f"echo {TOKEN}"})
    first, _ = redact([early, _logon()])
    assert first.request.header("X-Other") == "echo <redacted:token-1>"


def test_other_authorization_schemes_are_redacted() -> None:
    redactor = Redactor()
    exchange = _call("https://em/api/x", {"Authorization": "Bearer abc.def.ghi"})
    redactor.learn(exchange)
    assert (
        redactor.redact(exchange).request.header("Authorization")
        == "Bearer <redacted:credentials-1>"
    )


def test_placeholders_are_never_redacted_again() -> None:
    first = redact([_logon()])
    assert redact(first) == first


def test_written_cassette_holds_no_raw_secret(tmp_path: Path, raw_secrets: set[str]) -> None:
    raw_secrets.update({TOKEN, PASSWORD, BASIC.split()[1]})
    write_cassette(
        tmp_path / "c.yaml", [_logon(), _call("https://em/api/", {"X-RestSvcSessionId": TOKEN})]
    )
    text = (tmp_path / "c.yaml").read_text()
    assert TOKEN not in text and PASSWORD not in text and "<redacted:token-1>" in text
    assert (
        read_cassette(tmp_path / "c.yaml")[1].request.header("X-RestSvcSessionId")
        == "<redacted:token-1>"
    )


def test_the_scan_itself_catches_a_leak(tmp_path: Path) -> None:
    from ._scan import leaks

    leaky = tmp_path / "leaky.yml"  # .yml: not scanned by the autouse guard of this test
    leaky.write_text(
        "interactions:\n- request:\n    method: GET\n    uri: /\n    headers:\n      Authorization:\n"
        "      - Basic YWRtaW46cHc=\n  response:\n    status: {code: 200}\n    headers:\n"
        f"      Set-Cookie:\n      - X-RestSvcSessionId={TOKEN}\n"
    )
    found = leaks(leaky, {"never-there"})
    assert len(found) == 4, found  # raw doc token, Basic header, cookie token, Authorization header


def test_the_scan_catches_a_header_leak_in_the_written_layout(tmp_path: Path) -> None:
    from ._scan import leaks

    headers = [("X-RestSvcSessionId", "not-redacted-1"), ("Authorization", "Bearer x")]
    exchange = Exchange(
        RecordedRequest.build("GET", "https://em/api/jobs", headers),
        RecordedResponse.build(200, {"X-RestSvcSessionId": "<redacted:token-1>"}),
    )
    leaky = tmp_path / "leaky.yml"  # .yml: not scanned by the autouse guard of this test
    leaky.write_text(render_cassette([exchange]))  # written, never redacted
    found = leaks(leaky)
    assert [f.split(": ", 1)[1] for f in found] == [
        "header X-RestSvcSessionId: 'not-redacted-1'",
        "header Authorization: 'Bearer x'",
    ]


@pytest.mark.parametrize("short", ["a", "ab", "abc"])
def test_a_short_password_from_basic_is_not_hunted_in_bodies(short: str) -> None:
    basic = "Basic " + base64.b64encode(f"u:{short}".encode()).decode()
    exchange = Exchange(
        RecordedRequest.build("POST", "https://em/api/sessionMngr/", {"Authorization": basic}),
        RecordedResponse.build(201, {}, "<a>abc</a>"),
    )
    (redacted,) = redact([exchange])
    assert redacted.response.body == b"<a>abc</a>"
    assert redacted.request.header("Authorization") == "Basic <redacted:credentials-1>"


def test_short_values_are_replaced_where_they_sit_and_nowhere_else() -> None:
    # A malformed-token probe, or a generated tenant logon, must not turn every "a" of
    # the cassette into a placeholder.
    probe = _call(
        "https://em/api/banana",
        {"X-RestSvcSessionId": "a", "Cookie": "X-RestSvcSessionId=a"},
        "banana",
    )
    tenant = _call(
        "https://em/api/a", {}, "<LoginSpec><Password>a</Password><Name>a</Name></LoginSpec>"
    )
    redacted_probe, redacted_tenant = redact([probe, tenant])
    assert redacted_probe.request.header("X-RestSvcSessionId") == "<redacted:token-1>"
    assert redacted_probe.request.header("Cookie") == "X-RestSvcSessionId=<redacted:token-1>"
    assert (redacted_probe.request.url, redacted_probe.response.body) == (
        "https://em/api/banana",
        b"banana",
    )
    # The same raw value keeps its one placeholder, whatever kind of secret it was.
    expected = b"<LoginSpec><Password><redacted:token-1></Password><Name>a</Name></LoginSpec>"
    assert redacted_tenant.response.body == expected


@settings(derandomize=True, database=None)
@given(
    forms=st.lists(st.text("ab%=", min_size=1, max_size=6), min_size=1, max_size=8),
    text=st.text("ab%=x", max_size=40),
)
def test_the_prefix_tree_pattern_replaces_as_the_longest_first_alternation(
    forms: list[str], text: str
) -> None:
    flat = re.compile("|".join(map(re.escape, sorted(forms, key=len, reverse=True))))
    tree = re.compile(_trie_pattern(forms))
    assert tree.sub("#", text) == flat.sub("#", text)
    assert [m.span() for m in tree.finditer(text)] == [m.span() for m in flat.finditer(text)]


def test_a_very_long_secret_is_still_replaced() -> None:
    secret = "s3cr3t" * 1000
    redactor = Redactor([secret])
    assert redactor.text(f"x{secret}y") == "x<redacted:secret-1>y"
