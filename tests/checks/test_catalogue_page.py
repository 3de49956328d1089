"""docs/rules.md is generated from the catalogue and must not drift from it."""

from __future__ import annotations

from pathlib import Path

from conformance.checks import REGISTRY
from conformance.checks.catalogue import render_catalogue

PAGE = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def test_the_catalogue_page_is_up_to_date() -> None:
    assert PAGE.read_text("utf-8") == render_catalogue(), (
        "docs/rules.md is stale: run `python -m conformance.checks.catalogue > docs/rules.md`"
    )


def test_the_page_lists_every_rule_with_its_evidence() -> None:
    text = render_catalogue()
    for rule in REGISTRY.rules():
        assert rule.evidence is not None
        assert f"| {rule.id} | {rule.level.value} |" in text
        assert f"| {rule.evidence.kind.value} |" in text
    assert "## Why EM-ERR-003 (wrong method gets 405) is SHOULD" in text
