"""`em-conformance validate-client -- COMMAND ...`: judge a client program's traffic."""

from __future__ import annotations

import argparse
import sys

from conformance.cassette.storage import write_cassette
from conformance.checks import Outcome
from conformance.checks.client_outcome import Behaviour
from conformance.errors import UsageError
from conformance.options import VALIDATE_CLIENT, add_options
from conformance.report.client_matrix import matrix_table, write_outputs
from conformance.suite.client_matrix import MATRIX_CASES, run_matrix, select_cases
from conformance.suite.client_validation import ClientRun, status_of, validate_client

__all__ = ["register", "render_run"]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "validate-client",
        help="run a client program against the emulator (or a replay) and judge its traffic",
        description="Start the emulator (or replay --cassette) on a local port, run COMMAND with"
        " EM_URL (the API root), EM_USERNAME, EM_PASSWORD and, with --tls, EM_CA_FILE in its"
        " environment, then judge the client's traffic with the EM-CLIENT rules. Exit 0 the"
        " client conforms, 1 a rule failed, a replay had no answer, or (without --fault) the"
        " client exited non-zero or timed out; 2 usage error. With --matrix, run the client once"
        " per client-relevant fault profile (each on its own emulator, --jobs at a time) and"
        " print fault x outcome (handled / noticed / crashed / hung / wrong result); exit 0"
        " when no row failed a rule, 1 otherwise; --junitxml, --markdown and --report write"
        " the matrix.",
        epilog="matrix rows (--case): " + ", ".join(case.name for case in MATRIX_CASES),
    )
    add_options(parser, VALIDATE_CLIENT)  # conformance.options: one table for every command
    parser.add_argument("command", nargs=argparse.REMAINDER, metavar="-- COMMAND ...")
    parser.set_defaults(handler=_handle)


def _header(run: ClientRun) -> str:
    faults = run.result.faults
    target = "the emulator" + (f" with faults {', '.join(faults)}" if faults else "")
    exchanges = len(run.result.exchanges)
    return f"client {' '.join(run.command)}: {status_of(run.returncode)}, {exchanges} exchanges with {target}"


def render_run(run: ClientRun) -> str:
    """The client's verdict: one line per rule, failures with Expected / Received."""
    lines = [_header(run)]
    for rule in run.result.rules:
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
    failed = [rule.rule.id for rule in run.result.rules if rule.blocking]
    reasons = [f"{len(failed)} rule(s) failed: {', '.join(failed)}"] if failed else []
    reasons += (
        [f"{len(run.mismatches)} request(s) the replay could not answer"] if run.mismatches else []
    )
    if run.returncode != 0 and not run.result.faults:
        reasons.append(f"the client {status_of(run.returncode)}")
    if run.result.faults and run.behaviour is not None:
        reasons.append(f"under faults the client {_BEHAVIOUR[run.behaviour]}")
    return ("conforms" if run.exit_code == 0 else "does NOT conform") + (
        f": {'; '.join(reasons)}" if reasons else ""
    )


_BEHAVIOUR = {
    Behaviour.HANDLED: "handled them (exited 0, its tasks succeeded)",
    Behaviour.NOTICED: "noticed (stopped with a clear error)",
    Behaviour.CRASHED: "crashed (EM-CLIENT-011)",
    Behaviour.HUNG: "hung past the deadline (EM-CLIENT-012)",
    Behaviour.WRONG_RESULT: "reported success for work that failed (EM-CLIENT-013)",
}


def _command(raw: list[str]) -> list[str]:
    command = raw[1:] if raw[:1] == ["--"] else raw
    if not command:
        raise UsageError(
            "Expected the client command after '--', e.g. validate-client -- python my_client.py"
        )
    return command


_MATRIX_ONLY = ("case", "jobs", "junitxml", "markdown", "report")


def _handle_matrix(args: argparse.Namespace) -> int:
    if args.cassette is not None or args.fault or args.record:
        raise UsageError(
            "--matrix chooses the faults itself: drop --cassette, --fault and --record."
        )
    result = run_matrix(
        _command(args.command), cases=select_cases(args.case), workers=args.jobs,
        timeout=args.timeout, tls=args.tls, level=args.level, task_duration=args.task_duration,
    )  # fmt: skip
    write_outputs(result, junitxml=args.junitxml, markdown=args.markdown, report=args.report)
    print(matrix_table(result))
    return result.exit_code


def _handle(args: argparse.Namespace) -> int:
    if args.matrix:
        return _handle_matrix(args)
    given = [name for name in _MATRIX_ONLY if getattr(args, name) not in (None, [])]
    if given:
        options = ", ".join(f"--{name}" for name in given)
        raise UsageError(f"{options} go with --matrix; add --matrix or drop them.")
    run = validate_client(
        _command(args.command), cassette=args.cassette, tls=args.tls, faults=args.fault,
        timeout=args.timeout, level=args.level, task_duration=args.task_duration,
    )  # fmt: skip
    if run.output:
        print(run.output, end="" if run.output.endswith("\n") else "\n", file=sys.stderr)
    if args.record:
        write_cassette(args.record, run.result.exchanges)
    print(render_run(run))
    return run.exit_code
