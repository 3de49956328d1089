"""The real server: TLS with its own CA, Hosts, framing, clean start and stop."""

from __future__ import annotations

import contextlib
import gc
import http.client
import socket
import ssl
import threading
import warnings
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
import requests

from conformance.emulator import EmulatorConfig, ManualClock
from conformance.emulator.journal import BODY_LIMIT
from conformance.emulator.server import MAX_BODY_BYTES, EmulatorServer, _Server
from conformance.errors import UsageError
from conformance.model import EntityRef, Task
from tests.emulator.conftest import JSON, XML, assert_valid, basic


def test_tls_with_the_printed_ca_file() -> None:
    with EmulatorServer(tls=True) as server:
        assert server.base_url.startswith("https://127.0.0.1:") and server.ca_file is not None
        logon = requests.post(f"{server.base_url}/sessionMngr/?v=latest", headers={"Authorization": basic("administrator")},
                              verify=str(server.ca_file), timeout=10)  # fmt: skip
        assert logon.status_code == 201
        jobs = requests.get(f"{server.base_url}/jobs", headers={"X-RestSvcSessionId": logon.headers["X-RestSvcSessionId"],
                            "Accept": JSON}, verify=str(server.ca_file), timeout=10)  # fmt: skip
        assert jobs.status_code == 200 and all(
            ref["Href"].startswith("https://") for ref in jobs.json()["Refs"]
        )
        untrusting = ssl.create_default_context()
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as raw, \
                pytest.raises(ssl.SSLCertVerificationError):  # fmt: skip
            untrusting.wrap_socket(raw, server_hostname="127.0.0.1").close()
        ca_file = server.ca_file
    assert not ca_file.exists()


def test_hrefs_follow_the_host_header() -> None:
    with EmulatorServer() as server:
        url = urlsplit(server.base_url)
        connection = http.client.HTTPConnection(url.hostname or "", url.port, timeout=10)
        connection.request("GET", "/api/", headers={"Host": "em.example.com:9398"})
        body = connection.getresponse().read()
        assert b'Href="http://em.example.com:9398/api/logonSessions"' in body
        connection.request("GET", "/api/", headers={"Host": "bad/host"})
        fallback = connection.getresponse().read()
        assert f'Href="http://127.0.0.1:{url.port}/api/logonSessions"'.encode() in fallback
        connection.close()


def test_framing_of_every_kind_of_answer() -> None:
    clock = ManualClock()
    with EmulatorServer(EmulatorConfig(clock=clock)) as server, requests.Session() as session:
        base = server.base_url
        logon = session.post(
            f"{base}/sessionMngr/?v=latest", headers={"Authorization": basic("administrator")}
        )
        session.headers["X-RestSvcSessionId"] = logon.headers["X-RestSvcSessionId"]
        job = EntityRef.list_from_body(session.get(f"{base}/jobs").content, XML)[0]
        task = Task.from_body(session.delete(f"{base}/jobs/{job.id}").content, XML)
        cancelled = session.delete(task.href)
        assert (cancelled.status_code, cancelled.content, "Content-Type" in cancelled.headers) == (
            204,
            b"",
            False,
        )
        head = session.head(f"{base}/tasks")
        assert (head.status_code, head.content, head.headers["Allow"]) == (405, b"", "GET")
        for response in (logon, session.get(f"{base}/nowhere", headers={"Accept": JSON})):
            assert response.headers["Content-Length"] == str(len(response.content))
            assert_valid(_recorded(response))


def _recorded(response: requests.Response) -> object:
    from conformance.exchange import RecordedResponse

    return RecordedResponse.build(
        response.status_code, list(response.headers.items()), response.content
    )


