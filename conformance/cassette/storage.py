"""Reading and writing cassette files: redaction always, normalisation on request."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from conformance.__version__ import __version__
from conformance.cassette.format import Cassette, parse_cassette, render_cassette
from conformance.cassette.normalization import normalize as normalize_exchanges
from conformance.errors import UsageError
from conformance.exchange import Exchange
from conformance.redaction import redact

__all__ = ["RECORDED_WITH", "load_cassette", "read_cassette", "write_cassette"]

RECORDED_WITH = f"em-conformance {__version__}"


def write_cassette(
    path: str | Path,
    exchanges: Sequence[Exchange],
    *,
    secrets: Iterable[str] = (),
    normalize: bool = False,
) -> list[Exchange]:
    """Save `exchanges` as a cassette at `path`; returns the exchanges as written.

    Secrets are always redacted (the session token, Basic credentials, passwords in
    bodies, and every string in `secrets`); `normalize` also rewrites hosts, dates and
    timings so that two runs of one flow give the same file.
    """
    written = redact(exchanges, secrets)
    if normalize:
        written = normalize_exchanges(written)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_cassette(written, recorded_with=RECORDED_WITH), encoding="utf-8")
    return written


def load_cassette(path: str | Path) -> Cassette:
    """The cassette at `path`, with the interaction index of every exchange."""
    source = Path(path)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise UsageError(
            f"Cannot read cassette {source}: {exc.strerror}. Give the path of a YAML cassette"
            " written by em-conformance, vcrpy or schemathesis --report vcr."
        ) from None
    return parse_cassette(data, name=str(source))


def read_cassette(path: str | Path) -> list[Exchange]:
    """The exchanges recorded in the cassette at `path`."""
    return list(load_cassette(path).exchanges)
