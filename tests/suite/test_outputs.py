"""Every front end writes a run's files through `suite.outputs.write_outputs`, so none of
them can forget to name the password again to the cassette writer."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.exchange import Exchange, RecordedRequest, RecordedResponse
from conformance.result import JudgedResult, JudgedSubject, SubjectKind
from conformance.suite import Settings
from conformance.suite import outputs as shared

SECRET = "the-password-7f3a"


def _settings(tmp_path: Path) -> Settings:
    return Settings(
        report=tmp_path / "r.json",
        junitxml=tmp_path / "j.xml",
        cassette=tmp_path / "c.yaml",
        password=SECRET,
    )


def _result() -> JudgedResult:
    # As if the run's own redaction had missed the password: the writer must catch it.
    request = RecordedRequest.build("GET", "https://em:9398/api/", {"Accept": "application/json"})
    answer = RecordedResponse.build(200, {"Content-Type": "application/json"}, f'"{SECRET}"')
    exchanges = (Exchange(request, answer, "entry", ("format:json",)),)
    return JudgedResult(
        JudgedSubject(SubjectKind.TARGET, "https://em:9398/api"), exchanges=exchanges
    )


def test_the_cassette_writer_is_given_the_password_again(tmp_path: Path) -> None:
    shared.write_outputs(_result(), _settings(tmp_path))
    written = {name: (tmp_path / name).read_text() for name in ("r.json", "j.xml", "c.yaml")}
    assert SECRET not in written["c.yaml"] and "<redacted:" in written["c.yaml"]
    assert all(written.values())


def test_the_command_line_and_the_plugin_write_through_the_same_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conformance._cli import run as command
    from conformance._plugin import suite_plugin

    seen: list[tuple[JudgedResult, Settings]] = []
    monkeypatch.setattr(shared, "write_outputs", lambda *given: seen.append(given))
    result, settings = _result(), _settings(tmp_path)
    command._outputs(result, settings)
    suite_plugin._write_outputs(result, settings)
    assert seen == [(result, settings), (result, settings)]
