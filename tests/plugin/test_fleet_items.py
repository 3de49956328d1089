"""`--em-target` twice: one subtree of rule items per server, each server's suite run
once, its report suffixed with its host_port, and items grouped for pytest-xdist."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

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
