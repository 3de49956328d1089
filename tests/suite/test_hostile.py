"""Hostile targets: each ends in a clear failure (exit 1) or error (exit 3) within the
timeouts, with no traceback, and no credential in any output, report or cassette."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

import pytest
import trustme

from conformance.cli import main

from ._servers import Handler, serve
from .conftest import SECRET

TOKEN = "aG9zdGlsZS1zZXNzaW9uLXRva2Vu"
XML = "application/xml"
BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    b'<Task xmlns="http://www.veeam.com/ent/v1.0">&lol2;</Task>'
)


def hang(handler: Handler) -> None:
    handler.served.stop.wait(30)


def flood(handler: Handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", XML)
    handler.send_header("Content-Length", str(100 * 1024 * 1024))
    handler.end_headers()
    chunk = b"<a>" + b"x" * (1024 * 1024 - 3)
    for _ in range(100):
        handler.wfile.write(chunk)


def with_body(body: bytes) -> Callable[[Handler], None]:
    """A server that takes any logon (and hands out a token) but answers with `body`."""

    def respond(handler: Handler) -> None:
        if "sessionMngr" in handler.path:
            handler.answer(
                201,
                body,
                Content_Type=XML,
                X_RestSvcSessionId=TOKEN,
                Set_Cookie=f"X-RestSvcSessionId={TOKEN}; Path=/api",
            )
        else:
            handler.answer(200, body, Content_Type=XML)

    return respond


def run(url: str, tmp_path: Path, *extra: str, timeout: str = "10") -> int:
    # Only the hanging server needs a short deadline; a longer one elsewhere keeps a loaded
    # machine from turning a slow answer into a stop (exit 3).
    options = [
        "--timeout",
        timeout,
        "--task-timeout",
        "2",
        "--report",
        str(tmp_path / "r.json"),
        "--cassette",
        str(tmp_path / "c.yaml"),
    ]
    return main(["run", "--target", url, "--username", "administrator", *options, *extra])


def outputs(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> str:
    out, err = capsys.readouterr()
    files = [p.read_text("utf-8", "replace") for p in tmp_path.iterdir() if p.is_file()]
    return "\n".join([out, err, *files])


def assert_clean(text: str) -> None:
    credentials = base64.b64encode(f"administrator:{SECRET}".encode()).decode()
    assert "Traceback" not in text
    for secret in (SECRET, credentials, TOKEN):
        assert secret not in text


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EM_PASSWORD", SECRET)


CASES = [
    pytest.param(hang, 3, "not answered in full within 1 s", "1", id="hangs"),
    pytest.param(flood, 3, "without a usable session", "10", id="100-MB"),
    pytest.param(
        with_body(b"<LogonSession><Links><Link"), 1, "NOT CONFORMANT", "10", id="malformed-xml"
    ),
    pytest.param(with_body(BOMB), 1, "NOT CONFORMANT", "10", id="entity-laden-xml"),
]


@pytest.mark.parametrize(("respond", "code", "message", "timeout"), CASES)
def test_hostile_target(
    respond: Callable[[Handler], None],
    code: int,
    message: str,
    timeout: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A hang is caught by the deadline the message names (pytest-timeout backs it up).
    with serve(respond) as server:
        assert run(server.url, tmp_path, timeout=timeout) == code
    text = outputs(capsys, tmp_path)
    assert message in text
    assert_clean(text)


def test_entity_laden_xml_is_refused_not_expanded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve(with_body(BOMB)) as server:
        run(server.url, tmp_path)
    report = (tmp_path / "r.json").read_text()
    assert "DTDs and entities are refused" in report and "lollol" not in report


def test_a_redirect_to_another_host_is_not_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve(lambda h: h.answer(200, b"")) as elsewhere:
        with serve(lambda h: h.answer(302, Location=elsewhere.url + "/sessionMngr/")) as server:
            assert run(server.url, tmp_path) == 3
        assert elsewhere.requests == []
    text = outputs(capsys, tmp_path)
    assert "answered 302" in text
    assert_clean(text)


def test_a_wrong_certificate_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    authority = trustme.CA()
    issued = authority.issue_cert("wrong.example")
    cert, key, ca = tmp_path / "cert.pem", tmp_path / "key.pem", tmp_path / "ca.pem"
    issued.cert_chain_pems[0].write_to_path(str(cert))
    issued.private_key_pem.write_to_path(str(key))
    authority.cert_pem.write_to_path(str(ca))
    with serve(with_body(b""), (str(cert), str(key))) as server:
        assert run(server.url, tmp_path, "--ca-bundle", str(ca)) == 3
        assert run(server.url, tmp_path) == 3
        assert server.requests == []
    text = outputs(capsys, tmp_path)
    assert "certificate" in text.lower() and "--ca-bundle" in text
    assert_clean(text)
