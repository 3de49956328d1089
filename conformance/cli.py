"""The `em-conformance` command line: thin over library calls, one module per command.

Exit codes: 0 success or conformant, 1 invalid or non-conformant, 2 usage or
configuration error, 3 target unreachable or logon refused.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from conformance.__version__ import __version__
from conformance._cli import COMMANDS, load
from conformance._cli._cache import keep_hypothesis_out_of_cwd
from conformance.errors import Error

__all__ = ["main"]

EPILOG = """exit codes:
  0  success (valid body, conformant target, no drift)
  1  invalid body, non-conformant target or client, drift found
  2  usage or configuration error
  3  target unreachable or logon refused
"""


def _parser(chosen: str | None = None) -> argparse.ArgumentParser:
    """The parser, with the `chosen` command complete and the others named by their help
    only: building a command's options imports its module, and with it its dependencies."""
    parser = argparse.ArgumentParser(
        prog="em-conformance",
        description="Conformance suite, emulator and cassettes for the Veeam Backup"
        " Enterprise Manager REST API.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (_, summary) in COMMANDS.items():
        if name == chosen:
            load(name).register(commands)
        else:
            commands.add_parser(name, help=summary)
    return parser


def _chosen(argv: Sequence[str]) -> str | None:
    """The command named on the line: the first word that is not an option."""
    word = next((arg for arg in argv if not arg.startswith("-")), None)
    return word if word in COMMANDS else None


def main(argv: Sequence[str] | None = None) -> int:
    keep_hypothesis_out_of_cwd()
    words = sys.argv[1:] if argv is None else list(argv)
    parser = _parser(_chosen(words))
    try:
        args = parser.parse_args(words)
    except SystemExit as exc:  # argparse exits 2 on bad usage and 0 on --help
        return int(exc.code or 0)
    try:
        return int(args.handler(args))
    except Error as exc:
        print(f"em-conformance: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("em-conformance: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
