"""The emulator over real HTTP(S): a raw ASGI adapter served by uvicorn in a thread.

`EmulatorServer` is what the CLI, the pytest fixtures and the benchmarks start; with
`tls=True` it makes a throw-away CA with trustme, like a real EM's self-signed 9398.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import socket
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote

import uvicorn

from conformance.emulator._protocol import deadline_protocol
from conformance.emulator.config import EmulatorConfig
from conformance.emulator.core import EnterpriseManagerEmulator, Pending
from conformance.errors import UsageError
from conformance.exchange import Handler, RecordedRequest, RecordedResponse
from conformance.options import default

__all__ = [
    "KEEP_ALIVE",
    "MAX_BODY_BYTES",
    "MAX_HEADER_BYTES",
    "REQUEST_TIMEOUT",
    "AsgiApp",
    "EmulatorServer",
    "HandlerServer",
    "UvicornThread",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

# Bodies past this are cut (a clone spec that long is invalid anyway, so it gets 400).
MAX_BODY_BYTES = 8 * 1024 * 1024
_START_TIMEOUT = 15.0
# A request (headers and body) must arrive within REQUEST_TIMEOUT seconds; h11 refuses
# headers past MAX_HEADER_BYTES (its own default, made explicit); idle sockets close after 5 s.
REQUEST_TIMEOUT: float = default("request-timeout")  # the option table's one default
MAX_HEADER_BYTES = 16 * 1024
KEEP_ALIVE = 5
# Wildcard listen addresses, and the loopback address a local client uses for each.
_WILDCARDS = {"0.0.0.0": "127.0.0.1", "::": "::1"}  # noqa: S104 (names, not a bind)
# Request headers that announce a body (ASGI gives header names lower-cased).
_BODY_FRAMING = frozenset({b"content-length", b"transfer-encoding"})


def _url(scope: Scope, headers: tuple[tuple[str, str], ...]) -> str:
    host = next((value for name, value in headers if name.lower() == "host"), "")
    if not host or any(char in host for char in "/?#@ \\"):
        server_host, server_port = scope.get("server") or ("localhost", 80)
        host = f"{server_host}:{server_port}"
    raw_path = scope.get("raw_path") or quote(scope["path"]).encode()
    url = f"{scope['scheme']}://{host}{raw_path.decode('latin-1')}"
    query = scope.get("query_string", b"").decode("latin-1")
    return f"{url}?{query}" if query else url


async def _read_body(receive: Receive) -> bytes | None:
    """The body, cut at MAX_BODY_BYTES; None when the client went away before sending it."""
    chunks, size, more = [], 0, True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        if size < MAX_BODY_BYTES:
            chunks.append(chunk[: MAX_BODY_BYTES - size])
        size += len(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def _malloc_trim() -> Callable[[], object]:
    """glibc's malloc_trim, or a no-op elsewhere."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return lambda: None
    return lambda: trim(0)


_TRIM = _malloc_trim()


def _finish_and_trim(pending: Pending) -> RecordedResponse:
    # A listing of 50,000 jobs allocates hundreds of MB of small blocks (the element
    # tree, the bytes) and frees them; glibc keeps freed memory mapped unless asked.
    try:
        return pending.finish()
    finally:
        _TRIM()


