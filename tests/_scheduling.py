"""How pytest-xdist shares the tests out among its workers (`--dist loadfile`, as
pyproject.toml's addopts ask): each test file on one worker, so its module fixtures and
caches (a built wheel, a full run with several faults) are made once; but the tests of one
fault profile, wherever they are, on one worker together, since they judge one run made
once per worker (tests/_runs.py `fault_run`: live in tests/suite/test_faults.py, offline
in tests/cassette/test_recordings.py).

pytest-xdist's own `xdist_group` mark cannot do this here: `--dist loadgroup` renames
each item's node ID, which pytest 9.2 no longer lets a plugin do, so the mark is silently
ignored (pytest-dev/pytest-xdist#1386, open at the time of writing).  For the same reason
schemathesis' items share one node ID (`test_openapi_conformance`, once per operation);
the file scheduler would run only the first of them, so repeats are told apart here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from xdist.scheduler import LoadFileScheduling
from xdist.workermanage import WorkerController

from conformance.emulator import FAULTS

# The parameter IDs of a test node, `path::name[ids]`.
_IDS = re.compile(r"\[([^\]]*)\]$")


def _told_apart(nodeids: Sequence[str]) -> list[str]:
    """`nodeids`, the second and later of one ID suffixed ` #2`, ` #3`, ..."""
    seen: Counter[str] = Counter()
    told = []
    for nodeid in nodeids:
        seen[nodeid] += 1
        told.append(nodeid if seen[nodeid] == 1 else f"{nodeid} #{seen[nodeid]}")
    return told


class FileOrFaultScheduling(LoadFileScheduling):
    """A test whose parameter ID is a fault profile's name goes with that fault's other
    tests; every other test goes with its file."""

    def add_node_collection(self, node: WorkerController, collection: Sequence[str]) -> None:
        super().add_node_collection(node, _told_apart(collection))

    def _split_scope(self, nodeid: str) -> str:
        ids = _IDS.search(nodeid)
        if ids and ids[1] in FAULTS:
            return f"fault {ids[1]}"
        return super()._split_scope(nodeid)
