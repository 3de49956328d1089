"""Converters from what a user writes (a flag, an `EM_*` variable, a TOML value) to the
value of an option of `conformance.options`.

Each raises ValueError with a message that ends a sentence "Invalid <name> in <where>: ";
`argument_type` turns one into an argparse `type`, whose message becomes argparse's
usage error.  Layer one, like the table: it imports nothing else of the package.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = [
    "FORMATS",
    "argument_type",
    "formats",
    "items",
    "path",
    "positive",
    "switch",
    "text",
    "whole",
]

FORMATS = {"xml": ("xml",), "json": ("json",), "both": ("xml", "json")}


def text(value: Any) -> str:
    return str(value)


def switch(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"expected true or false, received {value!r}")


def items(value: Any) -> tuple[str, ...]:
    """A list: a TOML array, repeated flags, or one comma-separated string."""
    found = value if isinstance(value, list | tuple) else str(value).split(",")
    return tuple(str(item).strip() for item in found if str(item).strip())


def formats(value: Any) -> tuple[str, ...]:
    if isinstance(value, tuple) and set(value) <= {"xml", "json"}:
        return value
    lowered = str(value).strip().lower()
    if lowered not in FORMATS:
        raise ValueError(f"expected one of {', '.join(FORMATS)}, received {value!r}")
    return FORMATS[lowered]


def positive(kind: type[int] | type[float]) -> Callable[[Any], Any]:
    def convert(value: Any) -> int | float:
        try:
            number = kind(value)
        except (TypeError, ValueError):
            number = 0
        # A TOML float where a whole number is meant (max-body = 1.5) is refused, not cut.
        fraction = kind is int and isinstance(value, float) and not value.is_integer()
        # The chained test refuses NaN too; an infinite deadline overflows a socket timeout.
        if fraction or not 0 < number < math.inf or isinstance(value, bool):
            raise ValueError(f"expected a number above 0, received {value!r}")
        return number

    convert.__name__ = f"positive {kind.__name__}"
    return convert


def whole(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if number < 0 or isinstance(value, bool):
        raise ValueError(f"expected a whole number of 0 or more, received {value!r}")
    return number


def path(value: Any) -> Path:
    return value if isinstance(value, Path) else Path(str(value)).expanduser()


def argument_type(convert: Callable[[Any], Any]) -> Callable[[str], Any]:
    """`convert` as an argparse `type`: its message becomes argparse's usage error."""

    def parse(value: str) -> Any:
        try:
            return convert(value)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = getattr(convert, "__name__", "value")
    return parse