class AsgiApp:
    """A raw ASGI application over the transport-free core; no framework in between."""

    def __init__(
        self, handle: Handler, begin: Callable[[RecordedRequest], Pending] | None = None
    ) -> None:
        self._handle = handle
        self._begin = begin
        # One thread renders the large listings, one at a time: their memory is reused
        # from one malloc arena instead of growing a new one per worker thread.
        self._renderer = ThreadPoolExecutor(1, thread_name_prefix="em-render")

    def close(self) -> None:
        self._renderer.shutdown(wait=False, cancel_futures=True)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        headers = tuple(
            (name.decode("latin-1"), value.decode("latin-1")) for name, value in scope["headers"]
        )
        # Without Content-Length or Transfer-Encoding a request has no body (RFC 9112 6.3):
        # nothing to wait for, as for most GETs.
        framed = any(name in _BODY_FRAMING for name, _ in scope["headers"])
        body = await _read_body(receive) if framed else b""
        if body is None:  # cut off mid-body (or timed out): nothing to answer
            return
        request = RecordedRequest(scope["method"], _url(scope, headers), headers, body)
        response = await self._answer(request)
        raw = [
            (name.encode("latin-1"), value.encode("latin-1")) for name, value in response.headers
        ]
        await send({"type": "http.response.start", "status": response.status, "headers": raw})
        await send({"type": "http.response.body", "body": response.body})

    async def _answer(self, request: RecordedRequest) -> RecordedResponse:
        # A plain handler (a replay, client validation's `Traffic`) answers at once.
        if self._begin is None:
            return self._handle(request)
        pending = self._begin(request)
        if pending.deferred:
            # Seconds of rendering (50,000 jobs) off the event loop: other clients go on.
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._renderer, _finish_and_trim, pending)
        return pending.finish()


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets that say so, and
    # without it Nagle and delayed ACKs add ~40 ms to every response.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise UsageError(
            f"Cannot listen on {host}:{port}: {exc.strerror}. Choose another --port."
        ) from None
    return sock


class _Server(uvicorn.Server):
    """uvicorn, but quick to stop: idle keep-alive connections are cut at once, and the
    serving loop is woken by `exit_now` rather than noticing at its next 0.1 s tick.

    uvicorn closes idle connections politely; over TLS that waits for a close_notify the
    client never sends (asyncio's 30 s SSL shutdown timeout), so stopping would hang and
    leak.  Its graceful path also sleeps 0.1 s before looking for connections still busy:
    with none left that is pure delay, paid by every run and every test that stops one.
    """

    TICK = 0.1  # seconds between uvicorn's housekeeping ticks (its own interval)

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self._wake: tuple[asyncio.AbstractEventLoop, asyncio.Event] | None = None

    def exit_now(self) -> None:
        """Stop serving (from any thread): in-flight requests still finish."""
        self.should_exit = True
        if self._wake is not None:
            loop, event = self._wake
            with contextlib.suppress(RuntimeError):  # the loop has closed already
                loop.call_soon_threadsafe(event.set)

    async def main_loop(self) -> None:
        # uvicorn's loop with its tick, but the wait between ticks ends when woken.
        event = asyncio.Event()
        self._wake = (asyncio.get_running_loop(), event)
        counter = 0
        while not await self.on_tick(counter):
            counter = (counter + 1) % 864000
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), self.TICK)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        # Stop accepting, and let the connections just accepted get set up, before the
        # listeners close: asyncio drops (leaking its socket) a connection still being
        # set up when its server closes.
        loop = asyncio.get_running_loop()
        for listener in (sock for server in self.servers for sock in server.sockets):
            loop.remove_reader(listener.fileno())
        await _turns()
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        for connection in list(self.server_state.connections):
            cycle = getattr(connection, "cycle", None)
            transport = getattr(connection, "transport", None)
            if transport is not None and (cycle is None or cycle.response_complete):
                transport.abort()
        await _turns()  # the aborted connections are gone by now
        if self.server_state.connections or len(asyncio.all_tasks()) > 1:
            await super().shutdown(sockets)  # a request in flight: uvicorn's graceful path
            return
        for server in self.servers:
            await server.wait_closed()
        await self.lifespan.shutdown()


async def _turns(count: int = 3) -> None:
    """Let the loop run a few turns: callbacks scheduled by callbacks run one turn later."""
    for _ in range(count):
        await asyncio.sleep(0)


