"""JSON parsing and serialising for EM bodies.

A UTF-8 byte-order mark before JSON was seen on real servers and breaks strict
clients, so it is reported rather than silently skipped.
"""

from __future__ import annotations

import json
from typing import Any

from conformance.errors import BodyError, UnsafeBodyError

__all__ = ["MAX_JSON_BYTES", "UTF8_BOM", "dump_json", "parse_json"]

UTF8_BOM = b"\xef\xbb\xbf"
MAX_JSON_BYTES = 8 * 1024 * 1024


def parse_json(body: bytes, *, max_bytes: int = MAX_JSON_BYTES) -> Any:
    """Parse a JSON body; a byte-order mark, bad UTF-8 or bad JSON raise `BodyError`."""
    if len(body) > max_bytes:
        raise UnsafeBodyError(
            f"Expected a JSON body of at most {max_bytes} bytes; received {len(body)} bytes."
        )
    if body.startswith(UTF8_BOM):
        raise BodyError(
            "Expected JSON starting with '{' or '['; received a UTF-8 byte-order mark"
            " (EF BB BF) before the document."
        )
    try:
        return json.loads(body.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise BodyError(f"Expected UTF-8 JSON; received invalid UTF-8 ({exc.reason}).") from None
    except json.JSONDecodeError as exc:
        raise BodyError(f"Expected well-formed JSON; received: {exc}") from None
    except RecursionError:
        raise UnsafeBodyError(
            "Expected JSON of reasonable depth; received deeper nesting."
        ) from None


def dump_json(document: Any) -> bytes:
    """Serialise compactly, as EM does on the wire."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
