"""`run --quiet` (the verdict line only), `run --verbose` (each exchange as it is made)
and colour: on a terminal only, never with NO_COLOR."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest

from conformance._cli._console import colour_wanted, exchange_line, paint_verdict
from conformance.cli import main
from conformance.emulator import EmulatorConfig
from conformance.emulator.server import EmulatorServer
from conformance.exchange import Exchange, RecordedRequest, RecordedResponse

Factory = Callable[[EmulatorConfig], EmulatorServer]
UNREACHABLE = ["run", "--target", "http://127.0.0.1:9/api", "--username", "u"]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_quiet_prints_the_verdict_line_only(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("EM_PASSWORD", "x")
    assert main([*UNREACHABLE, "--quiet"]) == 3
    captured = capsys.readouterr()
    assert captured.out.startswith("STOPPED (unreachable)") and captured.out.count("\n") == 1
    assert captured.err == ""


def test_verbose_prints_each_request_line_and_status(
    em_server_factory: Factory, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    server = em_server_factory(EmulatorConfig())
    monkeypatch.setenv("EM_PASSWORD", "wrong-password")
    argv = ["run", "-v", "--target", server.base_url, "--username", "administrator"]
    assert main(argv) == 3
    err = capsys.readouterr().err
    assert "em-conformance: GET /api/ -> 200" in err
    assert "em-conformance: POST /api/sessionMngr/?v=latest -> 401" in err
    assert "wrong-password" not in err and "X-RestSvcSessionId" not in err


def test_quiet_and_verbose_exclude_each_other(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "-q", "-v"]) == 2
    assert "not allowed with argument" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("no_color", "painted"),
    [(None, True), ("1", False), ("", True)],
    ids=["tty", "no-color", "empty"],
)
def test_the_verdict_is_coloured_on_a_terminal_unless_no_color(
    monkeypatch: pytest.MonkeyPatch, no_color: str | None, painted: bool
) -> None:
    monkeypatch.setenv("EM_PASSWORD", "x")
    monkeypatch.delenv("TERM", raising=False)
    if no_color is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", no_color)
    terminal = _Terminal()
    monkeypatch.setattr("sys.stdout", terminal)
    assert main([*UNREACHABLE, "-q"]) == 3
    assert ("\x1b[1;33mSTOPPED" in terminal.getvalue()) is painted
    assert ("\x1b[" in terminal.getvalue()) is painted


def test_no_colour_off_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("EM_PASSWORD", "x")
    monkeypatch.delenv("NO_COLOR", raising=False)
    main(UNREACHABLE)
    assert "\x1b[" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("env", "tty", "wanted"),
    [({}, True, True), ({}, False, False), ({"TERM": "dumb"}, True, False)],
    ids=["terminal", "pipe", "dumb"],
)
def test_colour_wanted(env: dict[str, str], tty: bool, wanted: bool) -> None:
    stream = _Terminal() if tty else io.StringIO()
    assert colour_wanted(stream, env) is wanted


def test_the_verdict_colour_follows_the_exit_code() -> None:
    assert paint_verdict("CONFORMANT", 0, True) == "\x1b[1;32mCONFORMANT\x1b[0m"
    assert paint_verdict("NOT CONFORMANT", 1, True).startswith("\x1b[1;31m")
    assert paint_verdict("NOT CONFORMANT", 1, False) == "NOT CONFORMANT"


def test_an_exchange_line_shows_no_headers() -> None:
    request = RecordedRequest.build(
        "DELETE", "https://em:9398/api/jobs/abc?v=latest", {"X-RestSvcSessionId": "secret"}
    )
    exchange = Exchange(request, RecordedResponse.build(202, elapsed=0.012), "delete-job")
    assert exchange_line(exchange) == "DELETE /api/jobs/abc?v=latest -> 202 (12 ms)  [delete-job]"
