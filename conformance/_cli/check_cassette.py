"""`em-conformance check-cassette FILE...`: judge recorded exchanges offline, reported as `run`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from conformance.errors import UsageError
from conformance.options import CHECK_CASSETTE, add_options

if TYPE_CHECKING:  # the checks and reports load when the command runs, not for --help
    from conformance.result import JudgedResult

__all__ = ["register"]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "check-cassette",
        help="run every applicable check over recorded exchanges, offline",
        description="Judge one or more cassettes (em-conformance, vcrpy, or schemathesis"
        " --report vcr) with the same checks, report and exit codes as `run`; 'exchange N' in"
        " the report is interaction N of the file; --report and --junitxml take one FILE only."
        " Exit 0 conformant, 1 a MUST/SHOULD rule failed, 2 usage error.",
    )
    parser.add_argument("files", type=Path, nargs="+", metavar="FILE", help="cassette files")
    add_options(parser, CHECK_CASSETTE)  # conformance.options: one table for every command
    parser.set_defaults(handler=_handle)


def _outputs(args: argparse.Namespace, results: list[JudgedResult]) -> None:
    from conformance.report import write_junit, write_report

    if (args.report or args.junitxml) and len(results) != 1:
        raise UsageError("Expected one FILE with --report or --junitxml; received several.")
    if args.report:
        write_report(results[0], args.report)
    if args.junitxml:
        write_junit(results[0], args.junitxml)


def _handle(args: argparse.Namespace) -> int:
    from conformance.report import build_report, render_summary
    from conformance.suite.offline import check_cassette

    results = [check_cassette(path, level=args.level, rules=args.rule) for path in args.files]
    _outputs(args, results)
    if args.format == "json":
        reports = [build_report(result) for result in results]
        print(json.dumps(reports, indent=2, ensure_ascii=False))
    else:
        print("\n".join(render_summary(result) for result in results), end="")
    return max(result.exit_code for result in results)
