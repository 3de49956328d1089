"""The written layout: VCR-style YAML that reads back without a YAML parser.

What `render_cassette` writes is the layout of `format.py` (vcrpy's keys, our `label` and
`tags` beside them) in a fixed shape, one value per line::

    version: 1
    recorded_with: "em-conformance 0.1.0"
    interactions:
    - request:
        method: "GET"
        uri: "https://em:9398/api/tasks/task-1"
        headers: {"Accept": ["application/xml"]}
        body: null
      response:
        status: {"code": 200, "message": "OK"}
        headers: {"Content-Type": ["application/xml"]}
        elapsed: 0.012345
        body:
          string: |
            <Task ...>
            </Task>
      label: "poll-task"
      tags: ["flow:delete-job"]

Every value is JSON (which YAML reads alike here: double-quoted strings with the escapes
both share, flow mappings and sequences, integers, `null`), a body is a literal block when
its text is plain enough to read back exactly (else a JSON string, or `!!binary` base64 when
it is not UTF-8).  Any YAML reader (vcrpy's, ours through libyaml) reads the file;
`read_layout` reads exactly this shape line by line, ten times faster than libyaml composes
it, and gives up (`NotThisLayout`) on the first line that differs, leaving the file to the
YAML reader: cassettes of other writers, older ones of ours, edits by hand.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable
from http import HTTPStatus
from typing import Any

from conformance.exchange import Exchange, Headers, RecordedRequest, RecordedResponse

__all__ = ["NotThisLayout", "group_headers", "read_layout", "reason_phrase", "write_layout"]


class NotThisLayout(Exception):
    """The text is not in the written layout: read it as YAML."""


# Characters YAML will not take raw in a double-quoted scalar (not printable, or a line
# break JSON leaves alone, or a byte-order mark); written as \u escapes, which both read.
_UNQUOTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
# A literal block keeps its text exactly only when it holds printable characters and
# line feeds alone (no tab, no carriage return, no YAML line break but \n).
_UNBLOCKABLE = re.compile(
    "[^\n -~\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
# A file holding one of these raw is not ours: YAML reads them as line breaks (or a BOM).
_RAW_BREAKS = ("\r", "\x85", "\u2028", "\u2029", "\ufeff")


def _json(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    if _UNQUOTABLE.search(text):
        text = _UNQUOTABLE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)
    return text


def _blockable(text: str) -> bool:
    """Whether a literal block reads back as exactly `text`: a first line that sets the
    block's indentation, at most one final line feed (clip or strip chomping), no line
    ending in a space and nothing but plain characters."""
    return (
        text[:1] not in ("", " ", "\n")
        and not text.endswith("\n\n")
        and not text.endswith(" ")
        and " \n" not in text
        and not _UNBLOCKABLE.search(text)
    )


def _body(body: bytes, indent: int) -> str:
    """The value written after `body:` or `string:`, a literal block indented `indent`."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "!!binary " + _json(base64.b64encode(body).decode("ascii"))
    if not _blockable(text):
        return _json(text)
    pad = " " * indent
    lines = text.removesuffix("\n").split("\n")
    block = "".join(f"\n{pad}{line}" if line else "\n" for line in lines)
    return ("|" if text.endswith("\n") else "|-") + block


def group_headers(headers: Headers) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for name, value in headers:
        key = names.setdefault(name.lower(), name)
        grouped.setdefault(key, []).append(value)
    return grouped


def reason_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _interaction(exchange: Exchange) -> str:
    request, response = exchange.request, exchange.response
    status = {"code": response.status, "message": reason_phrase(response.status)}
    lines = [
        "- request:",
        f"    method: {_json(request.method)}",
        f"    uri: {_json(request.url)}",
        f"    headers: {_json(group_headers(request.headers))}",
        f"    body: {_body(request.body, 6) if request.body else 'null'}",
        "  response:",
        f"    status: {_json(status)}",
        f"    headers: {_json(group_headers(response.headers))}",
    ]
    if response.elapsed:
        lines.append(f"    elapsed: {round(response.elapsed, 6):.6f}")
    lines += ["    body:", f"      string: {_body(response.body, 8)}"]
    if exchange.label:
        lines.append(f"  label: {_json(exchange.label)}")
    if exchange.tags:
        lines.append(f"  tags: {_json(list(exchange.tags))}")
    return "\n".join(lines)


def write_layout(exchanges: Iterable[Exchange], version: int, recorded_with: str) -> str:
    """The cassette text of `exchanges` in the written layout."""
    head = [f"version: {version}"]
    if recorded_with:
        head.append(f"recorded_with: {_json(recorded_with)}")
    items = [_interaction(exchange) for exchange in exchanges]
    head.append("interactions:" if items else "interactions: []")
    return "\n".join(head + items) + "\n"


def read_layout(text: str) -> tuple[list[Exchange], dict[str, Any]]:
    """The exchanges and the top-level fields of a cassette in the written layout;
    raises `NotThisLayout` at the first line that is not."""
    if any(mark in text for mark in _RAW_BREAKS):
        raise NotThisLayout
    lines = text.split("\n")
    try:
        metadata, at = _head(lines)
    except IndexError:
        raise NotThisLayout from None
    end = len(lines)
    while end > at and lines[end - 1] == "":
        end -= 1
    reader = _Reader(lines, at, end)
    exchanges: list[Exchange] = []
    while reader.at < end:
        exchanges.append(reader.interaction())
    return exchanges, metadata


