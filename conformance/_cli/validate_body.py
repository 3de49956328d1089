"""`em-conformance validate-body FILE`: validate a captured body against the specs."""

from __future__ import annotations

import argparse
from pathlib import Path

from conformance.errors import UsageError
from conformance.options import VALIDATE_BODY, add_options
from conformance.protocol import JSON, XML
from conformance.representations.validation import RESOURCES, validate_body

__all__ = ["register"]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "validate-body",
        help="validate a captured XML or JSON body against the XSD or JSON Schema",
        description="Validate a captured response body. The resource is read off the XML root"
        " element or the JSON properties unless --resource names it; the format is sniffed"
        " unless --media-type names it. Exit 0 valid, 1 invalid, 2 usage error.",
    )
    parser.add_argument(
        "file", type=Path, metavar="FILE", help="the body to validate ('-' for stdin)"
    )
    # conformance.options: one table for every command; the choices live with the specs.
    add_options(parser, VALIDATE_BODY, {"resource": RESOURCES, "media-type": (XML, JSON)})
    parser.set_defaults(handler=_handle)


def _read(path: Path) -> bytes:
    if str(path) == "-":
        import sys

        return sys.stdin.buffer.read()
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UsageError(
            f"Cannot read {path}: {exc.strerror}. Give the path of a saved body."
        ) from None


def _handle(args: argparse.Namespace) -> int:
    result = validate_body(_read(args.file), args.media_type, args.resource)
    if result.valid:
        print(f"{args.file}: valid {result.resource} ({result.media_type})")
        return 0
    print(
        f"{args.file}: invalid {result.resource} ({result.media_type}), {len(result.violations)} violation(s)"
    )
    for violation in result.violations:
        grounds = f" [{violation.evidence.kind.value}]" if violation.evidence else ""
        print(f"  {violation}{grounds}")
    return 1
