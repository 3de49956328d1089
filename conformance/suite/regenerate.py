"""Regenerate the shipped cassettes: `python -m conformance.suite.regenerate`.

Two families live in `cassettes/`:

- `docs-*.yaml`, built from the request/response pairs printed in Veeam's
  documentation (`tests/examples/`, the repository's copy of the reference examples);
- `emulator-flows-{xml,json}.yaml` and `emulator-fault-<profile>.yaml`, recordings of
  every suite flow against the emulator, faithful and under each fault profile;
- `client-session-{xml,json}.yaml`, one ordinary client's session (log on, list, read,
  delete and poll, cancel, log out), for replaying a client library's tests.

Recordings are normalised (hosts, dates, timings) and redacted, so regenerating from
unchanged code rewrites identical files and `git diff` shows only real changes.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from conformance.cassette.documented import build_documented

__all__ = ["DEFAULT_EXAMPLES", "main"]

_ROOT = Path(__file__).resolve().parents[2]
# The repository's copy of the reference examples (shared/reference/examples).
DEFAULT_EXAMPLES = _ROOT / "tests" / "examples"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m conformance.suite.regenerate", description=__doc__
    )
    parser.add_argument(
        "--out", type=Path, default=_ROOT / "cassettes", help="folder to write into"
    )
    parser.add_argument(
        "--examples", type=Path, default=DEFAULT_EXAMPLES, help="the documented example bodies"
    )
    parser.add_argument(
        "--only", choices=("docs", "emulator", "client"), help="regenerate one family only"
    )
    return parser


def _emulator(out: Path) -> list[Path]:
    from conformance.suite.recording import record_emulator_cassettes

    return record_emulator_cassettes(out)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    written: list[Path] = []
    if args.only in (None, "docs"):
        if not args.examples.is_dir():
            print(f"no examples folder at {args.examples}; give --examples", file=sys.stderr)
            return 2
        written += build_documented(args.examples, args.out)
    if args.only in (None, "emulator"):
        written += _emulator(args.out)
    if args.only in (None, "client"):
        from conformance.suite.client_recording import record_client_cassettes

        written += record_client_cassettes(args.out)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
