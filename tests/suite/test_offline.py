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


def test_the_result_of_another_tools_cassette_holds_no_secret(tmp_path: Path) -> None:
    # A vcrpy or schemathesis cassette is not redacted: its token and credentials are live.
    token, credentials = "0123456789abcdef-live-token", "YWRtaW46aHVudGVyMnh5elBX"
    text = LOGON.read_text("utf-8")
    text = text.replace("<redacted:token-1>", token).replace(
        "<redacted:credentials-1>", credentials
    )
    path = tmp_path / "theirs.vcr"  # not *.yaml: the on-disk secret scan is for ours
    path.write_text(text, "utf-8")
    result = check_cassette(path)
    written = repr(result.exchanges) + repr(result.verdicts)
    assert token in text and credentials in text
    assert token not in written and credentials not in written and "hunter2" not in written
    assert "<redacted:token-1>" in written
