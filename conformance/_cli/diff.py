"""`em-conformance diff OLD.yaml NEW.yaml`: what changed between two recordings, and
whether it breaks clients."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from conformance.cassette.drift import FAIL_ON, compare_recordings
from conformance.cassette.drift_render import drift_json, drift_markdown
from conformance.cassette.storage import read_cassette
from conformance.options import DIFF, add_options
from conformance.report.markdown import write_markdown, write_step_summary

__all__ = ["register"]

DESCRIPTION = """\
Pair the steps of two recordings of the same flows (by flow, format, operation and
probe, with per-run IDs generalised) and report what changed as findings, each with
its impact for a client: breaking (a status code or media type changed, a key renamed
or removed, a type changed, an enumerated value such as a task state changed, a logon
version refused, a header removed), compatible (a key, header, link or version added)
or noise (timing, a consequence of a breaking change). Generated (property-based)
requests are compared by operation and status class. The Markdown is also appended to
$GITHUB_STEP_SUMMARY when that variable is set."""

EPILOG = """exit codes:
  0  no finding of an impact --fail-on names
  1  a finding of such an impact (default: breaking)
  2  usage error (a cassette that cannot be read)
"""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "diff",
        help="what changed between two recordings of the same flows, and does it break clients",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "old", type=Path, metavar="OLD.yaml", help="the recording before the change"
    )
    parser.add_argument("new", type=Path, metavar="NEW.yaml", help="the recording after the change")
    add_options(parser, DIFF, {"fail-on": tuple(FAIL_ON)})  # the table: one for every command
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    report = compare_recordings(
        read_cassette(args.old),
        read_cassette(args.new),
        old_name=str(args.old),
        new_name=str(args.new),
    )
    markdown = drift_markdown(report, args.fail_on)
    if args.format == "json":
        print(json.dumps(drift_json(report, args.fail_on), indent=2))
    else:
        print(markdown, end="")
    if args.markdown is not None:
        write_markdown(markdown, args.markdown)
    write_step_summary(markdown)
    return report.exit_code(args.fail_on)
