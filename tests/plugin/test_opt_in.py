"""Opting in, options, markers and the fixtures for a user's own tests: a plain `pytest`
with the plugin installed changes nothing and contacts nothing."""

from __future__ import annotations

import pytest

import conformance.suite
import conformance.suite.target
from conformance.checks import REGISTRY

from ._inner import output, run

pytest_plugins = ["pytester"]

PLAIN_TEST = "def test_own():\n    assert True\n"


@pytest.fixture
def _nothing_contacted(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make running the suite or opening a target a test failure inside the inner run."""

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("the plugin contacted a target without being asked to")

    monkeypatch.setattr(conformance.suite, "run_suite", forbidden)
    monkeypatch.setattr(conformance.suite.target, "open_target", forbidden)


@pytest.mark.usefixtures("_nothing_contacted")
@pytest.mark.parametrize(
    ("args", "env"),
    [
        pytest.param((), {}, id="plain"),
        pytest.param(("--em-level", "should", "--em-format", "json"), {}, id="em-options"),
        pytest.param((), {"EM_TARGET": "http://127.0.0.1:9/api"}, id="EM_TARGET-alone"),
    ],
)
def test_without_the_opt_in_nothing_is_added(
    pytester: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    env: dict[str, str],
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    pytester.makepyfile(test_own=PLAIN_TEST)
    result = run(pytester, "-v", *args)
    result.assert_outcomes(passed=1)
    assert "em-conformance::" not in result.stdout.str()
    assert "- em-conformance -" not in result.stdout.str()


@pytest.mark.usefixtures("_nothing_contacted")
def test_the_guard_above_catches_a_run(pytester: pytest.Pytester) -> None:
    result = run(pytester, "--em-run", "-k", "EM-LOGON-001")
    result.assert_outcomes(errors=1, deselected=len(REGISTRY.rules()) - 1)
    result.stdout.fnmatch_lines(["*contacted a target without being asked to*"])


def test_the_options_form_one_group_without_a_password(pytester: pytest.Pytester) -> None:
    result = run(pytester, "--help")
    result.stdout.fnmatch_lines(["em-conformance (password: EM_PASSWORD only):"])
    flags = ["run", "target=URL", "username=USER", "ca-bundle=FILE", "insecure", "api-version=V",
             "format={xml,json,both}", "level={must,should}", "max-examples=N",
             "task-timeout=SECONDS", "destructive", "disposable-job=ID", "clone-from=ID",
             "fault=NAME", "report=FILE", "cassette=FILE", "config=FILE"]  # fmt: skip
    result.stdout.fnmatch_lines_random([f"  --em-{flag}*" for flag in flags])
    assert "--em-password" not in result.stdout.str()


def test_markers_are_registered_for_strict_projects(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_marked="""
        import pytest

        @pytest.mark.em_area("logon")
        def test_area():
            pass

        @pytest.mark.em_destructive
        def test_deletes_on_the_throwaway_emulator():
            pass
        """
    )
    result = run(pytester, "--strict-markers")
    # Against the embedded emulator (no target configured) a destructive test may run.
    result.assert_outcomes(passed=2)
    markers = run(pytester, "--markers").stdout
    markers.fnmatch_lines_random(["@pytest.mark.em_destructive:*", "@pytest.mark.em_area(name):*"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ("--em-target", "https://em.invalid:9398/api", "--em-username", "u"),
            "Set EM_PASSWORD*",
            id="no-password",
        ),
        pytest.param(("--em-password", "x"), "*unrecognized arguments: --em-password*", id="no-option"),
        pytest.param(("--em-run", "--em-fault", "no-such"), "*Unknown fault profile(s): no-such*", id="fault"),
        pytest.param(("--em-target", "ftp://em"), "*Invalid --target 'ftp://em'*", id="bad-url"),
        pytest.param(("--em-run", "--em-config", "missing.toml"), "*Cannot read config file*", id="config"),
    ],
)  # fmt: skip
def test_a_bad_configuration_is_a_usage_error(
    pytester: pytest.Pytester, args: tuple[str, ...], message: str
) -> None:
    result = run(pytester, *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*{message}"])
    assert "Traceback" not in output(result)


SETTINGS_TEST = """
from pathlib import Path

def test_settings(em_settings):
    assert em_settings.formats == ("json",)          # EM_FORMAT
    assert em_settings.level.value == "MUST"          # the TOML file
    assert em_settings.max_examples == 5              # the TOML file
    assert em_settings.task_timeout == 7.0            # the option beats EM_TASK_TIMEOUT
    assert em_settings.report == Path("out.json")     # the option
    assert em_settings.seed == 3                      # the option beats EM_SEED
"""


def test_settings_come_from_options_env_and_toml(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(test_settings=SETTINGS_TEST)
    pytester.makefile(".toml", em='[tool.em-conformance]\nlevel = "must"\nmax-examples = 5\n')
    monkeypatch.setenv("EM_FORMAT", "json")
    monkeypatch.setenv("EM_TASK_TIMEOUT", "99")
    monkeypatch.setenv("EM_SEED", "8")
    result = run(
        pytester, "--em-config", "em.toml", "--em-task-timeout", "7", "--em-report=out.json",
        "--em-seed", "3",
    )  # fmt: skip
    result.assert_outcomes(passed=1)


OWN_TESTS = """
import pytest
import requests

def test_entry_point_of_the_target(em_target):
    response = requests.get(em_target.base_url + "/", verify=em_target.verify, timeout=10)
    assert response.status_code == 200 and em_target.embedded

@pytest.mark.em_destructive
def test_destructive(em_target):
    pass
"""


def test_own_tests_get_em_target(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_own=OWN_TESTS)
    run(pytester).assert_outcomes(passed=2)


READ_ONLY_TESTS = """
import pytest

def test_unmarked():
    pass

@pytest.mark.em_destructive
def test_destructive(em_target):
    raise AssertionError("must not run against a read-only target")
"""


def test_own_destructive_tests_skip_against_a_read_only_target(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    # EM_TARGET configures em_settings without adding the suite; nothing is contacted.
    monkeypatch.setenv("EM_TARGET", "https://em.invalid:9398/api")
    monkeypatch.setenv("EM_USERNAME", "u")
    monkeypatch.setenv("EM_PASSWORD", "p")
    pytester.makepyfile(test_own=READ_ONLY_TESTS)
    result = run(pytester, "-rs")
    result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines(["SKIPPED * em_destructive: needs --em-destructive*"])
