"""The cassette file format: VCR-style YAML holding a list of exchanges.

One layout is written, three are read:

- ours (written): vcrpy's layout, `version: 1` and `interactions` of `request`
  {method, uri, headers, body} and `response` {status {code, message}, headers,
  body {string}}.  Our own fields (`label`, `tags`) sit beside `request` and
  `response` in each interaction, where vcrpy never looks: it builds its `Request`
  from the `request` mapping alone, and would refuse an unknown key there.
- vcrpy's, the same layout without our fields;
- schemathesis 4's `--report vcr`: `http_interactions`, status codes as strings, bodies
  as `{encoding, string}` or `{encoding, base64_string}`, `response: null` for a
  request that got no answer (such interactions have nothing to judge and are left
  out, keeping the index of those that remain).

Bodies are kept as text (XML or JSON as sent, a byte-order mark included); a body
that is not UTF-8 is kept as YAML binary, which vcrpy also reads.  Ours are written in the
fixed shape of `layout.py` (JSON values, literal-block bodies), which is read back line by
line without a YAML parser; everything else, our cassettes written before that shape
included, is read through libyaml.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from conformance._collector import collector_paused
from conformance.cassette.layout import (
    NotThisLayout,
    group_headers,
    read_layout,
    reason_phrase,
    write_layout,
)
from conformance.errors import UsageError
from conformance.exchange import Exchange, Headers, RecordedRequest, RecordedResponse

__all__ = [
    "FORMAT_VERSION",
    "Cassette",
    "dump_yaml",
    "exchange_to_interaction",
    "interaction_to_exchange",
    "load_yaml",
    "parse_cassette",
    "render_cassette",
]

FORMAT_VERSION = 1

# libyaml is several times faster than the pure-Python loader on large cassettes.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _CassetteDumper(_Dumper):  # type: ignore[misc,valid-type]
    """Writes multi-line bodies as literal blocks so a cassette reads like the wire."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # A literal block would turn CR LF into LF on load; such text stays quoted.
    style = "|" if "\n" in value and "\r" not in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_CassetteDumper.add_representer(str, _represent_str)


@dataclass(frozen=True)
class Cassette:
    """The exchanges of one cassette, with the interaction index each came from."""

    exchanges: tuple[Exchange, ...]
    indices: tuple[int, ...]
    source: str = "em-conformance"
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def index_of(self, position: int) -> int:
        """The interaction index in the file of the exchange at `position`."""
        return self.indices[position]


def load_yaml(text: str | bytes) -> Any:
    with collector_paused():
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader, C or Python


def dump_yaml(document: Any) -> str:
    with collector_paused():
        return yaml.dump(
            document, Dumper=_CassetteDumper, sort_keys=False, allow_unicode=True, width=1 << 16
        )


def _body_text(body: bytes) -> str | bytes:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body


def exchange_to_interaction(exchange: Exchange) -> dict[str, Any]:
    """The interaction mapping of one exchange, in vcrpy's layout plus our fields (as
    `yaml.dump` writes it: how cassettes were written before `layout.py`)."""
    request, response = exchange.request, exchange.response
    interaction: dict[str, Any] = {
        "request": {
            "method": request.method,
            "uri": request.url,
            "headers": group_headers(request.headers),
            "body": _body_text(request.body) if request.body else None,
        },
        "response": {
            "status": {"code": response.status, "message": reason_phrase(response.status)},
            "headers": group_headers(response.headers),
            "body": {"string": _body_text(response.body)},
        },
    }
    if response.elapsed:
        interaction["response"]["elapsed"] = round(response.elapsed, 6)
    if exchange.label:
        interaction["label"] = exchange.label
    if exchange.tags:
        interaction["tags"] = list(exchange.tags)
    return interaction


def render_cassette(exchanges: Iterable[Exchange], *, recorded_with: str = "") -> str:
    """The YAML text of a cassette holding `exchanges`."""
    with collector_paused():
        return _render(exchanges, recorded_with)


def _render(exchanges: Iterable[Exchange], recorded_with: str) -> str:
    return write_layout(exchanges, FORMAT_VERSION, recorded_with)


class _Invalid(Exception):
    """A malformed interaction; turned into a `UsageError` naming its index."""


def _text(value: Any, what: str) -> str:
    if isinstance(value, str | int | float):
        return str(value)
    raise _Invalid(f"expected {what} to be text, received {type(value).__name__}")


def _headers(raw: Any) -> Headers:
    if raw is None:
        return ()
    if not isinstance(raw, Mapping):
        raise _Invalid(f"expected headers to be a mapping, received {type(raw).__name__}")
    pairs: list[tuple[str, str]] = []
    for name, values in raw.items():
        listed = values if isinstance(values, list) else [values]
        pairs.extend((str(name), _text(value, f"header {name}")) for value in listed)
    return tuple(pairs)


