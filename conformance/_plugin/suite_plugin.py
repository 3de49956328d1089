"""The conformance suite as a pytest plugin: `--em-*` options, markers, fixtures, rule items.

    pytest --em-run                          # the suite against the embedded emulator
    EM_PASSWORD=... pytest --em-target https://em.example:9398/api --em-username 'DOMAIN\\user'
    pytest --em-run -m em_area               # the suite's items only, not the project's tests

**Opting in.** A plain `pytest` in a project that merely has em-conformance installed
collects nothing new and contacts nothing.  The suite joins the session only when the
command line (or `addopts`) says `--em-run` or `--em-target URL`.  An `EM_TARGET` variable
alone does not opt in (a variable left in a shell must not turn every test run into a
conformance run); once opted in, `EM_*` variables and the `--em-config` TOML file configure
the run exactly as they do `em-conformance run` (`conformance.suite.load_settings`).  The
password comes from `EM_PASSWORD` only: there is no option for it, and pytest cannot prompt.

**The items.** One per rule of the catalogue, node ID `em-conformance::<area>::<rule ID>`
(e.g. `em-conformance::task::EM-TASK-003`); `--junitxml` names each case by its rule ID
with classname `em-conformance.<area>`.  The flows run once, in `em_suite_run`, when the
first item asks for it; each item then judges the recorded exchanges: failed with Expected
/ Received and the doc page, skipped when the rule could not be judged (or is a SHOULD rule
at `--em-level must`), passed otherwise; INFO rules never fail.  Exit code: pytest's.

**Fixtures**, layered and overridable (the suite's items see overrides made in a plugin or
the rootdir conftest.py):

- `em_settings` (session): the `Settings` of the run, from the sources above;
- `em_target` (session): the target of `em_settings` for your own tests: the embedded
  emulator, started for the session, or the configured server (a `Target`: `base_url`,
  `verify`, `username`, `password`);
- `em_suite_run` (session): the suite's `JudgedResult` (exchanges, verdicts, flows) for the
  `em_settings`.  It opens its own connection to the target (`run_suite` takes settings),
  so against the embedded emulator your tests' `em_target` is a separate, untouched emulator.

**Markers:** `em_destructive` (the test deletes or creates objects on the target: skipped
unless `--em-destructive` is given or the target is the throw-away embedded emulator;
`-m "not em_destructive"` leaves such items out) and `em_area(name)` (a rule item of that
area: `-m "em_area(name='task')"` selects one area, `-m em_area` the whole suite).
`--log-cli-level=INFO` shows the suite's progress while the flows run.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

from conformance._plugin._suite_items import SuiteCollector
from conformance.options import PYTEST, for_front_end, given_settings

if TYPE_CHECKING:
    from conformance.suite import JudgedResult, Settings
    from conformance.suite.target import Target

__all__ = [
    "em_destructive_guard",
    "em_settings",
    "em_suite_run",
    "em_target",
    "opted_in",
    "pytest_addoption",
    "pytest_configure",
    "pytest_make_collect_report",
    "pytest_terminal_summary",
    "settings_of",
]

_LOG = logging.getLogger("conformance.suite")
_RESULT = pytest.StashKey[tuple["JudgedResult", "Settings"]]()

MARKERS = (
    "em_destructive: deletes or creates objects on the target; skipped unless --em-destructive"
    " is given or the target is the embedded emulator",
    "em_area(name): a conformance rule item of that area (logon, negotiation, task, ...);"
    " select one with -m \"em_area(name='task')\"",
)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("em-conformance", "em-conformance (password: EM_PASSWORD only)")
    for entry in for_front_end(PYTEST):  # conformance.options: one table for every front end
        group.addoption(f"--em-{entry.name}", **entry.keywords(PYTEST))


def _given(config: pytest.Config) -> dict[str, Any]:
    """The settings given as `--em-*` options, by `Settings` field (None: not given)."""
    return given_settings(PYTEST, config.getoption)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Under `--dist loadgroup`, each server's rule items on one worker (_plugin/_xdist.py)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from conformance._plugin._xdist import make_scheduler

    return make_scheduler(config, log)


def pytest_configure(config: pytest.Config) -> None:
    for marker in MARKERS:
        config.addinivalue_line("markers", marker)
    if not config.pluginmanager.hasplugin("xdist"):  # fleet items carry it (_plugin/_fleet.py)
        config.addinivalue_line("markers", "xdist_group(name): pytest-xdist's --dist loadgroup")
    if opted_in(config):
        _validate(config)


def opted_in(config: pytest.Config) -> bool:
    """Whether the command line asked for the suite: `--em-run` or `--em-target URL`."""
    return bool(config.getoption("em_run") or config.getoption("em_target"))


def _validate(config: pytest.Config) -> None:
    """Refuse a bad configuration before collecting: pytest's usage error (exit code 4)."""
    from conformance.errors import UsageError

    try:
        settings = settings_of(config)
        _fleet_members(config)
        if settings.faults:
            from conformance.emulator.faults import FaultSet

            FaultSet(settings.faults)
    except UsageError as exc:
        raise pytest.UsageError(f"em-conformance: {exc}") from None