def _head(lines: list[str]) -> tuple[dict[str, Any], int]:
    version = lines[0].removeprefix("version: ")
    if not version.isdigit() or version != str(int(version)):
        raise NotThisLayout
    metadata: dict[str, Any] = {"version": int(version)}
    at = 1
    if lines[at].startswith("recorded_with: "):
        metadata["recorded_with"] = _string(lines[at].removeprefix("recorded_with: "))
        at += 1
    if lines[at] == "interactions: []" and not "".join(lines[at + 1 :]):
        return metadata, len(lines)
    if lines[at] != "interactions:":
        raise NotThisLayout
    return metadata, at + 1


def _loads(raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        raise NotThisLayout from None


def _string(raw: str) -> str:
    value = _loads(raw) if raw[:1] == '"' else None
    if not isinstance(value, str):
        raise NotThisLayout
    return value


def _strings(raw: str) -> tuple[str, ...]:
    value = _loads(raw) if raw[:1] == "[" else None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise NotThisLayout
    return tuple(value)


def _headers(raw: str) -> Headers:
    value = _loads(raw) if raw[:1] == "{" else None
    if not isinstance(value, dict):
        raise NotThisLayout
    pairs: list[tuple[str, str]] = []
    for name, values in value.items():
        if not isinstance(values, list) or not all(isinstance(item, str) for item in values):
            raise NotThisLayout
        pairs.extend((name, item) for item in values)
    return tuple(pairs)


def _status(raw: str) -> int:
    value = _loads(raw) if raw[:1] == "{" else None
    if not isinstance(value, dict) or not isinstance(value.get("message"), str):
        raise NotThisLayout
    code = value.get("code")
    if type(code) is not int:  # not a bool, nor a float
        raise NotThisLayout
    return code


_ELAPSED = re.compile(r"[0-9]+\.[0-9]+")


class _Reader:
    """Reads interactions from `lines[at:end]`, one expected line after another."""

    def __init__(self, lines: list[str], at: int, end: int) -> None:
        self.lines, self.at, self.end = lines, at, end

    def value(self, prefix: str) -> str:
        """The rest of the next line, which must start with `prefix`."""
        line = self.lines[self.at] if self.at < self.end else ""
        if not line.startswith(prefix):
            raise NotThisLayout
        self.at += 1
        return line[len(prefix) :]

    def key(self, line: str) -> None:
        """The next line, which must be exactly `line` (a key opening a nested block):
        `  response::` or `    body: x` is other YAML, read differently or refused."""
        if self.value(line):
            raise NotThisLayout

    def optional(self, prefix: str) -> str | None:
        if self.at < self.end and self.lines[self.at].startswith(prefix):
            return self.value(prefix)
        return None

    def interaction(self) -> Exchange:
        self.key("- request:")
        method = _string(self.value("    method: "))
        uri = _string(self.value("    uri: "))
        request_headers = _headers(self.value("    headers: "))
        request_body = self.body(self.value("    body: "), 6)
        self.key("  response:")
        status = _status(self.value("    status: "))
        response_headers = _headers(self.value("    headers: "))
        elapsed = self.optional("    elapsed: ")
        if elapsed is not None and not _ELAPSED.fullmatch(elapsed):
            raise NotThisLayout
        self.key("    body:")
        response_body = self.body(self.value("      string: "), 8)
        label = self.optional("  label: ")
        tags = self.optional("  tags: ")
        return Exchange(
            RecordedRequest(method.upper(), uri, request_headers, request_body),
            RecordedResponse(status, response_headers, response_body, float(elapsed or 0.0)),
            _string(label) if label is not None else "",
            _strings(tags) if tags is not None else (),
        )

    def body(self, raw: str, indent: int) -> bytes:
        if raw == "null":
            return b""
        if raw[:1] == '"':
            return _string(raw).encode("utf-8")
        if raw.startswith("!!binary "):
            try:
                return base64.b64decode(_string(raw.removeprefix("!!binary ")), validate=True)
            except binascii.Error:
                raise NotThisLayout from None
        if raw in ("|", "|-"):
            return self.block(indent, clip=raw == "|").encode("utf-8")
        raise NotThisLayout

    def block(self, indent: int, *, clip: bool) -> str:
        """A literal block's text; its first line must sit at exactly `indent` spaces,
        which YAML then takes as the block's indentation."""
        pad, lines, at = " " * indent, self.lines, self.at
        first = lines[at] if at < self.end else ""
        if not first.startswith(pad) or first[indent : indent + 1] in ("", " ", "\t"):
            raise NotThisLayout
        content: list[str] = []
        while at < self.end:
            line = lines[at]
            if line.startswith(pad):
                line = line[indent:]
                if line[-1:] in (" ", "\t"):  # trailing blanks: left to the YAML reader
                    raise NotThisLayout
            elif line.strip(" "):
                break
            else:
                line = ""
            content.append(line)
            at += 1
        self.at = at
        while content[-1] == "":
            content.pop()
        text = "\n".join(content)
        if "\t" in text:
            raise NotThisLayout
        return text + "\n" if clip else text
