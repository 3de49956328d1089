"""A fleet in pytest: `--em-target` given more than once puts one subtree per server under
`em-conformance` (`em-conformance::<host_port>::<area>::<rule ID>`), each server's suite
run once per process, when its first item asks for it.  Under `pytest -n auto --dist
loadgroup` (pytest-xdist) the plugin's scheduler (_plugin/_xdist.py) runs each server's
items on one worker and spreads the servers over the workers; the items also carry
`xdist_group(name=<host_port>)` for pytest-xdist releases that honour it."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conformance.suite import JudgedResult, Settings
    from conformance.suite.fleet import FleetMember

__all__ = ["MEMBERS", "RUNS", "fleet_result"]

MEMBERS = pytest.StashKey[list["FleetMember"]]()
RUNS = pytest.StashKey[dict[str, "JudgedResult | str"]]()
_LOCK = threading.Lock()


def fleet_result(config: pytest.Config, label: str) -> JudgedResult:
    """The run of the fleet's server `label`, made on first use; its errors fail the item."""
    from conformance.errors import Error
    from conformance.suite import run_suite

    runs = config.stash.setdefault(RUNS, {})
    with _LOCK:
        if label not in runs:
            member = next(m for m in config.stash[MEMBERS] if m.label == label)
            try:
                result = run_suite(member.settings)
                _write(result, member.settings)
                runs[label] = result
            except Error as exc:
                runs[label] = f"em-conformance: {label}: {exc}"
    found = runs[label]
    if isinstance(found, str):
        pytest.fail(found, pytrace=False)
    return found


def _write(result: JudgedResult, settings: Settings) -> None:
    from conformance._plugin.suite_plugin import _write_outputs

    _write_outputs(result, settings)
