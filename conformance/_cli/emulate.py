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
from conformance.options import EMULATE, add_options

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
    add_options(parser, EMULATE)  # conformance.options: one table for every command
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
