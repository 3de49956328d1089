"""Job listings served from cached bytes while the inventory stays the same.

A listing is rendered once per inventory version, negotiated format, base URL and
query shape; any change to the inventory (a job added, removed, published, a schedule
toggled, a session started or stopped) gives it a new version, so the next request
renders afresh. Faults are fixed for an emulator's life, so they need no key.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from conformance.emulator.bodies import Body, Template
from conformance.emulator.context import Context
from conformance.emulator.inventory import BackupServer, Job
from conformance.emulator.state import State
from conformance.emulator.wire import Reply, collection

__all__ = ["listing"]


def listing(state: State, context: Context, kind: str,
            render: Callable[[list[Job], BackupServer], Body], shape: Hashable = ()) -> Reply:  # fmt: skip
    """200 with the jobs of `kind` rendered by `render`; `shape` names what else the
    rendering depends on (format=Entity, a fault's extra link)."""
    inventory = state.inventory
    jobs = inventory.jobs(kind)
    body = render(jobs, inventory.server)
    template = Template(("jobs", kind, context.base, shape), body, version=inventory.version)
    return Reply(200, collection(template, len(jobs)))
