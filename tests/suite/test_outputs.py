"""Every front end writes a run's files through `suite.outputs.write_outputs`, so each
redacts with every secret the run learned, not only the password it happened to know."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.exchange import Exchange, RecordedRequest, RecordedResponse
from conformance.redaction import Redactor
from conformance.suite import RunResult, Settings
from conformance.suite import outputs as shared

SECRET = "learned-by-the-run-7f3a"


def _result(tmp_path: Path) -> RunResult:
    request = RecordedRequest.build("GET", "https://em:9398/api/", {"Accept": "application/json"})
    answer = RecordedResponse.build(200, {"Content-Type": "application/json"}, f'"{SECRET}"')
    settings = Settings(
        report=tmp_path / "r.json", junitxml=tmp_path / "j.xml", cassette=tmp_path / "c.yaml"
    )
    exchanges = [Exchange(request, answer, "entry", ("format:json",))]
    return RunResult(settings, "https://em:9398/api", exchanges, redactor=Redactor([SECRET]))


def test_the_cassette_is_redacted_with_the_secrets_the_run_learned(tmp_path: Path) -> None:
    shared.write_outputs(_result(tmp_path))
    written = {name: (tmp_path / name).read_text() for name in ("r.json", "j.xml", "c.yaml")}
    assert SECRET not in written["c.yaml"] and "<redacted:" in written["c.yaml"]
    assert all(written.values())


def test_the_command_line_and_the_plugin_write_through_the_same_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conformance._cli import run as command
    from conformance._plugin import suite_plugin

    seen: list[RunResult] = []
    monkeypatch.setattr(shared, "write_outputs", seen.append)
    result = _result(tmp_path)
    command._outputs(result)
    suite_plugin._write_outputs(result)
    assert seen == [result, result]