def _body(raw: Any) -> bytes:
    if raw is None:
        return b""
    if isinstance(raw, bytes):
        return raw
    if isinstance(raw, str):
        return raw.encode("utf-8")
    if isinstance(raw, Mapping):
        return _body_mapping(raw)
    raise _Invalid(f"expected a body as text or a mapping, received {type(raw).__name__}")


def _body_mapping(raw: Mapping[str, Any]) -> bytes:
    if "base64_string" in raw:  # schemathesis with preserve_bytes
        try:
            return base64.b64decode(str(raw["base64_string"]), validate=True)
        except binascii.Error as exc:
            raise _Invalid(f"body base64_string is not base64 ({exc})") from None
    if "string" in raw:
        return _body(raw["string"])
    raise _Invalid(f"expected a body with 'string' or 'base64_string', received {sorted(raw)}")


def _mapping(raw: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise _Invalid(f"expected {what} to be a mapping, received {type(raw).__name__}")
    return raw


def _status(raw: Any) -> int:
    code = _mapping(raw, "response status").get("code")
    try:
        return int(str(code))  # schemathesis writes the code as a string
    except ValueError:
        raise _Invalid(f"expected a numeric status code, received {code!r}") from None


def _elapsed(raw: Any) -> float:
    try:
        return float(raw or 0.0)
    except (TypeError, ValueError):
        return 0.0


def interaction_to_exchange(interaction: Any) -> Exchange:
    """The exchange recorded in one interaction mapping (ours, vcrpy's or schemathesis's)."""
    data = _mapping(interaction, "an interaction")
    request = _mapping(data.get("request"), "request")
    response = _mapping(data.get("response"), "response")
    recorded_request = RecordedRequest(
        _text(request.get("method", ""), "method").upper(),
        _text(request.get("uri", ""), "uri"),
        _headers(request.get("headers")),
        _body(request.get("body")),
    )
    recorded_response = RecordedResponse(
        _status(response.get("status")),
        _headers(response.get("headers")),
        _body(response.get("body")),
        _elapsed(response.get("elapsed")),
    )
    tags = tuple(str(tag) for tag in data.get("tags") or ())
    return Exchange(recorded_request, recorded_response, str(data.get("label") or ""), tags)


def _interactions(document: Any) -> tuple[str, Sequence[Any]]:
    if isinstance(document, Mapping):
        if isinstance(document.get("interactions"), list):
            return ("vcr", document["interactions"])
        if isinstance(document.get("http_interactions"), list):
            return ("schemathesis", document["http_interactions"])
    raise UsageError(
        "Expected a VCR cassette: a YAML mapping with an 'interactions' list (vcrpy,"
        " em-conformance) or an 'http_interactions' list (schemathesis --report vcr);"
        f" received {type(document).__name__}"
        + (f" with keys {sorted(map(str, document))}" if isinstance(document, Mapping) else "")
        + "."
    )


def _check_version(document: Mapping[str, Any]) -> None:
    version = document.get("version", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise UsageError(
            f"Expected cassette format version {FORMAT_VERSION}; received {version!r}."
            " Re-record the cassette with this version of em-conformance."
        )


def _source(kind: str, document: Mapping[str, Any]) -> str:
    recorded_with = str(document.get("recorded_with") or "")
    return recorded_with or ("vcrpy" if kind == "vcr" else "schemathesis")


def parse_cassette(text: str | bytes, *, name: str = "cassette") -> Cassette:
    """Parse cassette text; errors name the file and the interaction index."""
    with collector_paused():
        return _parse(text, name)


def _parse(text: str | bytes, name: str) -> Cassette:
    written = _read_written_layout(text)
    if written is not None:
        _check_version(written[1])
        read = tuple(written[0])
        return Cassette(read, tuple(range(len(read))), _source("vcr", written[1]), written[1])
    try:
        document = load_yaml(text)
    except yaml.YAMLError as exc:
        raise UsageError(f"{name}: expected YAML, received a syntax error: {exc}") from None
    kind, interactions = _interactions(document)
    _check_version(document)
    exchanges: list[Exchange] = []
    indices: list[int] = []
    for index, interaction in enumerate(interactions):
        if isinstance(interaction, Mapping) and interaction.get("response") is None:
            continue  # schemathesis records a request that got no response
        try:
            exchanges.append(interaction_to_exchange(interaction))
        except _Invalid as exc:
            raise UsageError(f"{name}: interaction #{index}: {exc}.") from None
        indices.append(index)
    metadata = {k: v for k, v in document.items() if k not in ("interactions", "http_interactions")}
    return Cassette(tuple(exchanges), tuple(indices), _source(kind, document), metadata)


def _read_written_layout(text: str | bytes) -> tuple[list[Exchange], dict[str, Any]] | None:
    """What `read_layout` reads, or None when the text is for the YAML reader."""
    try:
        return read_layout(text.decode("utf-8") if isinstance(text, bytes) else text)
    except (NotThisLayout, UnicodeDecodeError):
        return None
