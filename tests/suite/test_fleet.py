"""Fleets: several targets run concurrently, each with its own outputs, one combined
summary naming the servers that failed, and the worst exit code."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from conformance.cli import main
from conformance.emulator import EmulatorConfig
from conformance.emulator.server import EmulatorServer
from conformance.errors import UsageError
from conformance.suite.fleet import FleetMember, fleet_members, member_label, run_fleet, suffixed
from conformance.suite.runner import StopReason

Factory = Callable[[EmulatorConfig], EmulatorServer]


@pytest.fixture(autouse=True)
def _one_example(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EM_MAX_EXAMPLES", "1")
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


def test_a_fleet_of_eight_with_one_faulty_server_names_that_server_only(
    em_server_factory: Factory,
    em_password: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    servers = [em_server_factory(EmulatorConfig(seed=n)) for n in range(7)]
    faulty = em_server_factory(EmulatorConfig(seed=7, faults=("camelcase-json",)))
    servers.insert(5, faulty)
    targets = [word for server in servers for word in ("--target", server.base_url)]
    outputs = ["--report", str(tmp_path / "report.json"), "--junitxml", str(tmp_path / "j.xml")]
    argv = ["run", *targets, "--username", "administrator", "--parallel", "4", *outputs]
    assert main(argv) == 1
    out = capsys.readouterr().out
    labels = [member_label(server.base_url) for server in servers]
    verdict = out.rstrip("\n").rsplit("\n", 1)[-1]
    assert verdict.startswith("FLEET NOT CONFORMANT: 1 of 8 server(s) did not pass")
    assert f"{member_label(faulty.base_url)} (exit 1)" in verdict
    assert [label for label in labels if label in verdict] == [member_label(faulty.base_url)]
    assert out.count("== ") == 1 and "EM-NEG-007" in out  # the faulty server's summary only
    for label in labels:
        report = json.loads((tmp_path / f"report-{label}.json").read_text())
        assert report["exit_code"] == (1 if label == member_label(faulty.base_url) else 0)
        assert (tmp_path / f"j-{label}.xml").is_file()
        assert label in out  # a row per server


def test_a_toml_fleet_gives_each_server_its_own_password_variable(
    em_server_factory: Factory,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    paris, lyon = em_server_factory(EmulatorConfig()), em_server_factory(EmulatorConfig(seed=2))
    config = tmp_path / "fleet.toml"
    config.write_text(
        'username = "administrator"\nformat = "json"\n'
        f'[[targets]]\nurl = "{paris.base_url}"\npassword_env = "EM_PASSWORD_PARIS"\n'
        f'[[targets]]\nurl = "{lyon.base_url}"\nusername = "administrator"\n'
        'password_env = "EM_PASSWORD_LYON"\n'
    )
    monkeypatch.delenv("EM_PASSWORD", raising=False)
    monkeypatch.setenv("EM_PASSWORD_PARIS", "Veeam123!")
    assert main(["run", "--config", str(config)]) == 2
    assert "Set EM_PASSWORD_LYON" in capsys.readouterr().err
    monkeypatch.setenv("EM_PASSWORD_LYON", "Veeam123!")
    assert main(["run", "--config", str(config), "-q"]) == 0
    assert capsys.readouterr().out == "FLEET CONFORMANT: all 2 server(s) conformant (exit 0)\n"


def test_an_unreachable_member_gives_the_fleet_exit_3(
    em_server_factory: Factory, em_password: str, capsys: pytest.CaptureFixture[str]
) -> None:
    server = em_server_factory(EmulatorConfig())
    argv = ["run", "--target", server.base_url, "--target", "http://127.0.0.1:9/api"]
    assert main([*argv, "--username", "administrator", "--format", "json"]) == 3
    out = capsys.readouterr().out
    assert "STOPPED (unreachable)" in out and "127.0.0.1_9 (exit 3)" in out


def test_output_names_carry_the_host_and_port() -> None:
    assert member_label("https://em1.corp:9398/api") == "em1.corp_9398"
    assert member_label("https://em1.corp/api") == "em1.corp_443"
    assert suffixed(Path("out/junit.xml"), "em1.corp_9398") == Path("out/junit-em1.corp_9398.xml")
    assert suffixed(None, "x") is None


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([{"url": "https://a:9398/api"}, {"url": "https://a:9398/api/"}], "listed twice"),
        ([{"url": "https://a:9398/api", "colour": "red"}], "Unknown key 'colour'"),
        ([{"username": "u"}], "needs a url"),
    ],
    ids=["twice", "unknown-key", "no-url"],
)
def test_fleet_configuration_mistakes_are_usage_errors(
    entries: list[dict[str, str]], message: str
) -> None:
    env = {"EM_PASSWORD": "x", "EM_USERNAME": "u"}
    with pytest.raises(UsageError, match=message):
        fleet_members(entries, {}, env)


def _members(servers: list[EmulatorServer]) -> list[FleetMember]:
    entries = [{"url": server.base_url} for server in servers]
    options = {"username": "administrator", "max_examples": 1, "formats": "json"}
    return fleet_members(entries, options, {"EM_PASSWORD": "Veeam123!"})


def test_a_stopped_fleet_ends_runs_at_a_flow_boundary_and_starts_no_more(
    em_server_factory: Factory,
) -> None:
    members = _members([em_server_factory(EmulatorConfig()) for _ in range(2)])
    stop = threading.Event()

    def progress(label: str, line: str) -> None:
        if line.startswith("[2/"):
            stop.set()  # as Ctrl-C in the main thread does

    fleet = run_fleet(members, parallel=1, progress=progress, stop=stop)
    first, second = fleet.runs
    assert first.result is not None and first.result.stop_reason == StopReason.INTERRUPTED
    assert first.exit_code == 130 and first.result.sessions_left_open == ()
    assert second.result is None and second.error == "not run: the fleet was stopped"
    assert fleet.exit_code == 130


def test_an_internal_error_on_one_server_is_its_row_not_a_crash(
    em_server_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    members = _members([em_server_factory(EmulatorConfig())])

    def broken(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("conformance.suite.fleet.run_suite", broken)
    (run,) = run_fleet(members).runs
    assert run.exit_code == 2 and run.error == "internal error (RuntimeError: boom)"
