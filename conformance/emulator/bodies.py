"""Bodies: a resource in both formats, and a cache of their serialised bytes.

A `Body` builds its XML element or its JSON document only when asked (each straight
from the model, see `render` and `render_json`), so a reply costs only the format the
client negotiated.

Templates: a Task body depends only on its state, operation, result and the base URL,
apart from its ID; polling clients and bursts of DELETEs ask for the same shapes over
and over. The body is rendered once with a placeholder in place of the ID, and the ID
is spliced into the bytes afterwards. A listing is a template without a placeholder,
whose `version` (the inventory's) says when the rendering held is out of date.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from lxml import etree

__all__ = ["BYTE_LIMIT", "PLACEHOLDER", "Body", "BodyCache", "Template"]

# Plain ASCII that no rendering escapes, alters or produces by itself.
PLACEHOLDER = "task-0EMULATOR0VALUE0"
_PLACEHOLDER_BYTES = PLACEHOLDER.encode()
# Serialised bodies the cache holds at most: a listing of 50,000 jobs (tens of MB) is
# rendered each time rather than kept.
BYTE_LIMIT = 8 * 1024 * 1024


class Body:
    """A resource whose root element is `root`: `xml()` builds the element, `json()` the
    JSON document the XML-to-JSON mapping makes of it, both from the same arguments."""

    __slots__ = ("_args", "_json", "_kwargs", "_xml", "root")

    def __init__(self, root: str, xml: Callable[..., etree._Element], json: Callable[..., Any],
                 *args: Any, **kwargs: Any) -> None:  # fmt: skip
        self.root, self._xml, self._json, self._args, self._kwargs = root, xml, json, args, kwargs

    def xml(self) -> etree._Element:
        return self._xml(*self._args, **self._kwargs)

    def json(self) -> Any:
        return self._json(*self._args, **self._kwargs)


@dataclass(frozen=True)
class Template:
    """`body` rendered once per `key` and format: with PLACEHOLDER where `value` belongs
    (None: no placeholder), and again whenever `version` changes."""

    key: Hashable
    body: Body
    value: str | None = None
    version: int = 0


class BodyCache:
    """Serialised templates by (key, format), the latest version of each; bounded in
    entries and bytes, since the base URL (part of a key) comes from clients."""

    def __init__(self, limit: int = 512, byte_limit: int = BYTE_LIMIT) -> None:
        self._limit, self._byte_limit = limit, byte_limit
        self._bodies: dict[tuple[Hashable, bool], tuple[int, bytes]] = {}
        self._bytes = 0
        # A large listing is serialised on the renderer thread, others on the event loop.
        self._lock = threading.Lock()

    def holds(self, template: Template, json: bool) -> bool:
        """Whether `template` in this format is held in its current version."""
        with self._lock:
            held = self._bodies.get((template.key, json))
        return held is not None and held[0] == template.version

    def fill(self, template: Template, json: bool, serialise: Callable[[Body], bytes]) -> bytes:
        key = (template.key, json)
        with self._lock:
            held = self._bodies.get(key)
        if held is not None and held[0] == template.version:
            body = held[1]
        else:
            body = serialise(template.body)
            self._store(key, template.version, body)
        return (
            body
            if template.value is None
            else body.replace(_PLACEHOLDER_BYTES, template.value.encode())
        )

    def _store(self, key: tuple[Hashable, bool], version: int, body: bytes) -> None:
        if len(body) > self._byte_limit:
            return
        with self._lock:
            old = self._bodies.pop(key, None)
            self._bytes -= 0 if old is None else len(old[1])
            while self._bodies and (
                len(self._bodies) >= self._limit or self._bytes + len(body) > self._byte_limit
            ):
                self._bytes -= len(self._bodies.pop(next(iter(self._bodies)))[1])
            self._bodies[key] = (version, body)
            self._bytes += len(body)

    def clear(self) -> None:
        with self._lock:
            self._bodies.clear()
            self._bytes = 0
