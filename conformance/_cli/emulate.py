"""`em-conformance emulate`: serve the emulator on a real port until Ctrl-C."""

from __future__ import annotations

import argparse
import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType
from typing import TYPE_CHECKING

from conformance.errors import UsageError

if TYPE_CHECKING:
    from conformance.emulator.server import EmulatorServer

__all__ = ["register"]

_EXAMPLE = """example session:
  em-conformance emulate --port 9398 &
  curl -si -u administrator:Veeam123! -X POST 'http://127.0.0.1:9398/api/sessionMngr/?v=latest'
  curl -s -H 'X-RestSvcSessionId: <token>' -H 'Accept: application/json' \\
       http://127.0.0.1:9398/api/jobs
"""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "emulate",
        help="run the Enterprise Manager emulator on a real port",
        description="Serve a stateful Enterprise Manager emulator (logon sessions, seeded jobs,"
        " asynchronous tasks, XML and JSON) until Ctrl-C. Exit 0 when stopped, 2 on usage error.",
        epilog=_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    parser.add_argument(
        "--port", type=int, default=9398, help="port to listen on, 0 for any (default: 9398)"
    )
    parser.add_argument(
        "--tls", action="store_true", help="serve HTTPS with a fresh self-signed CA"
    )
    parser.add_argument("--task-duration", type=float, default=0.3, metavar="S",
                        help="seconds a task takes to finish (default: 0.3)")  # fmt: skip
    parser.add_argument(
        "--jobs", type=int, default=6, metavar="N", help="jobs to seed under /jobs (default: 6)"
    )
    parser.add_argument(
        "--seed", type=int, default=0, metavar="N", help="seed of the job GUIDs (default: 0)"
    )
    parser.add_argument("--max-sessions", type=int, default=1000, metavar="N",
                        help="logon sessions kept at most; past it a logon evicts the longest"
                        " idle one (default: 1000)")  # fmt: skip
    parser.add_argument("--request-timeout", type=float, default=30.0, metavar="S",
                        help="seconds a request (headers and body) may take to arrive before"
                        " its connection is closed (default: 30)")  # fmt: skip
    parser.add_argument("--fault", action="append", default=[], metavar="NAME",
                        help="switch a fault profile on (repeatable; see --list-faults)")  # fmt: skip
    parser.add_argument(
        "--list-faults", action="store_true", help="print the fault profiles and exit"
    )
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    # Imported here: uvicorn and trustme are only needed when the emulator really runs.
    from conformance.emulator import EmulatorConfig, describe_faults
    from conformance.emulator.server import EmulatorServer

    if args.list_faults:
        print(describe_faults())
        return 0
    if not 0 <= args.port <= 65535:
        raise UsageError(f"Expected --port between 0 and 65535; received {args.port}.")
    if args.request_timeout <= 0:
        raise UsageError(f"Expected --request-timeout > 0; received {args.request_timeout}.")
    config = EmulatorConfig(seed=args.seed, jobs=args.jobs, task_duration=args.task_duration,
                            faults=args.fault, max_sessions=args.max_sessions)  # fmt: skip
    server = EmulatorServer(config, host=args.host, port=args.port, tls=args.tls,
                            request_timeout=args.request_timeout)  # fmt: skip
    server.start()
    try:
        with _terminate_as_interrupt():
            _announce(server)
            server.wait()
    except KeyboardInterrupt:
        print("em-conformance: stopping the emulator")
    finally:
        server.stop()
    return 0


def _announce(server: EmulatorServer) -> None:
    print(f"Enterprise Manager emulator listening on {server.base_url}")
    for user in server.emulator.users:
        print(f"  log on as {user.name} / {user.password}  ({user.role})")
    if server.ca_file is not None:
        print(f"  TLS CA certificate: {server.ca_file}")
    faults = sorted(server.emulator.config.faults)
    if faults:
        print(f"  fault profiles on: {', '.join(faults)}")
    print("Press Ctrl-C to stop.", flush=True)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM stops the server as cleanly as Ctrl-C does (containers send SIGTERM)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
