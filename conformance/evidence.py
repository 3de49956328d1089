"""Evidence: what a rule or a schema constraint rests on, and how strongly it may fail.

DESIGN.md "levels follow evidence": a constraint is *documented* when a documentation page
states it or prints an example of that very resource in that very format; *inferred* when
only an analogy suggests it (the analogy is named); *observed* when a field note or a
third party's capture of a real server shows it.  Only documented evidence may fail a
target at MUST; the other two fail at SHOULD at most.

The specs carry evidence as `x-evidence: {kind, source, note}` (JSON Schema and OpenAPI)
and as `xs:annotation/xs:appinfo/em:evidence` (XSD); this module reads that shape.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["ANNOTATION", "DOCS", "FIELD_NOTES", "Evidence", "Kind"]

ANNOTATION = "x-evidence"
DOCS = "https://helpcenter.veeam.com/docs/vbr/em_rest/"
FIELD_NOTES = "field notes (reference/field-notes.md)"


class Kind(enum.Enum):
    DOCUMENTED = "documented"
    INFERRED = "inferred"
    OBSERVED = "observed"

    @classmethod
    def parse(cls, text: str) -> Kind:
        try:
            return cls(text.strip().lower())
        except ValueError:
            choices = ", ".join(kind.value for kind in cls)
            raise ValueError(f"Unknown evidence kind {text!r}; valid choices: {choices}.") from None


@dataclass(frozen=True)
class Evidence:
    """One constraint's grounds: its kind, the page or field note, and a short note."""

    kind: Kind
    source: str
    note: str = ""

    def __post_init__(self) -> None:
        if not self.source.strip():
            raise ValueError("Evidence needs a source: a documentation page or a field note.")
        if self.kind is Kind.INFERRED and not self.note.strip():
            raise ValueError(f"Inferred evidence must name its analogy ({self.source}).")
        if "://" not in self.source and self.source.endswith(".html"):
            object.__setattr__(self, "source", DOCS + self.source)

    @property
    def documented(self) -> bool:
        """Whether this evidence may fail a target at MUST."""
        return self.kind is Kind.DOCUMENTED

    @classmethod
    def from_annotation(cls, value: Any) -> Evidence:
        """Evidence from an `x-evidence` mapping; a malformed one raises ValueError."""
        if not isinstance(value, Mapping):
            raise ValueError(f"{ANNOTATION} must be a mapping; received {value!r}.")
        kind = Kind.parse(str(value.get("kind", "")))
        return cls(kind, str(value.get("source", "")), str(value.get("note", "")))

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind.value, "source": self.source, "note": self.note}

    def __str__(self) -> str:
        note = f": {self.note}" if self.note else ""
        return f"{self.kind.value}, {self.source}{note}"
