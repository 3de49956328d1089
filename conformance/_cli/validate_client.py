"""`em-conformance validate-client -- COMMAND ...`: judge a client program's traffic."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from conformance.cassette.client_validation import DEFAULT_TASK_DURATION, ClientRun, validate_client
from conformance.cassette.storage import write_cassette
from conformance.checks import Outcome, summarize
from conformance.errors import UsageError

__all__ = ["register", "render_run"]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "validate-client",
        help="run a client program against the emulator (or a replay) and judge its traffic",
        description="Start the emulator (or replay --cassette) on a local port, run COMMAND with"
        " EM_URL (the API root), EM_USERNAME, EM_PASSWORD and, with --tls, EM_CA_FILE in its"
        " environment, then judge the client's traffic with the EM-CLIENT rules. Exit 0 the"
        " client conforms, 1 a rule failed, a replay had no answer, or (without --fault) the"
        " client exited non-zero or timed out; 2 usage error.",
    )
    parser.add_argument(
        "--cassette", type=Path, help="replay this cassette instead of the emulator"
    )
    parser.add_argument(
        "--tls", action="store_true", help="serve HTTPS with a throw-away CA (EM_CA_FILE)"
    )
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="NAME",
        help="emulator fault profile (repeatable)",
    )
    parser.add_argument(
        "--timeout", type=float, default=120.0, help="seconds before the client is stopped"
    )
    parser.add_argument(
        "--task-duration",
        type=float,
        default=DEFAULT_TASK_DURATION,
        help=f"seconds an emulated task runs (default {DEFAULT_TASK_DURATION:g})",
    )
    parser.add_argument(
        "--level", choices=("must", "should"), default="should", help="rules to judge"
    )
    parser.add_argument(
        "--record", type=Path, metavar="FILE", help="save the client's traffic as a cassette"
    )
    parser.add_argument("command", nargs=argparse.REMAINDER, metavar="-- COMMAND ...")
    parser.set_defaults(handler=_handle)


def _status(run: ClientRun) -> str:
    if run.returncode is None:
        return "stopped at the timeout"
    return f"exited {run.returncode}"


def _header(run: ClientRun) -> str:
    target = "the emulator" + (f" with faults {', '.join(run.faults)}" if run.faults else "")
    return f"client {' '.join(run.command)}: {_status(run)}, {len(run.exchanges)} exchanges with {target}"


def render_run(run: ClientRun) -> str:
    """The client's verdict: one line per rule, failures with Expected / Received."""
    lines = [_header(run)]
    for rule in summarize(run.verdicts):
        lines.append(
            f"  {rule.outcome.value.upper():7} {rule.rule.id} [{rule.rule.level.value}] {rule.rule.statement}"
        )
        for verdict in rule.verdicts:
            if verdict.outcome is Outcome.FAILED:
                lines.append(f"    Expected {verdict.expected}; received {verdict.received}")
            elif verdict.received:
                lines.append(f"    {verdict.received}")
    lines += [f"  replay had no answer: {mismatch}" for mismatch in run.mismatches]
    lines.append("verdict: " + _verdict(run))
    return "\n".join(lines)


def _verdict(run: ClientRun) -> str:
    failed = [rule.rule.id for rule in summarize(run.verdicts) if rule.blocking]
    reasons = [f"{len(failed)} rule(s) failed: {', '.join(failed)}"] if failed else []
    reasons += (
        [f"{len(run.mismatches)} request(s) the replay could not answer"] if run.mismatches else []
    )
    if run.returncode != 0 and not run.faults:
        reasons.append(f"the client {_status(run)}")
    if run.faults:
        noticed = (
            "noticed (exited non-zero)" if run.returncode != 0 else "did not notice (exited 0)"
        )
        reasons.append(f"under faults the client {noticed}")
    return ("conforms" if run.exit_code == 0 else "does NOT conform") + (
        f": {'; '.join(reasons)}" if reasons else ""
    )


def _command(raw: list[str]) -> list[str]:
    command = raw[1:] if raw[:1] == ["--"] else raw
    if not command:
        raise UsageError(
            "Expected the client command after '--', e.g. validate-client -- python my_client.py"
        )
    return command


def _handle(args: argparse.Namespace) -> int:
    run = validate_client(
        _command(args.command), cassette=args.cassette, tls=args.tls, faults=args.fault,
        timeout=args.timeout, level=args.level, task_duration=args.task_duration,
    )  # fmt: skip
    if run.output:
        print(run.output, end="" if run.output.endswith("\n") else "\n", file=sys.stderr)
    if args.record:
        write_cassette(args.record, run.exchanges)
    print(render_run(run))
    return run.exit_code
