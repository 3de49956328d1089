"""The way tests are shared out among pytest-xdist's workers (tests/_scheduling.py):
each fault's tests together, every other test with its file, and no test lost to a
repeated node ID."""

from __future__ import annotations

from tests._scheduling import FileOrFaultScheduling, _told_apart


def _scope(nodeid: str) -> str:
    # _split_scope reads nothing of the scheduler's state (no workers needed).
    return FileOrFaultScheduling._split_scope(object.__new__(FileOrFaultScheduling), nodeid)


def test_the_tests_of_one_fault_share_a_worker_wherever_they_are() -> None:
    live = "tests/suite/test_faults.py::test_exactly_its_own_rules_fail[json-bom]"
    offline = "tests/cassette/test_recordings.py::test_each_fault_fails_the_same_rules_offline_as_live[json-bom]"
    assert _scope(live) == _scope(offline) == "fault json-bom"
    assert _scope(live.replace("json-bom", "camelcase-json")) != _scope(live)


def test_every_other_test_goes_with_its_file() -> None:
    assert _scope(
        "tests/suite/test_faults.py::test_every_fault_profile_names_the_rules_it_breaks"
    ) == ("tests/suite/test_faults.py")
    assert _scope("tests/test_polling.py::test_x[not-a-fault]") == "tests/test_polling.py"
    assert _scope("tests/emulator/test_app.py::TestClass::test_y") == "tests/emulator/test_app.py"


def test_repeated_node_ids_are_told_apart_in_order() -> None:
    ids = ["a.py::t", "a.py::t", "a.py::u", "a.py::t"]
    assert _told_apart(ids) == ["a.py::t", "a.py::t #2", "a.py::u", "a.py::t #3"]
    assert _scope("a.py::t #2") == "a.py"
