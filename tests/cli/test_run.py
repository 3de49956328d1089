"""`em-conformance run` end to end, in-process: exit codes, messages that say what to
do, configuration, progress, outputs, and never a traceback."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from conformance.cli import main
from conformance.emulator import EmulatorConfig
from conformance.emulator.server import EmulatorServer

Factory = Callable[[EmulatorConfig], EmulatorServer]


def test_help_documents_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--help"]) == 0
    out = capsys.readouterr().out
    assert (
        "3    target unreachable or logon refused" in out
        and "143 stopped by SIGTERM" in out
        and "EM_PASSWORD" in out
    )


def test_an_unreachable_target_exits_3(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("EM_PASSWORD", "x")
    assert main(["run", "--target", "http://127.0.0.1:9/api", "--username", "u"]) == 3
    captured = capsys.readouterr()
    assert "Check the --target URL" in captured.out and "STOPPED (unreachable)" in captured.out
    assert "Traceback" not in captured.out + captured.err


def test_a_refused_logon_exits_3_and_every_output_says_so(
    em_server_factory: Factory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    server = em_server_factory(EmulatorConfig())
    monkeypatch.setenv("EM_PASSWORD", "wrong-password")
    report, junit = tmp_path / "r.json", tmp_path / "j.xml"
    options = ["--report", str(report), "--junitxml", str(junit)]
    assert main(["run", "--target", server.base_url, "--username", "administrator", *options]) == 3
    out = capsys.readouterr().out
    assert "refused the logon of 'administrator' (401)" in out and "wrong-password" not in out
    written = json.loads(report.read_text())
    assert written["stop_reason"] == "logon refused" and written["conformant"] is False
    error = ET.parse(junit).getroot().find(".//testcase[@name='run to the end']/error")
    assert error is not None and error.get("type") == "logon refused"


def test_without_a_password_it_says_where_to_put_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("EM_PASSWORD", raising=False)
    assert main(["run", "--target", "https://em:9398/api", "--username", "u"]) == 2
    assert "Set EM_PASSWORD" in capsys.readouterr().err


def test_an_unknown_fault_lists_the_choices(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--fault", "no-such-fault"]) == 2
    err = capsys.readouterr().err
    assert "no-such-fault" in err and "json-bom" in err


def test_config_file_picks_format_and_level(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config, report = tmp_path / "em.toml", tmp_path / "report.json"
    config.write_text(f'format = "json"\nlevel = "must"\nreport = "{report}"\n')
    assert main(["run", "--config", str(config), "--seed", "42"]) == 0
    out, err = capsys.readouterr()
    assert "seed 42 (--seed 42 replays the run)" in out
    document = json.loads(report.read_text())
    assert document["formats"] == ["json"] and document["level"] == "must"
    assert {flow["format"] for flow in document["flows"]} <= {"json", "both"}
    assert {rule["level"] for rule in document["rules"]} == {"MUST", "INFO"}
    assert "em-conformance: [1/11] auth (json)" in err  # plain progress lines off a terminal


def test_outputs_are_written_and_hold_no_secret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from conformance.cassette import read_cassette

    paths = {name: tmp_path / name for name in ("r.json", "r.xml", "c.yaml")}
    code = main(
        [
            "run",
            "--format",
            "xml",
            "--fault",
            "no-session-cookie",
            "--report",
            str(paths["r.json"]),
            "--junitxml",
            str(paths["r.xml"]),
            "--cassette",
            str(paths["c.yaml"]),
        ]
    )
    assert code == 1
    exchanges = read_cassette(paths["c.yaml"])
    assert len(exchanges) > 100 and any(e.label == "delete-job" for e in exchanges)
    text = "".join(p.read_text() for p in paths.values()) + "".join(capsys.readouterr())
    assert "Veeam123!" not in text and "Traceback" not in text
    assert 'failures="1"' in paths["r.xml"].read_text()


def test_an_internal_error_is_a_message_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import conformance._cli.run as command

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(command, "run_suite", broken)
    monkeypatch.delenv("EM_DEBUG", raising=False)
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "internal error (RuntimeError: boom)" in err and "Traceback" not in err
