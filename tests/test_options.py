"""The option table (conformance/options.py) is the one declaration of every option:
the README's table, `run --help`, the pytest plugin's options and the loader all follow it."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from conformance.checks import Level
from conformance.cli import main
from conformance.options import OPTIONS, PYTEST, RUN, for_front_end, option, render_table
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


def test_pytest_help_names_the_pytest_flags() -> None:
    keywords = option("fault").keywords(PYTEST)
    assert keywords["dest"] == "em_fault" and "(no --em-target; repeatable)" in keywords["help"]
    assert re.search(r"--target\b", option("fault").keywords(RUN)["help"])