def settings_of(config: pytest.Config) -> Settings:
    """The `Settings` of the `--em-*` options, the `EM_*` variables and the TOML file."""
    from conformance.errors import UsageError
    from conformance.suite import load_settings

    options = _given(config)
    options["target"] = (options["target"] or [None])[0]  # a fleet's first, for em_target
    toml = config.getoption("em_config")
    settings = load_settings(options, os.environ, Path(toml) if toml else None)
    if not settings.embedded and not settings.password:
        raise UsageError(
            "Set EM_PASSWORD: the password is never an option, and pytest cannot prompt for it."
        )
    return settings


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    """Hang the suite's tree under the session, after the project's own tests."""
    report = yield
    if isinstance(collector, pytest.Session) and report.passed and opted_in(collector.config):
        report.result.append(SuiteCollector.under(collector))
    return report


@contextmanager
def _as_failure() -> Iterator[None]:
    """An em-conformance error (usage, unreachable target) as a short failure, no traceback."""
    from conformance.errors import Error

    try:
        yield
    except Error as exc:
        _fail(exc)


def _fail(exc: Exception) -> NoReturn:
    pytest.fail(f"em-conformance: {exc}", pytrace=False)


@pytest.fixture(scope="session")
def em_settings(pytestconfig: pytest.Config) -> Settings:
    """The run's `Settings`: `--em-*` options, then `EM_*` variables, then the TOML file."""
    from conformance.errors import Error

    try:
        return settings_of(pytestconfig)
    except Error as exc:
        _fail(exc)


@pytest.fixture(scope="session")
def em_target(em_settings: Settings) -> Iterator[Target]:
    """The target for the session: the embedded emulator (started now) or the configured one."""
    from conformance.suite.target import open_target

    with _as_failure(), open_target(em_settings) as target:
        yield target


@pytest.fixture(scope="session")
def em_suite_run(em_settings: Settings, pytestconfig: pytest.Config) -> JudgedResult:
    """The suite, run once: every flow in each format, the recording judged at the level."""
    from conformance.suite import run_suite

    with _as_failure():
        result = run_suite(em_settings, _LOG.info)
        _write_outputs(result, em_settings)
    pytestconfig.stash[_RESULT] = (result, em_settings)
    return result


def _write_outputs(result: JudgedResult, settings: Settings) -> None:
    from conformance.suite.outputs import write_outputs

    write_outputs(result, settings)


@pytest.fixture(autouse=True)
def em_destructive_guard(request: pytest.FixtureRequest) -> None:
    """Skip a test marked `em_destructive` unless the run may delete; unmarked tests pay
    nothing (em_settings is not even loaded for them)."""
    if request.node.get_closest_marker("em_destructive") is None:
        return
    settings: Settings = request.getfixturevalue("em_settings")
    if not (settings.destructive or settings.embedded):
        pytest.skip(
            "em_destructive: needs --em-destructive with --em-disposable-job ID or"
            " --em-clone-from ID (read-only run against a real target)"
        )


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from conformance._plugin._fleet import MEMBERS, RUNS

    stash = terminalreporter.config.stash
    results = [stash[_RESULT]] if _RESULT in stash else []
    members = {member.label: member.settings for member in stash.get(MEMBERS, [])}
    runs = stash.get(RUNS, {}).items()
    results += [(run, members[label]) for label, run in runs if not isinstance(run, str)]
    if not results:
        return
    terminalreporter.write_sep("-", "em-conformance")
    for result, settings in results:
        for line in summary_lines(result, settings):
            terminalreporter.write_line(line)


def summary_lines(result: JudgedResult, settings: Settings) -> list[str]:
    """What the items do not say: the target, the run's size, the flows that did not run,
    and the files the run wrote (`settings` names them)."""
    subject = result.subject
    where = subject.described + (f", faults {', '.join(result.faults)}" if result.faults else "")
    ran = sum(record.status == "ran" for record in result.flows)
    lines = [
        f"{subject.name} ({where}); level {result.level.value.lower()},"
        f" formats {'+'.join(result.formats)}",
        f"{len(result.exchanges)} requests in {result.duration:.1f} s;"
        f" {ran} of {len(result.flows)} flow runs ran; seed {result.seed}"
        f" (--em-seed {result.seed} replays the run)",
    ]
    lines += [f"  {r.flow} ({r.format}) {r.status}: {r.reason}" for r in result.flows if r.reason]
    lines += [f"STOPPED: {result.stopped}"] if result.stopped else []
    lines += [f"JSON report: {settings.report}"] if settings.report else []
    return lines + ([f"cassette: {settings.cassette}"] if settings.cassette else [])


def _fleet_members(config: pytest.Config) -> None:
    """Two or more --em-target: each server's settings, stashed for the collection."""
    from conformance._plugin._fleet import MEMBERS
    from conformance.suite.fleet import fleet_members

    targets = config.getoption("em_target") or []
    if len(targets) < 2:
        return
    options = {name: value for name, value in _given(config).items() if name != "target"}
    toml = config.getoption("em_config")
    entries = [{"url": url} for url in targets]
    members = fleet_members(entries, options, os.environ, Path(toml) if toml else None)
    config.stash[MEMBERS] = members
