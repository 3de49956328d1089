"""`--em-target` twice: one subtree of rule items per server, each server's suite run
once, its report suffixed with its host_port, and items grouped for pytest-xdist."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator

import pytest

from conformance._plugin._xdist import group_of
from conformance.emulator import PORTAL_ADMINISTRATOR, EmulatorConfig, User
from conformance.emulator.server import EmulatorServer
from conformance.suite.fleet import member_label

from ._inner import run
from .conftest import SECRET, USERNAME

pytest_plugins = ["pytester"]


@pytest.fixture
def fleet(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[EmulatorServer, EmulatorServer]]:
    monkeypatch.setenv("EM_PASSWORD", SECRET)
    users = (User(USERNAME, SECRET, PORTAL_ADMINISTRATOR),)
    good = EmulatorServer(EmulatorConfig(users=users))
    bad = EmulatorServer(EmulatorConfig(users=users, faults=("camelcase-json",)))
    with good, bad:
        yield good, bad


def _args(good: EmulatorServer, bad: EmulatorServer) -> tuple[str, ...]:
    return ("--em-target", good.base_url, "--em-target", bad.base_url, "--em-username", USERNAME)


def test_each_server_has_its_own_items_and_verdicts(
    pytester: pytest.Pytester, fleet: tuple[EmulatorServer, EmulatorServer]
) -> None:
    good, bad = fleet
    args = (*_args(good, bad), "--em-max-examples", "1", "--em-report", "report.json")
    result = run(pytester, *args, "-k", "EM-NEG-007", "-rA")
    result.assert_outcomes(passed=1, failed=1, deselected=result.parseoutcomes()["deselected"])
    ok, faulty = member_label(good.base_url), member_label(bad.base_url)
    result.stdout.fnmatch_lines(
        [
            f"PASSED em-conformance::{ok}::negotiation::EM-NEG-007",
            f"FAILED em-conformance::{faulty}::negotiation::EM-NEG-007*",
        ],
        consecutive=False,
    )
    for label, code in ((ok, 0), (faulty, 1)):
        report = json.loads((pytester.path / f"report-{label}.json").read_text())
        assert report["exit_code"] == code


def test_fleet_items_are_grouped_for_xdist(
    pytester: pytest.Pytester, fleet: tuple[EmulatorServer, EmulatorServer]
) -> None:
    good, bad = fleet
    items, _ = pytester.inline_genitems("-p", "no:cacheprovider", *_args(good, bad))
    labels = {member_label(good.base_url), member_label(bad.base_url)}
    assert {item.nodeid.split("::")[1] for item in items} == labels
    for item in items:
        group = item.get_closest_marker("xdist_group")
        assert group is not None and group.kwargs["name"] == item.nodeid.split("::")[1]
    assert len(items) % 2 == 0 and not good.emulator.journal.entries()  # nothing sent yet


def test_rule_items_are_grouped_by_server() -> None:
    assert group_of("em-conformance::em1_9398::task::EM-TASK-003") == "em-conformance::em1_9398"
    assert group_of("em-conformance::task::EM-TASK-003") == "em-conformance"
    assert group_of("tests/test_x.py::test_y") is None
    assert group_of("em-conformance") is None


def test_under_loadgroup_each_servers_items_run_on_one_worker(
    pytester: pytest.Pytester, fleet: tuple[EmulatorServer, EmulatorServer]
) -> None:
    # pytest-xdist's own xdist_group mark is ignored under pytest 9.2 (pytest-xdist#1386):
    # without the plugin's scheduler a server's items spread, and each worker runs its suite.
    good, bad = fleet
    args = (*_args(good, bad), "--em-max-examples", "1", "-k", "negotiation or logon")
    result = run(pytester, *args, "-n", "2", "--dist", "loadgroup", "-v")
    placed: dict[str, set[str]] = defaultdict(set)
    for line in result.stdout.lines:
        found = re.search(r"\[(gw\d+)\].* (?:PASSED|FAILED) em-conformance::([^:]+)::", line)
        if found:
            placed[found[2]].add(found[1])
    assert set(placed) == {member_label(good.base_url), member_label(bad.base_url)}
    assert all(len(workers) == 1 for workers in placed.values()), placed
