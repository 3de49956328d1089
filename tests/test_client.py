"""The recording client: what it sends and records, what secrets it learns, what it refuses,
and how it survives servers that hang, flood, redirect or present a wrong certificate."""

from __future__ import annotations

import base64
import gzip
import threading
from collections.abc import Iterator

import pytest
import requests
import trustme

from conformance.client import ClientOptions, EmClient, SafetyGuard, SafetyRefusal
from conformance.emulator import EmulatorConfig
from conformance.emulator.server import EmulatorServer
from conformance.errors import TargetError
from conformance.transport import TRUNCATED_PREFIX, Deadline
from tests.suite._servers import Handler, serve

PASSWORD = "Veeam123!"


@pytest.fixture(scope="module")
def em_server() -> Iterator[EmulatorServer]:
    with EmulatorServer(EmulatorConfig()) as server:
        yield server


def client_for(server: EmulatorServer, **guard: object) -> EmClient:
    return EmClient(server.base_url, guard=SafetyGuard(**guard))  # type: ignore[arg-type]


def test_logon_is_recorded_as_sent_and_its_secrets_are_learnt(em_server: EmulatorServer) -> None:
    client = client_for(em_server)
    exchange, logon = client.logon("administrator", PASSWORD)
    assert logon is not None and logon.session_id
    credentials = base64.b64encode(f"administrator:{PASSWORD}".encode()).decode()
    # The checks judge the wire as it was: nothing in the recording is replaced ...
    assert exchange.request.header("Authorization") == f"Basic {credentials}"
    assert exchange.response.header("X-RestSvcSessionId") == logon.token
    # ... and every secret is known to the redactor that guards the outputs.
    redacted = client.redactor.redact(exchange)
    text = repr(redacted)
    assert logon.token not in text and credentials not in text and PASSWORD not in text
    assert redacted.request.header("Authorization") == "Basic <redacted:credentials-1>"
    placeholder = redacted.response.header("X-RestSvcSessionId")
    assert placeholder == "<redacted:token-1>"
    assert any(placeholder in cookie for cookie in redacted.response.header_values("Set-Cookie"))
    assert logon.session_id in client.open_logons


def test_requests_carry_only_what_was_asked(em_server: EmulatorServer) -> None:
    client = client_for(em_server)
    _, logon = client.logon("administrator", PASSWORD)
    bare = client.send("GET", "/")
    assert bare.request.header("Accept") is None  # requests would add */* by default
    assert bare.request.header("Cookie") is None  # the logon's Set-Cookie was not stored
    assert bare.request.header("Accept-Encoding") == "identity"  # raw bodies, true lengths
    assert logon is not None
    with_token = client.send("GET", "/tasks", logon=logon, accept="application/json")
    assert with_token.request.header("X-RestSvcSessionId") == logon.token
    assert with_token.response.status == 200 and with_token.response.body.startswith(b"{")
    assert client.exchanges[-1] is with_token and len(client.exchanges) == 3


def test_redirects_are_recorded_never_followed() -> None:
    with (
        serve(lambda h: h.answer(200, b"stolen")) as elsewhere,
        serve(lambda h: h.answer(302, Location=elsewhere.url + "/jobs")) as redirecting,
    ):
        exchange = EmClient(redirecting.url).send("GET", "/jobs")
    assert exchange.response.status == 302 and elsewhere.requests == []


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_body_past_the_cap_is_kept_as_a_marked_prefix(chunked: bool) -> None:
    body = b"<a>" + b"x" * 300_000

    def flood(handler: Handler) -> None:
        if not chunked:
            handler.answer(200, body, Content_Type="application/xml")
            return
        handler.send_response(200)
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        for start in range(0, len(body), 10_000):
            piece = body[start : start + 10_000]
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
        handler.wfile.write(b"0\r\n\r\n")

    with serve(flood) as flooding:
        client = EmClient(flooding.url, ClientOptions(max_body=64 * 1024))
        exchange = client.send("GET", "/")
    assert exchange.response.body == body[:TRUNCATED_PREFIX]  # a bounded prefix, not 64 KiB
    assert "transport:truncated" in exchange.tags
    assert any(tag.startswith("transport:body-bytes:") for tag in exchange.tags)


def test_a_compressed_body_is_inflated_only_up_to_the_cap() -> None:
    bomb = gzip.compress(b"\0" * (32 * 1024 * 1024))

    def answer(handler: Handler) -> None:
        handler.answer(200, bomb, Content_Type="application/xml", Content_Encoding="gzip")

    with serve(answer) as server:
        exchange = EmClient(server.url, ClientOptions(max_body=1024 * 1024)).send("GET", "/")
    assert exchange.response.body == b"\0" * TRUNCATED_PREFIX
    seen = next(t for t in exchange.tags if t.startswith("transport:body-bytes:"))
    assert int(seen.rsplit(":", 1)[1]) <= 1024 * 1024 + 64 * 1024  # stopped near the cap