class UvicornThread:
    """Any ASGI app served by uvicorn (h11, no reload, no lifespan) in a daemon thread.

    Every request must arrive in full within `request_timeout` seconds (slow and idle
    sockets are closed), headers within MAX_HEADER_BYTES, and an idle keep-alive
    connection is closed after `keep_alive` seconds.
    """

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0,
                 certfile: str | None = None, keyfile: str | None = None, *,
                 request_timeout: float = REQUEST_TIMEOUT, keep_alive: int = KEEP_ALIVE) -> None:  # fmt: skip
        self.host = host
        self._socket = _bind(host, port)
        self.port: int = self._socket.getsockname()[1]
        protocol = deadline_protocol(request_timeout)
        config = uvicorn.Config(app, http=protocol, ws="none", lifespan="off", log_config=None,
                                access_log=False, log_level="warning", backlog=2048,
                                ssl_certfile=certfile, ssl_keyfile=keyfile,
                                timeout_keep_alive=keep_alive,
                                h11_max_incomplete_event_size=MAX_HEADER_BYTES,
                                timeout_graceful_shutdown=2)  # fmt: skip
        self._server = _Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._socket]},
                                        name=f"uvicorn-{self.port}", daemon=True)  # fmt: skip

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + _START_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not start on {self.host}:{self.port}")
            time.sleep(0.005)

    def stop(self) -> None:
        self._server.exit_now()
        self._thread.join(timeout=10)
        self._socket.close()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)


class _Certificates:
    """A throw-away CA and a server certificate for the names the server answers to."""

    def __init__(self, host: str) -> None:
        import trustme

        self._folder = tempfile.TemporaryDirectory(prefix="em-emulator-tls-")
        folder = Path(self._folder.name)
        authority = trustme.CA(organization_name="em-conformance emulator")
        names = sorted(
            {"localhost", "127.0.0.1", "::1", host, socket.gethostname()} - _WILDCARDS.keys()
        )
        certificate = authority.issue_cert(*names)
        self.ca_file = folder / "ca.pem"
        self.cert_file, self.key_file = folder / "server.pem", folder / "server.key"
        authority.cert_pem.write_to_path(str(self.ca_file))
        certificate.private_key_pem.write_to_path(str(self.key_file))
        for index, blob in enumerate(certificate.cert_chain_pems):
            blob.write_to_path(str(self.cert_file), append=index > 0)

    def cleanup(self) -> None:
        self._folder.cleanup()


class HandlerServer:
    """Any `Handler` on a real socket (the one in-process HTTP server); with `tls=True`
    behind a throw-away CA.  `begin` lets the emulator render large bodies off the loop."""

    def __init__(self, handle: Handler, *, host: str = "127.0.0.1", port: int = 0, tls: bool = False,
                 request_timeout: float = REQUEST_TIMEOUT,
                 begin: Callable[[RecordedRequest], Pending] | None = None) -> None:  # fmt: skip
        self.host = host
        self._certificates = _Certificates(host) if tls else None
        cert, key = (None, None)
        if self._certificates is not None:
            cert, key = str(self._certificates.cert_file), str(self._certificates.key_file)
        self._app = AsgiApp(handle, begin)
        self._thread = UvicornThread(self._app, host, port, cert, key,
                                     request_timeout=request_timeout)  # fmt: skip

    @property
    def port(self) -> int:
        return self._thread.port

    @property
    def tls(self) -> bool:
        return self._certificates is not None

    @property
    def ca_file(self) -> Path | None:
        """The CA certificate to verify the server with (`verify=server.ca_file`), under TLS."""
        return None if self._certificates is None else self._certificates.ca_file

    @property
    def base_url(self) -> str:
        """Like `http://127.0.0.1:PORT/api`; a wildcard listen address shows as 127.0.0.1."""
        host = _WILDCARDS.get(self.host, self.host)
        host = f"[{host}]" if ":" in host else host
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}/api"

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._thread.stop()
        self._app.close()
        if self._certificates is not None:
            with contextlib.suppress(OSError):
                self._certificates.cleanup()

    def wait(self, timeout: float | None = None) -> None:
        """Block until the server stops (or `timeout` passes)."""
        self._thread.wait(timeout)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:  # fmt: skip
        self.stop()


class EmulatorServer(HandlerServer):
    """The emulator on a real socket: `with EmulatorServer() as server: server.base_url`."""

    def __init__(self, config: EmulatorConfig | None = None, *, host: str = "127.0.0.1", port: int = 0,
                 tls: bool = False, emulator: EnterpriseManagerEmulator | None = None,
                 request_timeout: float = REQUEST_TIMEOUT) -> None:  # fmt: skip
        self.emulator = emulator or EnterpriseManagerEmulator(config)
        super().__init__(self.emulator.handle, host=host, port=port, tls=tls,
                         request_timeout=request_timeout, begin=self.emulator.begin)  # fmt: skip
