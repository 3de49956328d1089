"""Rules: the documented statements the checks enforce, each with a stable ID.

A rule's level says how strongly the evidence backs it (see DESIGN.md): MUST is
stated in the documentation, SHOULD is inferred from documented examples or observed
on real servers, INFO is recorded for the report and never fails a target.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["DOCS", "Level", "Rule", "doc_page", "rule_maker"]

DOCS = "https://helpcenter.veeam.com/docs/vbr/em_rest/"

_RULE_ID = re.compile(r"EM-[A-Z]+-[0-9]{3}")


class Level(enum.Enum):
    MUST = "MUST"
    SHOULD = "SHOULD"
    INFO = "INFO"

    @classmethod
    def parse(cls, text: str) -> Level:
        try:
            return cls(text.strip().upper())
        except ValueError:
            choices = ", ".join(level.value.lower() for level in cls)
            raise ValueError(f"Unknown level {text!r}; valid choices: {choices}.") from None

    def includes(self, other: Level) -> bool:
        """Whether judging at this level judges rules of level `other` (INFO always)."""
        order = (Level.MUST, Level.SHOULD)
        if other is Level.INFO or self is Level.INFO:
            return True
        return order.index(other) <= order.index(self)


def doc_page(page: str) -> str:
    """The URL of a page of the v13 EM REST reference, or `page` itself if absolute."""
    return page if "://" in page else DOCS + page


@dataclass(frozen=True)
class Rule:
    """One documented rule: stable ID, level, area, the page it comes from, one line."""

    id: str
    level: Level
    area: str
    doc: str
    statement: str

    def __post_init__(self) -> None:
        if not _RULE_ID.fullmatch(self.id):
            raise ValueError(f"Rule IDs look like EM-AREA-001; received {self.id!r}.")
        object.__setattr__(self, "doc", doc_page(self.doc))


def rule_maker(code: str, area: str) -> Callable[[int, Level, str, str], Rule]:
    """A factory of the rules of one area: `rule(3, Level.MUST, page, statement)` makes
    `EM-<code>-003`."""

    def make(number: int, level: Level, page: str, statement: str) -> Rule:
        return Rule(f"EM-{code}-{number:03d}", level, area, page, statement)

    return make
