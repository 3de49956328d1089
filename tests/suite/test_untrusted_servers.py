"""Servers that lie or misbehave after a normal logon: the run deletes nothing it cannot
prove is its own, ends within its deadline, reports, and prints no traceback.

Each server is started by its test: an emulator that lies in one answer, or a tiny
server that trickles, floods, compresses a bomb, redirects or sends garbage.
"""

from __future__ import annotations

import base64
import functools
import gzip
import json
import os
import re
import resource
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
import requests

from conformance.checks import api_path
from conformance.cli import main
from conformance.emulator import EmulatorConfig, User
from conformance.emulator.core import EnterpriseManagerEmulator
from conformance.emulator.server import EmulatorServer, HandlerServer
from conformance.exchange import RecordedRequest, RecordedResponse

from ._servers import Handler, serve
from .test_hostile import flood  # a real 100 MB body

TOKEN = "dW50cnVzdGVkLXNlc3Npb24tdG9rZW4tdmFsdWU="
XML = "application/xml"
JSON = "application/json"
LOGON_BODY = (
    b'<LogonSession xmlns="http://www.veeam.com/ent/v1.0" Type="LogonSession"'
    b' Href="http://x/api/logonSessions/0b8d2c5e-3a44-4f5b-9c1e-7d6f5e4d3c2b">'
    b"<SessionId>0b8d2c5e-3a44-4f5b-9c1e-7d6f5e4d3c2b</SessionId></LogonSession>"
)


class Lying:
    """The emulator behind a handler that alters some of its answers."""

    def __init__(self, config: EmulatorConfig) -> None:
        self.emulator = EnterpriseManagerEmulator(config)

    def handle(self, request: RecordedRequest) -> RecordedResponse:
        return self.alter(request, self.emulator.handle(request))

    def alter(self, request: RecordedRequest, response: RecordedResponse) -> RecordedResponse:
        return response

    @contextmanager
    def serving(self) -> Iterator[HandlerServer]:
        """Served on a socket; `server.emulator` is what the test looks behind the wire at."""
        with HandlerServer(self.handle) as server:
            server.emulator = self.emulator  # type: ignore[attr-defined]
            yield server


class RelatedElsewhere(Lying):
    """Clones faithfully, but the finished clone task's Related link names `victim`."""

    victim = ""

    def alter(self, request: RecordedRequest, response: RecordedResponse) -> RecordedResponse:
        body = response.body
        if b"CloneJob" in body and (b'Rel="Related"' in body or b'"Related"' in body):
            body = re.sub(rb"/jobs/[0-9a-f-]{36}", f"/jobs/{self.victim}".encode(), body)
            length = [(n, str(len(body)) if n.lower() == "content-length" else v)
                      for n, v in response.headers]  # fmt: skip
            return RecordedResponse(response.status, tuple(length), body, response.elapsed)
        return response


def _jobs(server: EmulatorServer) -> set[str]:
    return {job.job_id for job in server.emulator.state.inventory.jobs("job")}


@pytest.mark.usefixtures("em_password")
def test_a_lying_related_link_gets_no_foreign_job_deleted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lying = RelatedElsewhere(EmulatorConfig(jobs=6, seed=3, task_duration=0.05))
    jobs = lying.emulator.state.inventory.jobs("job")
    source = next(job.job_id for job in jobs if job.job_type == "Backup")
    RelatedElsewhere.victim = next(job.job_id for job in jobs if job.job_id != source)
    report = tmp_path / "report.json"
    with lying.serving() as server:
        seeded = _jobs(server)
        code = main(["run", "--target", server.base_url, "--username", "administrator",
                     "--destructive", "--clone-from", source, "--report", str(report)])  # fmt: skip
        deleted = {
            api_path(e.exchange.request.url).rsplit("/", 1)[-1]
            for e in server.emulator.journal.entries()
            if e.exchange.request.method == "DELETE" and e.exchange.response.status == 202
        }
        left = _jobs(server)
    out = capsys.readouterr().out
    assert code == 1 and "EM-SAFE-005" in out
    assert RelatedElsewhere.victim in left and seeded <= left  # every job it did not make
    assert deleted and not deleted & seeded  # it did delete: its own clones, proven by listing
    rules = {rule["id"]: rule for rule in json.loads(report.read_text())["rules"]}
    assert rules["EM-SAFE-005"]["verdict"] == "failed"