def test_oversized_bodies_are_cut_and_refused() -> None:
    with EmulatorServer() as server, requests.Session() as session:
        logon = session.post(
            f"{server.base_url}/sessionMngr/?v=latest",
            headers={"Authorization": basic("administrator")},
        )
        session.headers["X-RestSvcSessionId"] = logon.headers["X-RestSvcSessionId"]
        job = EntityRef.list_from_body(session.get(f"{server.base_url}/jobs").content, XML)[0]
        body = b"<JobCloneSpec>" + b" " * MAX_BODY_BYTES + b"</JobCloneSpec>"
        response = session.post(f"{server.base_url}/jobs/{job.id}?action=clone", data=body,
                                headers={"Content-Type": XML})  # fmt: skip
        assert response.status_code == 400
        # The server cut the body at MAX_BODY_BYTES; the journal keeps a marked prefix.
        recorded = server.emulator.journal.entries()[-1].exchange
        assert len(recorded.request.body) == BODY_LIMIT
        assert f"journal:request-body-truncated:{MAX_BODY_BYTES}" in recorded.tags


def test_busy_port_is_a_usage_error() -> None:
    with EmulatorServer() as server, pytest.raises(UsageError, match="Choose another --port"):
        EmulatorServer(port=server.port)


def test_wildcard_address_shows_loopback_and_stop_is_clean() -> None:
    server = EmulatorServer(host="0.0.0.0").start()
    try:
        assert server.base_url == f"http://127.0.0.1:{server.port}/api"
        assert requests.get(server.base_url + "/", timeout=10).status_code == 200
    finally:
        server.stop()
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(server.base_url + "/", timeout=2)


def test_tls_with_an_ssl_context() -> None:
    with EmulatorServer(tls=True) as server:
        context = ssl.create_default_context(cafile=str(server.ca_file))
        url = urlsplit(server.base_url)
        connection = http.client.HTTPSConnection("127.0.0.1", url.port, context=context, timeout=10)
        try:
            connection.request("GET", "/api/")
            assert connection.getresponse().status == 200
        finally:
            connection.close()


def test_stop_wakes_the_serving_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    # With an hour between ticks, only the wake-up can end the loop within stop's join.
    monkeypatch.setattr(_Server, "TICK", 3600.0)
    server = EmulatorServer().start()
    assert requests.get(server.base_url + "/", timeout=10).status_code == 200
    server.stop()
    assert not server._thread.running


def test_a_request_in_flight_at_stop_is_still_answered() -> None:
    server = EmulatorServer().start()
    uvicorn_server = server._thread._server
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as raw:
        raw.sendall(b"POST /api/sessionMngr/?v=latest HTTP/1.1\r\nHost: x\r\n"
                    b"Content-Length: 4\r\n\r\nab")  # fmt: skip
        _until(lambda: bool(uvicorn_server.server_state.tasks), "the request never began")
        stopping = threading.Thread(target=server.stop)
        stopping.start()
        listening = uvicorn_server.servers
        _until(lambda: not any(s.is_serving() for s in listening), "the server never stopped")
        raw.sendall(b"cd")
        answer = raw.makefile("rb").readline()
    stopping.join(timeout=10)
    assert answer.startswith(b"HTTP/1.1 401") and not server._thread.running


def test_connections_arriving_while_it_stops_leave_no_socket_open() -> None:
    # asyncio drops a connection still being set up when its server closes, and leaks
    # its socket; the stop lets those get set up first.  Without that, about one round
    # in three of this burst left a socket for the garbage collector to warn about.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        for _ in range(20):
            server = EmulatorServer().start()
            journal = server.emulator.journal
            done = threading.Event()
            callers = [threading.Thread(target=_connect_until, args=(server.port, done))
                       for _ in range(3)]  # fmt: skip
            for caller in callers:
                caller.start()
            _until(lambda: len(journal) >= 3, "no request was answered")  # noqa: B023 (waited on here)
            server.stop()
            done.set()
            for caller in callers:
                caller.join(timeout=10)
            gc.collect()
    assert [str(warning.message) for warning in caught] == []


def _connect_until(port: int, done: threading.Event) -> None:
    """Connect, ask, read the answer, hang up, again and again, whether or not the server
    still listens."""
    while not done.is_set():
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 10) as s:
            s.sendall(b"GET /api/ HTTP/1.1\r\nHost: x\r\n\r\n")
            s.recv(1024)


def _until(condition: Callable[[], bool], failure: str) -> None:
    """Wait for a condition another thread brings about (checked every 10 ms, 10 s at most)."""
    for _ in range(1000):
        if condition():
            return
        threading.Event().wait(0.01)
    raise AssertionError(failure)
