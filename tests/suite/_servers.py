"""Tiny local HTTP(S) servers for tests: each answers with a function, so a test can
hang, stream 100 MB, redirect elsewhere or send hostile XML, and can read what it got."""

from __future__ import annotations

import contextlib
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Respond = Callable[["Handler"], None]


@dataclass
class Served:
    url: str
    stop: threading.Event
    requests: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else each answer waits ~40 ms for a delayed ACK
    respond: Respond
    served: Served

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.served.requests.append((self.command, self.path, dict(self.headers), body))
        # The client may hang up (a body cap, a timeout): that is the point of the test.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            type(self).respond(self)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

    def answer(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        if "Content_Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Quiet(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a test server must not print tracebacks into the output under test


@contextmanager
def serve(respond: Respond, certificate: tuple[str, str] | None = None) -> Iterator[Served]:
    """Serve `respond` on 127.0.0.1; `certificate` (cert file, key file) turns TLS on."""
    served = Served("", threading.Event())
    handler = type("BoundHandler", (Handler,), {"respond": staticmethod(respond), "served": served})
    server = _Quiet(("127.0.0.1", 0), handler)
    scheme = "http"
    if certificate is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*certificate)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    served.url = f"{scheme}://127.0.0.1:{server.server_address[1]}/api"
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield served
    finally:
        served.stop.set()
        server.shutdown()
        server.server_close()
