"""The wire encoding of a reply: content negotiation, XML or JSON bytes, and headers.

Faults that only change bytes or headers (a BOM, camelCase keys, a wrong namespace, a
missing Content-Length...) are applied here, after rendering, so state never sees them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from conformance.emulator.bodies import Body, BodyCache, Template
from conformance.emulator.chunked import dump_json_chunked, dump_xml_chunked
from conformance.emulator.documents import error
from conformance.emulator.fault_catalogue import (
    CAMELCASE_JSON,
    CONTENT_TYPE_MISMATCH,
    JSON_BOM,
    NO_CONTENT_LENGTH,
    SUCCESS_AS_STRING_IN_JSON,
    WRAPPED_JSON_ROOT,
    WRONG_CONTENT_LENGTH,
    WRONG_NAMESPACE,
    XML_ERRORS,
)
from conformance.emulator.faults import FaultSet
from conformance.exchange import RecordedResponse
from conformance.protocol import JSON, XML
from conformance.representations import NS, UTF8_BOM

__all__ = ["DEFER_ABOVE", "Deferred", "HttpError", "Reply", "collection", "encode"]

_WRONG_NS = b"http://www.veeam.com/ent/v1.1"


# Collections longer than this render outside the emulator's lock (and the event loop).
DEFER_ABOVE = 200


@dataclass(frozen=True)
class Deferred:
    """A body rendered after the lock is released, from a snapshot taken under it.

    A listing of 50,000 jobs takes seconds to render; built under the lock (or on the
    event loop) it would hold up every other client that long. The snapshot is the list
    of items; their fields are only read, so a change racing the render shows up or not,
    as on a real server, and never tears a body.
    """

    body: Body | Template


def collection(body: Body | Template, size: int) -> Body | Template | Deferred:
    """The body of a collection of `size` items: rendered at once, or deferred when large."""
    return Deferred(body) if size > DEFER_ABOVE else body


@dataclass
class Reply:
    """What a handler answers: a status, an optional element to render, extra headers."""

    status: int
    element: Body | Template | Deferred | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)
    is_error: bool = False


class HttpError(Exception):
    """A refusal with an `Error` body; `headers` go on the response too."""

    def __init__(
        self, status: int, message: str, headers: list[tuple[str, str]] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or []

    def reply(self) -> Reply:
        return Reply(
            self.status, error(self.status, self.message), list(self.headers), is_error=True
        )


def _camel(document: Any) -> Any:
    if isinstance(document, dict):
        return {_camel_key(key): _camel(value) for key, value in document.items()}
    if isinstance(document, list):
        return [_camel(item) for item in document]
    return document


def _camel_key(key: str) -> str:
    return key.lower() if key.isupper() else key[:1].lower() + key[1:]


def _success_as_string(document: Any) -> Any:
    if isinstance(document, dict):
        return {key: ("True" if value else "False") if key == "Success" and isinstance(value, bool)
                else _success_as_string(value) for key, value in document.items()}  # fmt: skip
    if isinstance(document, list):
        return [_success_as_string(item) for item in document]
    return document


def _json_body(body: Body, faults: FaultSet) -> bytes:
    document = body.json()
    if faults.on(SUCCESS_AS_STRING_IN_JSON):
        document = _success_as_string(document)
    if faults.on(WRAPPED_JSON_ROOT):
        document = {body.root: document}
    if faults.on(CAMELCASE_JSON):
        document = _camel(document)
    data = dump_json_chunked(document)
    return UTF8_BOM + data if faults.on(JSON_BOM) else data


def _xml_body(body: Body, faults: FaultSet) -> bytes:
    data = dump_xml_chunked(body.xml())
    return data.replace(NS.encode(), _WRONG_NS) if faults.on(WRONG_NAMESPACE) else data


def _length_headers(body: bytes, faults: FaultSet) -> list[tuple[str, str]]:
    if faults.on(NO_CONTENT_LENGTH):
        return []
    extra = 16 if faults.on(WRONG_CONTENT_LENGTH) else 0
    return [("Content-Length", str(len(body) + extra))]


def _body(
    element: Body | Template | Deferred, json: bool, faults: FaultSet, cache: BodyCache
) -> bytes:
    def serialise(body: Body) -> bytes:
        return _json_body(body, faults) if json else _xml_body(body, faults)

    if isinstance(element, Deferred):
        element = element.body
    if isinstance(element, Template):
        return cache.fill(element, json, serialise)
    return serialise(element)


def encode(reply: Reply, json: bool, faults: FaultSet, cache: BodyCache) -> RecordedResponse:
    """The response bytes and headers for `reply`, in the negotiated format."""
    if reply.element is None:
        return RecordedResponse.build(reply.status, reply.headers)
    if reply.is_error and faults.on(XML_ERRORS):
        json = False
    body = _body(reply.element, json, faults, cache)
    content_type = JSON if json else XML
    if faults.on(CONTENT_TYPE_MISMATCH):
        content_type = XML if json else JSON
    headers = (("Content-Type", content_type), *_length_headers(body, faults), *reply.headers)
    return RecordedResponse(reply.status, headers, body)