def test_a_body_shorter_than_its_length_is_kept_and_marked() -> None:
    def short(handler: Handler) -> None:
        handler.answer(200, b"<Task/>", Content_Length="100")
        handler.close_connection = True

    with serve(short) as server:
        exchange = EmClient(server.url).send("GET", "/")
    assert exchange.response.body == b"<Task/>" and "transport:incomplete" in exchange.tags


def test_a_server_that_hangs_ends_in_a_target_error_at_the_timeout() -> None:
    with serve(lambda h: h.served.stop.wait(10)) as hanging:
        client = EmClient(hanging.url, ClientOptions(read_timeout=0.5))
        with pytest.raises(TargetError, match=r"not answered in full within 0\.5 s"):
            client.send("GET", "/")


def test_a_socket_read_timeout_reads_as_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    # The socket's read timeout and the deadline are one budget; on a loaded machine the
    # socket may notice first, and the error must say the same thing either way.
    client = EmClient("http://em.test:9398/api", ClientOptions(read_timeout=0.5))

    def times_out(*args: object, **kwargs: object) -> None:
        raise requests.exceptions.ReadTimeout("read timed out")

    monkeypatch.setattr(client._http, "request", times_out)
    with pytest.raises(TargetError, match=r"not answered in full within 0\.5 s"):
        client.send("GET", "/")


def test_an_unreachable_target_says_what_to_check() -> None:
    with pytest.raises(TargetError, match="Check the --target URL"):
        EmClient("http://127.0.0.1:9/api", ClientOptions(connect_timeout=1)).send("GET", "/")


def test_tls_is_verified_by_default(tmp_path: pytest.TempPathFactory) -> None:
    authority = trustme.CA()
    wrong = authority.issue_cert("wrong.example")
    cert, key, ca = (str(tmp_path / name) for name in ("cert.pem", "key.pem", "ca.pem"))  # type: ignore[operator]
    wrong.cert_chain_pems[0].write_to_path(cert)
    wrong.private_key_pem.write_to_path(key)
    authority.cert_pem.write_to_path(ca)
    with serve(lambda h: h.answer(200, b"<x/>"), (cert, key)) as server:
        with pytest.raises(TargetError, match="--ca-bundle"):
            EmClient(server.url).send("GET", "/")  # self-signed, unknown CA
        with pytest.raises(TargetError, match="--ca-bundle"):
            EmClient(server.url, ClientOptions(verify=ca)).send("GET", "/")  # wrong host name
        assert (
            EmClient(server.url, ClientOptions(verify=False)).send("GET", "/").response.status
            == 200
        )


def test_links_to_another_host_are_not_followed(em_server: EmulatorServer) -> None:
    client = client_for(em_server)
    with pytest.raises(TargetError, match="leaves the target"):
        client.send("GET", "http://elsewhere.example:9398/api/tasks/task-1")
    assert client.exchanges == []


def test_tasks_the_client_created_are_adopted(em_server: EmulatorServer) -> None:
    client = client_for(em_server, destructive=True)
    _, logon = client.logon("administrator", PASSWORD)
    assert logon is not None
    job = em_server.emulator.state.inventory.jobs("job")[-1].job_id
    client.guard.jobs.add(job)
    client.send("DELETE", f"/jobs/{job}", logon=logon)
    assert client.guard.tasks and all(task.startswith("task-") for task in client.guard.tasks)


