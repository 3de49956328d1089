"""Serialising large collections in pieces, byte for byte as in one piece.

lxml's `tostring` and the C JSON encoder hold the GIL for a whole document: for 50,000
jobs that is up to a second in which the event loop cannot answer anyone, even though
the listing renders on another thread. Serialised a thousand items at a time, the
GIL is free between pieces. Both functions give exactly the bytes of `dump_xml` and
`dump_json` on the whole document (tests/emulator/test_bounds.py compares them), and
they free what they consume in pieces as well.
"""

from __future__ import annotations

import itertools
from typing import Any, cast

from lxml import etree

from conformance.representations import dump_json, dump_xml

__all__ = ["CHUNK", "dump_json_chunked", "dump_xml_chunked"]

CHUNK = 1000
_DECLARATION = b"<?xml version='1.0' encoding='utf-8'?>\n"
# A value no rendering produces; JSON-encoded, it marks where the big list goes.
_SENTINEL = "\x00em-chunked-list\x00"


def dump_xml_chunked(root: etree._Element) -> bytes:
    """`dump_xml(root)`, serialised CHUNK children at a time (consumes `root`'s children)."""
    if len(root) <= CHUNK:
        return dump_xml(root)
    # lxml keys the default namespace by None; lxml-stubs do not allow it.
    nsmap = cast("dict[str, str]", root.nsmap)
    attributes = {str(name): str(value) for name, value in root.attrib.items()}
    pieces, opening, closing = [], b"", b""
    while len(root):
        # Moved out a chunk at a time, and freed a chunk at a time: freeing the whole
        # tree at once would hold the GIL as long as serialising it in one piece.
        holder = etree.Element(root.tag, attrib=attributes, nsmap=nsmap)
        holder.extend(list(itertools.islice(root, CHUNK)))
        text = bytes(etree.tostring(holder, encoding="utf-8"))
        # Attribute values escape '>', so the first one closes the start tag.
        head, tail = text.index(b">") + 1, text.rindex(b"</")
        pieces.append(text[head:tail])
        opening, closing = text[:head], text[tail:]
    return _DECLARATION + opening + b"".join(pieces) + closing


def dump_json_chunked(document: Any) -> bytes:
    """`dump_json(document)`, with its longest top-level list dumped CHUNK items at a time
    (and emptied)."""
    if not isinstance(document, dict):
        return dump_json(document)
    lists = [key for key, value in document.items() if isinstance(value, list)]
    key = max(lists, key=lambda name: len(document[name]), default=None)
    if key is None or len(document[key]) <= CHUNK:
        return dump_json(document)
    items = document[key]
    pieces = [
        dump_json(items[start : start + CHUNK])[1:-1] for start in range(0, len(items), CHUNK)
    ]
    skeleton = dump_json({**document, key: _SENTINEL})
    while len(items) > CHUNK:  # freed in pieces too
        del items[-CHUNK:]
    return skeleton.replace(dump_json(_SENTINEL), b"[" + b",".join(pieces) + b"]", 1)
