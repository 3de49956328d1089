"""Body templates: one rendering reused by every answer that differs in a single value.

A Task body depends only on its state, operation, result and the base URL, apart from
its ID; polling clients and bursts of DELETEs ask for the same shapes over and over. The
body is rendered once (through the same element and the same XML-to-JSON mapping) with a
placeholder in place of the ID, and the ID is spliced into the bytes afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass

from lxml import etree

__all__ = ["PLACEHOLDER", "BodyCache", "Template"]

# Plain ASCII that no rendering escapes, alters or produces by itself.
PLACEHOLDER = "task-0EMULATOR0VALUE0"
_PLACEHOLDER_BYTES = PLACEHOLDER.encode()


@dataclass(frozen=True)
class Template:
    """`build()` renders the body with PLACEHOLDER where `value` belongs; `key` names its shape."""

    key: Hashable
    build: Callable[[], etree._Element]
    value: str


class BodyCache:
    """Serialised templates by (shape, format); bounded, since the base URL comes from clients."""

    def __init__(self, limit: int = 512) -> None:
        self._limit = limit
        self._bodies: dict[tuple[Hashable, bool], bytes] = {}

    def fill(
        self, template: Template, json: bool, serialise: Callable[[etree._Element], bytes]
    ) -> bytes:
        key = (template.key, json)
        body = self._bodies.get(key)
        if body is None:
            if len(self._bodies) >= self._limit:
                self._bodies.clear()
            body = self._bodies[key] = serialise(template.build())
        return body.replace(_PLACEHOLDER_BYTES, template.value.encode())

    def clear(self) -> None:
        self._bodies.clear()
