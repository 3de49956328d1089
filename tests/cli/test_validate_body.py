"""`em-conformance validate-body`, driven in-process."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.cli import main
from tests.conftest import EXAMPLES


def test_valid_body_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate-body", str(EXAMPLES / "task-finished-deletejob.xml")]) == 0
    assert "valid Task" in capsys.readouterr().out


def test_invalid_body_exits_1_and_names_each_violation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = tmp_path / "task.json"
    body.write_text('{"taskId": "task-1", "State": "Done"}')
    assert main(["validate-body", str(body), "--resource", "Task"]) == 1
    out = capsys.readouterr().out
    assert "invalid Task" in out and "taskId" in out and "Done" in out
    # Each violation names what the broken constraint rests on.
    assert "'Done' is not one of" in out and "[documented]" in out and "[observed]" in out


def test_resource_mismatch_is_invalid(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate-body", str(EXAMPLES / "logonsession.xml"), "--resource", "Task"]) == 1
    assert "root element Task" in capsys.readouterr().out


def test_missing_file_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate-body", str(tmp_path / "nope.xml")]) == 2
    err = capsys.readouterr().err
    assert "Cannot read" in err and "Traceback" not in err


def test_unknown_resource_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate-body", "x.xml", "--resource", "Banana"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_help_documents_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "exit codes" in capsys.readouterr().out
