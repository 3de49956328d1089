"""Typed models of the resources the suite reasons about, built from XML or JSON.

Models are read leniently (only what they need) and never validate: validation is
the representations layer's job, and a check wants a model even from a body that
breaks its schema in some unrelated place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lxml import etree

from conformance.errors import BodyError
from conformance.exchange import Exchange, RecordedResponse
from conformance.protocol import XML
from conformance.representations.jsoncodec import UTF8_BOM, parse_json
from conformance.representations.xmlcodec import local_name, parse_xml
from conformance.views import view

__all__ = [
    "TASK_STATES",
    "EntityRef",
    "ErrorBody",
    "Link",
    "LogonSession",
    "Task",
    "TaskResult",
    "parse_document",
]

TASK_STATES = ("Running", "OperationFinished", "Finished")


def parse_document(body: bytes, media_type: str) -> etree._Element | Any:
    """An XML root element or a JSON document, read as a tolerant client reads it.

    A UTF-8 byte-order mark is skipped and a body whose own first byte says JSON or XML
    is read as that whatever its Content-Type says: both deviations are real-server
    habits that one rule each judges (EM-NEG-006, EM-NEG-004), and a model read here
    must not fail every later rule for them.  The hardened parsers' limits still apply.
    """
    return view(body, "document " + media_type, lambda: _parse_document(body, media_type))


def _parse_document(body: bytes, media_type: str) -> etree._Element | Any:
    text = body.removeprefix(UTF8_BOM)
    return parse_json(text) if _reads_as_json(text, media_type) else parse_xml(text)


def _reads_as_json(body: bytes, media_type: str) -> bool:
    start = body.lstrip(b" \t\r\n")[:1]
    if start in (b"{", b"[", b"<"):
        return start != b"<"
    return "json" in media_type


def _is_json(document: etree._Element | Any) -> bool:
    return not isinstance(document, etree._Element)


def _named(name: str) -> str:
    """`name` in any namespace: a tolerant reader finds `TaskId` whatever the namespace
    (the schemas judge the namespace, EM-REPR-001), so one wrong URI is one finding."""
    return f"{{*}}{name}"


def _text(element: etree._Element, name: str) -> str | None:
    child = element.find(_named(name))
    return None if child is None else (child.text or "").strip()


def _bool(value: Any) -> bool | None:
    # Read tolerantly: JSON "True" (a string, as some servers write it) still says true;
    # the schemas judge the type (EM-REPR-001), so one finding is not many.
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def _object(document: Any, kind: str) -> dict[str, Any]:
    if not isinstance(document, dict):
        raise BodyError(f"Expected a JSON object for {kind}; received {type(document).__name__}.")
    # JSON drops the root element; a body that keeps it ({"Task": {...}}) is read inside
    # it, as a tolerant client would, and the schemas judge the shape.
    inner = document.get(kind) if len(document) == 1 else None
    return _pascal(inner if isinstance(inner, dict) else document)


# Every JSON name the models read, by its case-folded spelling.
_NAMES = {
    name.lower(): name
    for name in (
        "Href", "Links", "Message", "Name", "Operation", "Refs", "Rel", "Result", "SessionId",
        "State", "StatusCode", "Success", "TaskId", "Type", "UID", "UserName",
    )
}  # fmt: skip


def _pascal(data: dict[str, Any]) -> dict[str, Any]:
    """The object with its names read whatever their case (`taskId` as `TaskId`, `uid` as
    `UID`), as case-insensitive deserializers do; EM-NEG-007 judges the case."""
    return {_NAMES.get(key.lower(), key): value for key, value in data.items()}


@dataclass(frozen=True)
class Link:
    rel: str
    href: str
    type: str | None = None
    name: str | None = None

    @classmethod
    def from_xml(cls, element: etree._Element) -> Link:
        get = element.get
        return cls(get("Rel") or "", get("Href") or "", get("Type"), get("Name"))

    @classmethod
    def from_json(cls, document: Any) -> Link:
        data = _object(document, "Link")
        return cls(
            str(data.get("Rel") or ""),
            str(data.get("Href") or ""),
            data.get("Type"),
            data.get("Name"),
        )


def _xml_links(element: etree._Element) -> tuple[Link, ...]:
    return tuple(
        Link.from_xml(link) for link in element.iterfind(f"{_named('Links')}/{_named('Link')}")
    )


def _json_links(document: dict[str, Any]) -> tuple[Link, ...]:
    links = document.get("Links") or []
    return tuple(Link.from_json(link) for link in links) if isinstance(links, list) else ()


@dataclass(frozen=True)
class TaskResult:
    success: bool | None
    message: str | None = None


@dataclass(frozen=True)
class Task:
    task_id: str
    state: str
    operation: str
    href: str
    links: tuple[Link, ...] = ()
    result: TaskResult | None = None

    @property
    def finished(self) -> bool:
        return self.state == "Finished"

    def link(self, rel: str) -> Link | None:
        return next((link for link in self.links if link.rel == rel), None)

    @classmethod
    def from_xml(cls, element: etree._Element) -> Task:
        result_element = element.find(_named("Result"))
        result = None
        if result_element is not None:
            result = TaskResult(
                _bool(result_element.get("Success")), _text(result_element, "Message")
            )
        return cls(
            _text(element, "TaskId") or "", _text(element, "State") or "",
            _text(element, "Operation") or "", element.get("Href") or "", _xml_links(element), result,
        )  # fmt: skip

    @classmethod
    def from_json(cls, document: Any) -> Task:
        data = _object(document, "Task")
        raw = data.get("Result")
        result = None
        if isinstance(raw, dict):
            found = _pascal(raw)
            result = TaskResult(_bool(found.get("Success")), found.get("Message"))
        return cls(
            str(data.get("TaskId") or ""), str(data.get("State") or ""), str(data.get("Operation") or ""),
            str(data.get("Href") or ""), _json_links(data), result,
        )  # fmt: skip

    @classmethod
    def from_body(cls, body: bytes, media_type: str) -> Task:
        return view(body, "Task " + media_type, lambda: cls._read(body, media_type))

    @classmethod
    def _read(cls, body: bytes, media_type: str) -> Task:
        document = parse_document(body, media_type)
        return cls.from_json(document) if _is_json(document) else cls.from_xml(document)

    @classmethod
    def from_response(cls, response: RecordedResponse) -> Task:
        """The Task in a response body (XML when no Content-Type says otherwise; the
        body's own first byte wins, see `parse_document`); raises BodyError."""
        return cls.from_body(response.body, response.media_type or XML)

    @classmethod
    def from_exchange(cls, exchange: Exchange) -> Task | None:
        """The Task in an exchange's response, or None when there is none to read.

        The one tolerant reading of "the task this request started" that the client,
        the poller, the flows and the reports share; the checks judge the body itself.
        """
        try:
            return cls.from_response(exchange.response)
        except (BodyError, ValueError):
            return None


@dataclass(frozen=True)
class ErrorBody:
    """The `Error` representation (no documentation page prints one; shape from the XSD)."""

    message: str
    status_code: int | None

    @classmethod
    def from_xml(cls, element: etree._Element) -> ErrorBody:
        if local_name(element) != "Error":
            raise BodyError(f"Expected an Error element; received {local_name(element)}.")
        code = element.get("StatusCode") or ""
        return cls(element.get("Message") or "", int(code) if code.isdigit() else None)

    @classmethod
    def from_json(cls, document: Any) -> ErrorBody:
        data = _object(document, "Error")
        code = data.get("StatusCode")
        return cls(str(data.get("Message") or ""), code if isinstance(code, int) else None)

    @classmethod
    def from_body(cls, body: bytes, media_type: str) -> ErrorBody:
        document = parse_document(body, media_type)
        return cls.from_json(document) if _is_json(document) else cls.from_xml(document)


@dataclass(frozen=True)
class LogonSession:
    user_name: str
    session_id: str
    href: str
    links: tuple[Link, ...] = ()

    def link(self, rel: str) -> Link | None:
        return next((link for link in self.links if link.rel == rel), None)

    @classmethod
    def from_xml(cls, element: etree._Element) -> LogonSession:
        return cls(_text(element, "UserName") or "", _text(element, "SessionId") or "",
                   element.get("Href") or "", _xml_links(element))  # fmt: skip

    @classmethod
    def from_json(cls, document: Any) -> LogonSession:
        data = _object(document, "LogonSession")
        return cls(str(data.get("UserName") or ""), str(data.get("SessionId") or ""),
                   str(data.get("Href") or ""), _json_links(data))  # fmt: skip

    @classmethod
    def from_body(cls, body: bytes, media_type: str) -> LogonSession:
        document = parse_document(body, media_type)
        return cls.from_json(document) if _is_json(document) else cls.from_xml(document)


@dataclass(frozen=True)
class EntityRef:
    uid: str
    name: str
    href: str
    type: str
    links: tuple[Link, ...] = ()

    @property
    def id(self) -> str:
        """The GUID at the end of the UID (`urn:veeam:Job:<GUID>`)."""
        return self.uid.rsplit(":", 1)[-1]

    @classmethod
    def from_xml(cls, element: etree._Element) -> EntityRef:
        get = element.get
        return cls(
            get("UID") or "",
            get("Name") or "",
            get("Href") or "",
            get("Type") or "",
            _xml_links(element),
        )

    @classmethod
    def from_json(cls, document: Any) -> EntityRef:
        data = _object(document, "EntityRef")
        return cls(str(data.get("UID") or ""), str(data.get("Name") or ""), str(data.get("Href") or ""),
                   str(data.get("Type") or ""), _json_links(data))  # fmt: skip

    @classmethod
    def list_from_body(cls, body: bytes, media_type: str) -> list[EntityRef]:
        """The references of an `EntityReferences` collection."""
        document = parse_document(body, media_type)
        if _is_json(document):
            refs = _object(document, "EntityReferences").get("Refs") or []
            return [cls.from_json(ref) for ref in refs]
        return [cls.from_xml(ref) for ref in document.iterfind(_named("Ref"))]