GUARD_CASES = [
    pytest.param(SafetyGuard(), "GET", "/jobs/1", True, id="read"),
    pytest.param(SafetyGuard(), "POST", "/sessionMngr/", True, id="logon"),
    pytest.param(SafetyGuard(), "DELETE", "/jobs/1", False, id="read-only-delete"),
    pytest.param(SafetyGuard(jobs={"1"}), "DELETE", "/jobs/1", False, id="given-but-read-only"),
    pytest.param(SafetyGuard(True, jobs={"1"}), "DELETE", "/jobs/1", True, id="given"),
    pytest.param(SafetyGuard(True, jobs={"1"}), "DELETE", "/jobs/2", False, id="not-given"),
    pytest.param(SafetyGuard(True, jobs={"ABC"}), "DELETE", "/jobs/abc", True, id="case"),
    pytest.param(SafetyGuard(True, probes={"p"}), "DELETE", "/jobs/p", True, id="probe"),
    pytest.param(SafetyGuard(True, jobs={"1"}), "DELETE", "/jobs", False, id="collection"),
    pytest.param(SafetyGuard(True, jobs={"1"}), "DELETE", "/jobs/1/includes/2", False, id="deeper"),
    pytest.param(SafetyGuard(True, jobs={"1"}), "DELETE", "/nas/jobs/1", False, id="nas-path"),
    pytest.param(
        SafetyGuard(True, tasks={"task-1"}), "DELETE", "/tasks/task-1", True, id="own-task"
    ),
    pytest.param(SafetyGuard(True, tasks={"task-1"}), "DELETE", "/tasks/task-2", False, id="task"),
    pytest.param(SafetyGuard(tasks={"task-1"}), "DELETE", "/tasks/task-1", False, id="ro-task"),
    pytest.param(SafetyGuard(sessions={"s"}), "DELETE", "/logonSessions/s", True, id="logout"),
    pytest.param(SafetyGuard(sessions={"s"}), "DELETE", "/logonSessions/t", False, id="others"),
    pytest.param(
        SafetyGuard(True, clone_sources={"1"}), "POST", "/jobs/1?action=clone", True, id="clone"
    ),
    pytest.param(
        SafetyGuard(True, jobs={"1"}), "POST", "/jobs/1?action=clone", False, id="no-clone"
    ),
    pytest.param(
        SafetyGuard(True, jobs={"1"}), "POST", "/jobs/1?action=start", True, id="start-own"
    ),
    pytest.param(
        SafetyGuard(True, clone_sources={"1"}), "POST", "/jobs/1?action=start", False, id="start"
    ),
    pytest.param(SafetyGuard(), "PUT", "/tasks", True, id="bodiless-probe"),
    pytest.param(SafetyGuard(True, jobs={"1"}), "PUT", "/jobs/1?action=edit", False, id="edit"),
]


@pytest.mark.parametrize(("guard", "method", "target", "allowed"), GUARD_CASES)
def test_the_safety_guard(guard: SafetyGuard, method: str, target: str, allowed: bool) -> None:
    path, _, query = target.partition("?")
    parameters = dict([query.split("=")]) if query else {}
    if allowed:
        guard.authorize(method, path, parameters, has_body=False)
    else:
        with pytest.raises(SafetyRefusal, match="--disposable-job"):
            guard.authorize(method, path, parameters, has_body=False)


def test_a_body_turns_a_probe_into_a_refused_write() -> None:
    with pytest.raises(SafetyRefusal):
        SafetyGuard().authorize("PUT", "/tasks", {}, has_body=True)


def test_refused_requests_never_reach_the_wire() -> None:
    with serve(lambda h: h.answer(202, b"")) as server:
        client = EmClient(server.url, guard=SafetyGuard(True, jobs={"mine"}))
        for target in ("/jobs/theirs", "/tasks/task-9", "/logonSessions/x"):
            with pytest.raises(SafetyRefusal):
                client.send("DELETE", target)
        client.send("DELETE", "/jobs/mine")
    assert [(method, path) for method, path, _, _ in server.requests] == [
        ("DELETE", "/api/jobs/mine")
    ]


def test_a_trickling_body_meets_the_deadline() -> None:
    def trickle(handler: Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        while not handler.served.stop.wait(0.2):
            handler.wfile.write(b"x")
            handler.wfile.flush()

    # Each byte arrives well within any per-read timeout: only the request's deadline ends
    # it (without one the test would run into pytest-timeout).
    with serve(trickle) as server, pytest.raises(TargetError, match="in full within 1 s"):
        EmClient(server.url, ClientOptions(read_timeout=1.0)).send("GET", "/")


def test_a_trickling_status_line_meets_the_deadline() -> None:
    def trickle(handler: Handler) -> None:
        for byte in b"HTTP/1.1 200 OK\r\nX-Padding: " + b"a" * 1000:
            if handler.served.stop.wait(0.2):
                return
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()

    with serve(trickle) as server, pytest.raises(TargetError, match="in full within 1 s"):
        EmClient(server.url, ClientOptions(read_timeout=1.0)).send("GET", "/")


def test_a_sooner_deadline_armed_while_a_later_one_runs_still_expires() -> None:
    # The watchdog is woken only for a deadline sooner than every armed one; a wake-up
    # missed here would leave it asleep until the hour-long one's moment.
    later, sooner = Deadline(3600.0), Deadline(0.05)
    armed, done = threading.Event(), threading.Event()

    def hold_the_later_one() -> None:
        with later.running():
            armed.set()
            done.wait(30)

    holder = threading.Thread(target=hold_the_later_one)
    holder.start()
    try:
        assert armed.wait(30)
        done.wait(0.2)  # lets the watchdog fall asleep on the later one (a wake-up is due)
        with sooner.running():
            for _ in range(600):
                if sooner.expired:
                    break
                done.wait(0.05)
    finally:
        done.set()
        holder.join()
    assert sooner.expired
    assert not later.expired
