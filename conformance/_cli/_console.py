"""What `run` writes to the terminal: how much (`--quiet`, `--verbose`) and in colour
only where colour is welcome (a terminal, and no NO_COLOR: https://no-color.org)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TextIO
from urllib.parse import urlsplit

from conformance.exchange import Exchange

__all__ = ["Silent", "colour_wanted", "exchange_line", "paint_verdict"]

_COLOURS = {0: "32", 1: "31"}  # green conformant, red not; yellow for every stop
_STOPPED = "33"


class Silent:
    """Progress for `--quiet`: nothing."""

    def __call__(self, line: str) -> None:
        return None

    def close(self) -> None:
        return None


def colour_wanted(stream: TextIO, env: Mapping[str, str]) -> bool:
    """Colour on a terminal only; never with NO_COLOR set to any non-empty value (as
    no-color.org asks) or on TERM=dumb."""
    if env.get("NO_COLOR") or env.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def paint_verdict(line: str, exit_code: int, colour: bool) -> str:
    """The verdict line, bold and coloured by its exit code when `colour`."""
    if not colour:
        return line
    return f"\x1b[1;{_COLOURS.get(exit_code, _STOPPED)}m{line}\x1b[0m"


def exchange_line(exchange: Exchange) -> str:
    """`METHOD /path?query -> status (ms)`: no headers, so no token ever shows; the
    tokens of this API travel in headers and cookies only, never in the URL."""
    parts = urlsplit(exchange.request.url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    response = exchange.response
    label = f"  [{exchange.label}]" if exchange.label else ""
    return (
        f"{exchange.request.method} {target} -> {response.status}"
        f" ({response.elapsed * 1000:.0f} ms){label}"
    )