@pytest.mark.usefixtures("em_password")
def test_a_missing_disposable_job_is_a_usage_error_before_any_delete(
    em_server_factory: Callable[[EmulatorConfig], EmulatorServer],
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = em_server_factory(EmulatorConfig(seed=4))
    gone = "7d1f0c3e-2b4a-4c5d-8e6f-9a0b1c2d3e4f"
    code = main(["run", "--target", server.base_url, "--username", "administrator",
                 "--destructive", "--disposable-job", gone])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and gone in err and "Traceback" not in err
    deleted = [
        e.exchange.request.url
        for e in server.emulator.journal.entries()
        if e.exchange.request.method == "DELETE"
    ]
    assert all("/logonSessions/" in url for url in deleted)  # its own logout, nothing else


def _logon_then(misbehave: Callable[[Handler], None]) -> Callable[[Handler], None]:
    """A server that takes the logon normally, then answers everything with `misbehave`."""

    def respond(handler: Handler) -> None:
        if "sessionMngr" in handler.path:
            handler.answer(201, LOGON_BODY, Content_Type=XML, X_RestSvcSessionId=TOKEN)
        elif handler.command == "DELETE" and "logonSessions" in handler.path:
            handler.answer(204)
        else:
            misbehave(handler)

    return respond


def header_trickle(handler: Handler) -> None:
    """The status line and headers one byte at a time, never finishing."""
    for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nX-Padding: " + b"a" * 500:
        if handler.served.stop.wait(0.2):
            return
        handler.wfile.write(bytes([byte]))
        handler.wfile.flush()


def body_trickle(handler: Handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", XML)
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    while not handler.served.stop.wait(0.2):
        handler.wfile.write(b"<")
        handler.wfile.flush()


@functools.cache
def _bomb() -> bytes:
    return gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)  # 64 MiB in ~64 KB


def gzip_bomb(handler: Handler) -> None:
    handler.answer(200, _bomb(), Content_Type=XML, Content_Encoding="gzip")


def garbage(handler: Handler) -> None:
    handler.wfile.write(b"\x00\xff\xfeNOT HTTP AT ALL\r\n\r\n" * 50)
    handler.close_connection = True


def redirect(handler: Handler) -> None:
    handler.answer(302, Location="http://127.0.0.1:9/api/jobs")


SERVERS = [
    pytest.param(header_trickle, id="header-trickle"),
    pytest.param(body_trickle, id="body-trickle"),
    pytest.param(garbage, id="garbage-bytes"),
    pytest.param(redirect, id="redirect-to-another-port"),
]


@pytest.mark.parametrize("misbehave", SERVERS)
def test_a_misbehaving_server_ends_the_run_with_a_report(
    misbehave: Callable[[Handler], None],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("EM_PASSWORD", "a-long-password")
    report, junit = tmp_path / "r.json", tmp_path / "junit.xml"
    with serve(_logon_then(misbehave)) as server:
        code = main(["run", "--target", server.url, "--username", "u", "--timeout", "2",
                     "--report", str(report), "--junitxml", str(junit)])  # fmt: skip
    captured = capsys.readouterr()
    assert code in (1, 3)
    assert "Traceback" not in captured.out + captured.err
    assert json.loads(report.read_text())["conformant"] is False
    assert junit.read_bytes().startswith(b"<?xml")  # a hang never gets here: pytest-timeout


# Address space for the run in its own process: Python, lxml, schemathesis and their
# threads fit in well under this; a body held whole, or a bomb inflated, does not.
_ADDRESS_SPACE = 1536 * 1024 * 1024


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (_ADDRESS_SPACE, _ADDRESS_SPACE))


@pytest.mark.parametrize("misbehave", [flood, gzip_bomb], ids=["100-mb-body", "gzip-bomb"])
def test_huge_bodies_keep_the_run_within_bounded_memory(
    misbehave: Callable[[Handler], None], tmp_path: Path
) -> None:
    report = tmp_path / "r.json"
    environment = {**os.environ, "EM_PASSWORD": "a-long-password", "EM_MAX_EXAMPLES": "2"}
    with serve(_logon_then(misbehave)) as server:
        command = [sys.executable, "-m", "conformance", "run", "--target", server.url,
                   "--username", "u", "--format", "xml", "--report", str(report)]  # fmt: skip
        done = subprocess.run(
            command, env=environment, capture_output=True, text=True, timeout=240,
            preexec_fn=_limited,
        )  # fmt: skip
    assert done.returncode == 1, done.stderr[-2000:]
    assert "MemoryError" not in done.stderr and "Traceback" not in done.stderr
    assert "exceeded the" in done.stdout  # the cut bodies are reported, not hidden
    assert json.loads(report.read_text())["conformant"] is False


class EchoesTokens(Lying):
    """A faithful emulator that also echoes the caller's token URL-encoded in a header."""

    def alter(self, request: RecordedRequest, response: RecordedResponse) -> RecordedResponse:
        token = request.header("X-RestSvcSessionId")
        if not token:
            return response
        echo = (("X-Echo", f"token={quote(token, safe='')}"),)
        return RecordedResponse(response.status, response.headers + echo, response.body,
                                response.elapsed)  # fmt: skip


def _judged(password: str, tmp_path: Path) -> tuple[dict[str, str], str, set[str]]:
    """Verdict per rule, every output's text, and every token the server issued."""
    config = EmulatorConfig(seed=9, task_duration=0.05, users=(User("administrator", password),))
    outputs = [tmp_path / name for name in ("report.json", "junit.xml", "run.yaml")]
    with EchoesTokens(config).serving() as server:
        code = main(["run", "--target", server.base_url, "--username", "administrator",
                     "--report", str(outputs[0]), "--junitxml", str(outputs[1]),
                     "--cassette", str(outputs[2])])  # fmt: skip
        entries = server.emulator.journal.entries()
        tokens = {e.exchange.response.header("X-RestSvcSessionId") or "" for e in entries} - {""}
    assert code in (0, 1)
    report = json.loads(outputs[0].read_text())
    verdicts = {rule["id"]: rule["verdict"] for rule in report["rules"]}
    return verdicts, "\n".join(path.read_text() for path in outputs), tokens


def _forms(secret: str) -> set[str]:
    raw = secret.encode()
    return {secret, quote(secret, safe=""), quote_plus(secret), base64.b64encode(raw).decode()}


def test_a_one_letter_password_judges_like_a_long_one_and_no_secret_is_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("EM_PASSWORD", "x")
    short, short_text, short_tokens = _judged("x", tmp_path / "short")
    long_password = "correct-horse-battery-staple"
    monkeypatch.setenv("EM_PASSWORD", long_password)
    long, long_text, long_tokens = _judged(long_password, tmp_path / "long")
    printed = capsys.readouterr()
    assert short == long  # redaction never touches what the checks judge
    assert "application/xml" in short_text  # not "application/<redacted>ml"
    everything = short_text + long_text + printed.out + printed.err
    secrets = short_tokens | long_tokens | {long_password}
    secrets |= {
        base64.b64encode(f"administrator:{p}".encode()).decode() for p in ("x", long_password)
    }
    leaked = {form for secret in secrets for form in _forms(secret) if form in everything}
    assert short_tokens and not leaked


def test_sigterm_mid_run_reports_and_leaves_no_session_open(tmp_path: Path) -> None:
    report, junit = tmp_path / "report.json", tmp_path / "junit.xml"
    config = EmulatorConfig(seed=6, task_duration=0.4)
    with EmulatorServer(config) as server:
        env = {**os.environ, "EM_PASSWORD": "Veeam123!", "EM_MAX_EXAMPLES": "2"}
        command = [sys.executable, "-m", "conformance", "run", "--target", server.base_url,
                   "--username", "administrator", "--report", str(report),
                   "--junitxml", str(junit)]  # fmt: skip
        child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)  # fmt: skip
        assert child.stderr is not None
        for line in child.stderr:  # progress lines: stop it once a few flows have run
            if "[4/" in line:
                break
        child.send_signal(signal.SIGTERM)
        out, err = child.communicate(timeout=120)
        left = _open_sessions(server)
    assert child.returncode == 143, err[-2000:]
    assert "Traceback" not in err and "STOPPED (interrupted)" in out
    data = json.loads(report.read_text())
    assert data["stop_reason"] == "interrupted" and data["conformant"] is False
    assert b"<error" in junit.read_bytes()
    assert left == []


