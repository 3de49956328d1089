"""Rules: the documented statements the checks enforce, each with a stable ID.

A rule's level says how strongly the evidence backs it (see DESIGN.md): MUST is
stated in the documentation, SHOULD is inferred from documented examples or observed
on real servers, INFO is recorded for the report and never fails a target.  Each rule
carries its `Evidence`; a rule whose evidence is inferred or observed cannot be MUST.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass

from conformance.checks.grounds import GROUNDS
from conformance.evidence import FIELD_NOTES, Evidence, Kind

__all__ = [
    "DOCS",
    "Level",
    "Rule",
    "doc_page",
    "documented",
    "inferred",
    "observed",
    "rule_maker",
]

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

    def cap(self, evidence: Evidence | None) -> Level:
        """The level a failure resting on `evidence` fails at: SHOULD at most unless documented."""
        if self is Level.MUST and evidence is not None and not evidence.documented:
            return Level.SHOULD
        return self

    def includes(self, other: Level) -> bool:
        """Whether judging at this level judges rules of level `other` (INFO always)."""
        order = (Level.MUST, Level.SHOULD)
        if other is Level.INFO or self is Level.INFO:
            return True
        return order.index(other) <= order.index(self)


def doc_page(page: str) -> str:
    """The URL of a page of the v13 EM REST reference, or `page` itself if absolute."""
    return page if "://" in page else DOCS + page


def documented(source: str, note: str = "") -> Evidence:
    """A rule stated on `source` (a page of the reference, or a URL), or shown by its example."""
    return Evidence(Kind.DOCUMENTED, doc_page(source), note)


def inferred(source: str, analogy: str) -> Evidence:
    """A rule that only an analogy supports; `analogy` says which."""
    return Evidence(Kind.INFERRED, doc_page(source), analogy)


def observed(note: str, source: str = FIELD_NOTES) -> Evidence:
    """A rule that real servers were seen to follow (a field note or a published capture)."""
    return Evidence(Kind.OBSERVED, source, note)


@dataclass(frozen=True)
class Rule:
    """One documented rule: stable ID, level, area, the page it comes from, one line, and
    the evidence it rests on."""

    id: str
    level: Level
    area: str
    doc: str
    statement: str
    evidence: Evidence | None = None

    def __post_init__(self) -> None:
        if not _RULE_ID.fullmatch(self.id):
            raise ValueError(f"Rule IDs look like EM-AREA-001; received {self.id!r}.")
        object.__setattr__(self, "doc", doc_page(self.doc))
        if self.level.cap(self.evidence) is not self.level:
            kind = self.evidence.kind.value if self.evidence else ""
            raise ValueError(f"{self.id} rests on {kind} evidence, so it is SHOULD at most.")


RuleFactory = Callable[..., Rule]


def rule_maker(code: str, area: str) -> RuleFactory:
    """A factory of the rules of one area: `rule(3, Level.MUST, page, statement)` makes
    `EM-<code>-003`, with its evidence from `GROUNDS` unless given."""

    def make(
        number: int, level: Level, page: str, statement: str, evidence: Evidence | None = None
    ) -> Rule:
        rule_id = f"EM-{code}-{number:03d}"
        return Rule(rule_id, level, area, page, statement, evidence or GROUNDS.get(rule_id))

    return make
