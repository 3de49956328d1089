"""pytest-xdist: under `--dist loadgroup`, each server's rule items on one worker.

A fleet's items carry `xdist_group(name=<host_port>)`, but pytest-xdist applies that mark by
renaming each item's node ID, which pytest 9.2 no longer lets a plugin do, so the mark is
silently ignored there and a server's items spread over the workers, each of which would
then run that server's suite again (pytest-dev/pytest-xdist#1386).  The rule items' node
IDs name their server already, so this scheduler groups by that: every item of one server
(`em-conformance::<host_port>::<area>::<rule>`) on one worker, the items of a single target
(`em-conformance::<area>::<rule>`) on one worker, every other test as loadgroup places it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pytest

__all__ = ["ROOT", "group_of", "make_scheduler"]

ROOT = "em-conformance"


def group_of(nodeid: str) -> str | None:
    """The worker group of a rule item's node ID (its server, or the single target's);
    None for any other test."""
    parts = nodeid.split("::")
    if parts[0] != ROOT or len(parts) < 3:
        return None
    return "::".join(parts[:2]) if len(parts) >= 4 else ROOT


def make_scheduler(config: pytest.Config, log: Any) -> Any:
    """pytest-xdist's loadgroup scheduler, grouping the rule items by server."""
    from xdist.scheduler import LoadGroupScheduling

    class ServerGrouping(LoadGroupScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            group = group_of(nodeid)
            return group if group is not None else str(super()._split_scope(nodeid))

    return ServerGrouping(config, log)
