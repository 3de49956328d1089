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


def test_the_page_lists_the_client_rules_apart_from_the_server_rules() -> None:
    from conformance.checks.client_outcome import OUTCOME_RULES
    from conformance.checks.client_rules import CLIENT_RULES

    text = render_catalogue()
    server, _, client = text.partition("## client (EM-CLIENT rules")
    for rule in (*CLIENT_RULES, *OUTCOME_RULES):
        assert f"| {rule.id} | {rule.level.value} |" in client
        assert rule.id not in server
    assert [r.id for r in (*CLIENT_RULES, *OUTCOME_RULES)] == [
        f"EM-CLIENT-{n:03d}" for n in range(1, 14)
    ]