def _open_sessions(server: EmulatorServer) -> list[str]:
    """The logon sessions the server still holds, asked over its API (ours excluded)."""
    http = requests.Session()
    logon = http.post(f"{server.base_url}/sessionMngr/?v=latest",
                      auth=("administrator", "Veeam123!"), headers={"Accept": JSON})  # fmt: skip
    own = logon.json()["SessionId"]
    token = {"X-RestSvcSessionId": logon.headers["X-RestSvcSessionId"], "Accept": JSON}
    listed = http.get(f"{server.base_url}/logonSessions", headers=token).json()
    ids = [ref["UID"].rsplit(":", 1)[-1] for ref in listed.get("Refs", [])]
    http.delete(f"{server.base_url}/logonSessions/{own}", headers=token)
    return [session for session in ids if session.lower() != own.lower()]


@pytest.mark.usefixtures("em_password")
def test_every_request_the_server_received_is_in_the_recording(tmp_path: Path) -> None:
    """The recording is the whole wire, in wire order: property-based requests and the
    probes of schemathesis's own checks included (none may bypass the client)."""
    config = EmulatorConfig(seed=1, task_duration=0.05, journal_limit=100_000)
    with EmulatorServer(config) as server:
        main(["run", "--target", server.base_url, "--username", "administrator",
              "--report", str(tmp_path / "r.json")])  # fmt: skip
        received = [
            (e.exchange.request.method, e.exchange.request.url)
            for e in server.emulator.journal.entries()
        ]
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["requests"] == len(received)
