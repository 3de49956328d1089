"""check-cassette's choice of rules: a rule ID no check has is refused, not judged as
nothing (which reported any file conformant, exit 0)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.checks import Outcome
from conformance.cli import main
from conformance.errors import UsageError
from conformance.suite.offline import check_cassette

LOGON = Path(__file__).resolve().parents[2] / "cassettes" / "docs-logon.yaml"


def test_an_unknown_rule_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match=r"Unknown rule.*EM-NOPE-001"):
        check_cassette(LOGON, rules=["EM-AUTHZ-001", "EM-NOPE-001"])


def test_an_unknown_rule_on_the_command_line_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-cassette", "--rule", "EM-NOPE-001", str(LOGON)]) == 2
    assert "Unknown rule(s): EM-NOPE-001" in capsys.readouterr().err


def test_a_known_rule_is_the_only_one_judged() -> None:
    result = check_cassette(LOGON, rules=["EM-AUTHZ-001"])
    assert {verdict.rule.id for verdict in result.verdicts} == {"EM-AUTHZ-001"}
    assert result.count(Outcome.FAILED) == 0
