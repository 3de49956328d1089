"""Settings: options over EM_* variables over the TOML file over defaults, and every
invalid combination refused with a message that says what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.checks import Level
from conformance.errors import UsageError
from conformance.suite import Settings, load_settings
from conformance.suite.settings import with_seed

TARGET = {"target": "https://em.example:9398/api", "username": "ops"}


def test_defaults_boot_the_emulator_in_both_formats_at_should() -> None:
    settings = load_settings({}, {})
    assert settings.embedded and settings.formats == ("xml", "json")
    assert settings.level is Level.SHOULD and settings.verify is True


def test_a_real_target_fails_only_on_must_unless_asked() -> None:
    assert load_settings(TARGET, {}).level is Level.MUST
    assert load_settings({**TARGET, "level": "should"}, {}).level is Level.SHOULD


def test_job_urns_are_taken_for_their_guid() -> None:
    options = {**TARGET, "destructive": True, "clone_from": "urn:veeam:Job:abc-1"}
    assert load_settings(options, {}).clone_from == "abc-1"


def test_options_beat_variables_beat_the_file(tmp_path: Path) -> None:
    config = tmp_path / "em.toml"
    config.write_text('format = "xml"\nlevel = "must"\ntask-timeout = 5\nusername = "file"\n')
    env = {"EM_LEVEL": "should", "EM_USERNAME": "env", "EM_TARGET": "https://em:9398/api"}
    settings = load_settings({"username": "option", "timeout": None}, env, config)
    assert (settings.username, settings.level, settings.formats) == (
        "option",
        Level.SHOULD,
        ("xml",),
    )
    assert settings.task_timeout == 5.0 and settings.target == "https://em:9398/api"


def test_a_pyproject_table_is_read(tmp_path: Path) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.em-conformance]\nformat = "json"\nfault = ["json-bom"]\n')
    assert load_settings({}, {"EM_CONFIG": str(config)}).faults == ("json-bom",)


def test_the_password_comes_only_from_the_environment(tmp_path: Path) -> None:
    assert load_settings(TARGET, {"EM_PASSWORD": "pw"}).password == "pw"
    assert "pw" not in repr(load_settings(TARGET, {"EM_PASSWORD": "pw"}))
    config = tmp_path / "em.toml"
    config.write_text('password = "hunter2"\n')
    with pytest.raises(UsageError, match="EM_PASSWORD"):
        load_settings({}, {}, config)


def test_the_seed_comes_from_an_option_a_variable_or_the_file(tmp_path: Path) -> None:
    config = tmp_path / "em.toml"
    config.write_text("seed = 5\n")
    assert load_settings({}, {}).seed is None
    assert load_settings({}, {}, config).seed == 5
    assert load_settings({}, {"EM_SEED": "6"}, config).seed == 6
    assert load_settings({"seed": 0}, {"EM_SEED": "6"}, config).seed == 0


def test_a_run_without_a_seed_gets_one_and_a_given_seed_is_kept() -> None:
    assert with_seed(Settings(seed=0)).seed == 0
    chosen = {with_seed(Settings()).seed for _ in range(20)}
    assert None not in chosen and len(chosen) > 1  # fresh each run, so failures differ


def test_a_bare_host_gets_the_api_root() -> None:
    settings = load_settings({**TARGET, "target": "https://em.example:9398"}, {})
    assert settings.target == "https://em.example:9398/api"


@pytest.mark.parametrize(
    ("options", "env", "message"),
    [
        ({"target": "em.example:9398"}, {}, "expected a URL like https://"),
        ({"target": "https://u:p@em/api", "username": "u"}, {}, "no credentials in --target"),
        ({"target": "https://em/api"}, {}, "Give --username"),
        ({**TARGET, "fault": ["json-bom"]}, {}, "embedded emulator only"),
        ({**TARGET, "destructive": True}, {}, "--disposable-job ID or --clone-from ID"),
        ({"disposable_job": ["x"]}, {}, "need --destructive"),
        ({**TARGET, "insecure": True, "ca_bundle": "/etc/hosts"}, {}, "not both"),
        ({**TARGET, "ca_bundle": "/no/such.pem"}, {}, "no such file"),
        ({"insecure": True}, {}, "only with --target"),
        ({}, {"EM_LEVEL": "may"}, "valid choices: must, should, info"),
        ({}, {"EM_FORMAT": "yaml"}, "expected one of xml, json, both"),
        ({}, {"EM_TASK_TIMEOUT": "-1"}, "above 0"),
        ({}, {"EM_DESTRUCTIVE": "perhaps"}, "true or false"),
        ({}, {"EM_SEED": "-3"}, "Invalid seed in \\$EM_SEED: expected a whole number of 0 or more"),
        ({}, {"EM_SEED": "lucky"}, "Invalid seed in \\$EM_SEED"),
    ],
    ids=[
        "no-scheme",
        "credentials-in-url",
        "no-username",
        "fault-remote",
        "destructive-alone",
        "disposable-without-destructive",
        "insecure-and-ca",
        "missing-ca",
        "insecure-embedded",
        "bad-level",
        "bad-format",
        "negative-timeout",
        "bad-bool",
        "negative-seed",
        "word-seed",
    ],
)
def test_invalid_settings_say_what_to_do(options: dict, env: dict, message: str) -> None:
    with pytest.raises(UsageError, match=message.replace("+", r"\+")):
        load_settings(options, env)


def test_unknown_and_broken_config_files(tmp_path: Path) -> None:
    unknown, broken = tmp_path / "unknown.toml", tmp_path / "broken.toml"
    unknown.write_text('colour = "blue"\n')
    broken.write_text("format = \n")
    with pytest.raises(UsageError, match="valid keys: target"):
        load_settings({}, {}, unknown)
    with pytest.raises(UsageError, match="not valid TOML"):
        load_settings({}, {}, broken)
    with pytest.raises(UsageError, match="Cannot read config file"):
        load_settings({}, {}, tmp_path / "missing.toml")


def test_settings_are_frozen() -> None:
    with pytest.raises(AttributeError):
        Settings().target = "x"  # type: ignore[misc]
