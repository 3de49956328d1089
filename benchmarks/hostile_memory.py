"""Peak memory of a suite run against servers that send huge bodies.

Runs `em-conformance run` in a child process against a local server that logs on
normally, then answers every request with a 100 MB body, or with a gzip bomb (64 MiB of
zeros in ~64 KB), and prints the child's peak RSS next to a run against a server that
answers every request with a small error (the baseline, same process layout).
Goal: under 300 MB for both hostile servers.

    python benchmarks/hostile_memory.py [--examples N]
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = "YmVuY2htYXJrLXNlc3Npb24tdG9rZW4="
LOGON = (
    b'<LogonSession xmlns="http://www.veeam.com/ent/v1.0" Type="LogonSession">'
    b"<SessionId>0b8d2c5e-3a44-4f5b-9c1e-7d6f5e4d3c2b</SessionId></LogonSession>"
)
BOMB = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)
Answer = Callable[[BaseHTTPRequestHandler], None]


def small(handler: BaseHTTPRequestHandler) -> None:
    body = b'<Error xmlns="http://www.veeam.com/ent/v1.0"><Message>no</Message></Error>'
    _send(handler, 404, body, {})


def flood(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/xml")
    handler.send_header("Content-Length", str(100 * 1024 * 1024))
    handler.end_headers()
    chunk = b"<a>" + b"x" * (1024 * 1024 - 3)
    with contextlib.suppress(OSError):
        for _ in range(100):
            handler.wfile.write(chunk)


def bomb(handler: BaseHTTPRequestHandler) -> None:
    _send(handler, 200, BOMB, {"Content-Encoding": "gzip"})


def _send(handler: BaseHTTPRequestHandler, status: int, body: bytes, extra: dict[str, str]) -> None:
    handler.send_response(status)
    for name, value in {"Content-Type": "application/xml", **extra}.items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    with contextlib.suppress(OSError):
        handler.wfile.write(body)


@contextlib.contextmanager
def server(answer: Answer) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            if "sessionMngr" in self.path:
                _send(self, 201, LOGON, {"X-RestSvcSessionId": TOKEN})
            elif self.command == "DELETE":
                _send(self, 204, b"", {})
            else:
                answer(self)

        do_GET = do_POST = do_DELETE = _handle

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/api"
    finally:
        httpd.shutdown()


def peak_rss(url: str, examples: int) -> tuple[float, float]:
    """The child's peak RSS in MB and its wall time, for one run against `url`."""
    env = {**os.environ, "EM_PASSWORD": "benchmark", "EM_MAX_EXAMPLES": str(examples)}
    command = [sys.executable, "-m", "conformance", "run", "--target", url, "--username", "u"]
    started = time.monotonic()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(child.pid, 0)  # this child's own peak, not the largest so far
    child.returncode = 0
    return usage.ru_maxrss / 1024, time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=5, help="property-based examples")
    args = parser.parse_args()
    results = {}
    for name, answer in (("small error (baseline)", small), ("100 MB body", flood),
                         ("gzip bomb", bomb)):  # fmt: skip
        with server(answer) as url:
            results[name] = peak_rss(url, args.examples)
    base = results["small error (baseline)"][0]
    print(f"{'server':24} {'peak RSS MB':>12} {'x baseline':>11} {'wall s':>8}")
    for name, (rss, wall) in results.items():
        goal = (
            ""
            if name.startswith("small")
            else ("  goal < 300 MB: " + ("met" if rss < 300 else "MISSED"))
        )
        print(f"{name:24} {rss:12.0f} {rss / base:11.2f} {wall:8.1f}{goal}")


if __name__ == "__main__":
    main()
