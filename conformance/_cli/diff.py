"""`em-conformance diff OLD.yaml NEW.yaml`: contract drift between two recordings."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from conformance.cassette.drift import compare_recordings, drift_json, drift_markdown
from conformance.cassette.storage import read_cassette

__all__ = ["register"]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "diff",
        help="list contract drift between two recordings of the same flows",
        description="Pair the interactions of two cassettes (by method, path with IDs"
        " generalised, query, Accept format and step label) and list contract drift: status"
        " codes, content types, headers, element/attribute/key sets (a renamed JSON key shows"
        " as 'key renamed') and JSON values that changed type. Exit 0 no drift, 1 drift,"
        " 2 usage error.",
    )
    parser.add_argument(
        "old", type=Path, metavar="OLD.yaml", help="the recording before the change"
    )
    parser.add_argument("new", type=Path, metavar="NEW.yaml", help="the recording after the change")
    parser.add_argument(
        "--format",
        choices=("markdown", "json"),
        default="markdown",
        help="output format (default: markdown)",
    )
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    report = compare_recordings(
        read_cassette(args.old),
        read_cassette(args.new),
        old_name=str(args.old),
        new_name=str(args.new),
    )
    if args.format == "json":
        print(json.dumps(drift_json(report), indent=2))
    else:
        print(drift_markdown(report), end="")
    return 1 if report.drifted else 0
