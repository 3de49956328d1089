"""Known variants: JSON shapes that no document settles, where each known form is accepted.

No JSON body of `GET /api/` is published, and the documented JSON treats XML list
wrappers both ways: `Links` and `Refs` become flat arrays, `Includes` and a CloudTenant's
`Resources` keep a wrapper object (field notes, "Shapes no document shows").  So
`SupportedVersions` may come as `[{"Name": ...}]` or as `{"SupportedVersions": [...]}`;
the schema accepts both, the comparison of XML and JSON twins treats them as one, and
EM-REPR-002 reports which one a server sent.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FLAT", "NESTED", "as_nested", "supported_versions_form"]

FLAT = "flat array"
NESTED = "nested wrapper"
_KEY = "SupportedVersions"


def supported_versions_form(document: Any) -> str | None:
    """`FLAT`, `NESTED`, or None when the document has neither known form."""
    value = document.get(_KEY) if isinstance(document, dict) else None
    if isinstance(value, list):
        return FLAT
    if isinstance(value, dict) and isinstance(value.get(_KEY), list):
        return NESTED
    return None


def as_nested(document: Any) -> Any:
    """The document with a flat `SupportedVersions` wrapped as the XML mapping writes it."""
    if supported_versions_form(document) != FLAT:
        return document
    return {**document, _KEY: {_KEY: document[_KEY]}}
