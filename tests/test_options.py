"""The option table (conformance/options.py) is the one declaration of every option:
the README's table, every command's `--help`, the pytest plugin's options and the loader
all follow it, and the library defaults are taken from it."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from conformance._cli import COMMANDS as CLI_COMMANDS
from conformance._cli import load
from conformance.checks import Level
from conformance.cli import main
from conformance.client import ClientOptions
from conformance.emulator import EmulatorConfig
from conformance.emulator.server import REQUEST_TIMEOUT
from conformance.errors import UsageError
from conformance.options import (
    CHECK_CASSETTE,
    COMMANDS,
    OPTIONS,
    PYTEST,
    RUN,
    default,
    for_front_end,
    option,
    render_table,
)
from conformance.properties.engine import PropertySettings
from conformance.suite.client_validation import DEFAULT_TASK_DURATION, DEFAULT_TIMEOUT
from conformance.suite.settings import SETTABLE, Settings, load_settings

README = Path(__file__).resolve().parents[1] / "README.md"


def _readme_table() -> str:
    text = README.read_text("utf-8")
    start = text.index("<!-- the options table:")
    end = text.index("<!-- end of the options table -->")
    return text[start:end].split("\n", 1)[1]


def test_the_readme_table_is_the_option_table() -> None:
    assert _readme_table() == render_table(), (
        "README.md's options table is stale: paste the output of `python -m conformance.options`"
    )


def test_every_settings_field_but_the_password_is_an_option() -> None:
    fields = set(Settings.__dataclass_fields__) - {"password"}
    assert set(SETTABLE) == fields


def test_the_settings_defaults_are_the_tables() -> None:
    defaults = Settings()
    assert defaults.timeout == option("timeout").default == 30
    assert defaults.max_examples == option("max-examples").default
    assert defaults.formats == ("xml", "json") and option("format").default == "both"
    assert defaults.max_body == option("max-body").default


def test_the_level_default_depends_on_the_target_as_the_help_says(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert load_settings({}, {}).level is Level.SHOULD
    target = {"target": "https://em.example:9398/api", "username": "ops"}
    assert load_settings(target, {}).level is Level.MUST
    assert main(["run", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "default: should on the embedded emulator, must against --target)" in help_text


@pytest.mark.parametrize("entry", [e for e in OPTIONS if e.field], ids=lambda e: e.name)
def test_a_setting_has_one_name_in_every_source(entry: object, tmp_path: Path) -> None:
    assert isinstance(entry, type(OPTIONS[0]))
    assert entry.env == "EM_" + entry.name.replace("-", "_").upper()
    assert entry.toml_key == entry.name
    assert option(entry.name.replace("-", "_")) is entry
    if RUN in entry.front_ends:
        assert entry.flag_of(RUN) == f"--{entry.name}"
    if PYTEST in entry.front_ends:
        assert entry.flag_of(PYTEST) == f"--em-{entry.name}"


def _spelled(tmp_path: Path, key: str, value: str) -> Settings:
    config = tmp_path / "em.toml"
    config.write_text(f"{key} = {value}\n")
    return load_settings({}, {}, config)


@pytest.mark.parametrize(
    ("key", "value", "field", "expected"),
    [
        ("format", '"json"', "formats", ("json",)),
        ("formats", '"json"', "formats", ("json",)),
        ("fault", '["json-bom"]', "faults", ("json-bom",)),
        ("faults", '["json-bom"]', "faults", ("json-bom",)),
        ("max-examples", "3", "max_examples", 3),
        ("max_examples", "3", "max_examples", 3),
        ("connect-timeout", "2", "connect_timeout", 2.0),
    ],
)
def test_toml_keys_are_the_flag_names_and_the_old_plurals_still_read(
    tmp_path: Path, key: str, value: str, field: str, expected: object
) -> None:
    assert getattr(_spelled(tmp_path, key, value), field) == expected


def test_variables_are_the_flag_names_in_upper_snake_case() -> None:
    env = {"EM_DISPOSABLE_JOB": "a,b", "EM_DESTRUCTIVE": "yes", "EM_MAX_BODY": "1024"}
    settings = load_settings({}, env)
    assert settings.disposable_jobs == ("a", "b") and settings.max_body == 1024


def test_run_declares_every_option_of_the_table_once() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers()
    from conformance._cli.run import register

    register(commands)
    run = commands.choices["run"]
    flags = [flag for action in run._actions for flag in action.option_strings]
    assert len(flags) == len(set(flags))
    assert {f"--{entry.name}" for entry in for_front_end(RUN)} <= set(flags)


def test_a_bad_number_on_the_command_line_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["run", "--max-examples", "0"]) == 2
    assert "argument --max-examples: expected a number above 0" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "flag"),
    [
        (["run", "--timeout", "nan"], "--timeout"),
        (["run", "--timeout", "inf"], "--timeout"),
        (["run", "--task-timeout", "NaN"], "--task-timeout"),
        (["validate-client", "--timeout", "nan", "--", "true"], "--timeout"),
        (["validate-client", "--timeout", "inf", "--", "true"], "--timeout"),
    ],
)
def test_a_number_that_is_not_finite_is_a_usage_error(
    argv: list[str], flag: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # float() reads both; a NaN deadline crashed the run, an infinite one overflowed
    # the socket's timeout (both were internal errors with a traceback).
    assert main(argv) == 2
    assert f"argument {flag}: expected a number above 0" in capsys.readouterr().err


def test_a_fraction_where_a_whole_number_is_meant_is_refused(tmp_path: Path) -> None:
    # TOML has floats; int(1.5) would quietly make a 1-byte body cap.
    config = tmp_path / "em.toml"
    config.write_text("max-body = 1.5\n")
    with pytest.raises(UsageError, match="max-body"):
        load_settings({}, {}, config)
    config.write_text("max-body = 2048.0\n")
    assert load_settings({}, {}, config).max_body == 2048


def test_the_emulator_refuses_a_duration_that_is_not_a_number() -> None:
    with pytest.raises(UsageError, match="task_duration"):
        EmulatorConfig(task_duration=float("nan"))
    with pytest.raises(UsageError, match="run_duration"):
        EmulatorConfig(run_duration=float("nan"))


def test_pytest_help_names_the_pytest_flags() -> None:
    keywords = option("fault").keywords(PYTEST)
    assert keywords["dest"] == "em_fault" and "(no --em-target; repeatable)" in keywords["help"]
    assert re.search(r"--target\b", option("fault").keywords(RUN)["help"])


# Flags no row declares: argparse's own --help, and `run`'s -q/-v (two spellings each, one
# excluding the other, steering the terminal only; the plugin has pytest's own -q and -v).
NOT_IN_THE_TABLE = {"-h", "--help", "-q", "--quiet", "-v", "--verbose"}


def _command_parser(command: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers()
    load(command).register(commands)
    return commands.choices[command]


def _flags(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    return {
        action.option_strings[-1]: action
        for action in parser._actions
        if action.option_strings and not set(action.option_strings) <= NOT_IN_THE_TABLE
    }


@pytest.mark.parametrize("command", COMMANDS)
def test_every_flag_of_a_command_is_a_row_of_the_table(command: str) -> None:
    flags = _flags(_command_parser(command))
    rows = {entry.flag_of(command): entry for entry in for_front_end(command)}
    assert set(flags) == set(rows)
    for flag, action in flags.items():
        words = rows[flag].keywords(command)
        assert (action.help, action.dest) == (words["help"], words["dest"]), flag
        assert action.default == words.get("default"), flag
        assert action.help and action.help.startswith(rows[flag].help), flag


def test_the_table_names_the_commands_there_are() -> None:
    assert set(COMMANDS) == set(CLI_COMMANDS)
    assert {command for entry in OPTIONS for command in entry.commands} == set(COMMANDS)


def test_a_flag_that_means_something_else_is_a_row_named_after_its_command() -> None:
    scoped = [entry for entry in OPTIONS if entry.spelled]
    assert {entry.name for entry in scoped} >= {"validate-client-timeout", "emulate-seed"}
    for entry in scoped:
        (command,) = entry.commands
        assert entry.name == f"{command}-{entry.spelled}"
        assert entry.field is None and entry.env is None and entry.toml_key is None


def test_a_default_without_a_target_is_the_tables_on_every_other_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _command_parser(CHECK_CASSETTE).parse_args(["x.yaml"]).level == "should"
    assert main(["check-cassette", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "(default: should)" in help_text and "against --target" not in help_text
    assert "EM_LEVEL" not in help_text  # only a run reads the variables


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_help_shows_its_table_rows(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    for entry in for_front_end(command):
        assert f"{entry.flag_of(command)}" in out
        assert " ".join(entry.help.split()[:3]) in " ".join(out.split())


def test_a_bad_number_on_another_command_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["validate-client", "--timeout", "0", "--", "true"]) == 2
    assert "argument --timeout: expected a number above 0" in capsys.readouterr().err


def test_library_defaults_are_the_tables() -> None:
    client = ClientOptions()
    assert (client.connect_timeout, client.read_timeout) == (5.0, 30.0)
    assert client.connect_timeout == default("connect-timeout")
    assert client.read_timeout == default("timeout") == Settings().timeout
    assert (client.max_body, client.api_version) == (default("max-body"), default("api-version"))
    properties = PropertySettings("http://em.example/api", "token")
    assert properties.max_examples == default("max-examples") == Settings().max_examples
    assert properties.formats == default("format") and properties.timeout == default("timeout")
    assert DEFAULT_TASK_DURATION == default("validate-client-task-duration") == 2.0
    assert DEFAULT_TIMEOUT == default("validate-client-timeout") == 120.0


def test_the_emulators_own_defaults_agree_with_emulate_s_rows() -> None:
    """EmulatorConfig and EmulatorServer take their library defaults from the table, so the
    emulator run as a library and `emulate` start alike."""
    config = EmulatorConfig()
    assert config.seed == default("emulate-seed") and config.jobs == default("emulate-jobs")
    assert config.task_duration == default("emulate-task-duration")
    assert config.max_sessions == default("max-sessions")
    assert default("request-timeout") == REQUEST_TIMEOUT
