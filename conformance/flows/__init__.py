"""Flows: scenarios driven against a target, each leaving labelled, tagged exchanges.

`FLOWS` lists them in the order the runner plays them.  A flow marked `destructive`
deletes a disposable job and runs only when the safety guard allows it; one marked
`per_format` runs once in XML and once in JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from conformance.flows.auth import run_auth
from conformance.flows.base import FlowAborted, FlowContext, FlowRun, FlowSkipped
from conformance.flows.cancellation import run_delete_and_cancel
from conformance.flows.deletion import run_cleanup, run_delete_and_poll, run_delete_running_job
from conformance.flows.disposable import JobSupply
from conformance.flows.isolation import run_isolation
from conformance.flows.negotiation import run_negotiation
from conformance.flows.robustness import run_robustness
from conformance.flows.safety import run_safety

__all__ = [
    "FLOWS",
    "Flow",
    "FlowAborted",
    "FlowContext",
    "FlowRun",
    "FlowSkipped",
    "JobSupply",
]


@dataclass(frozen=True)
class Flow:
    """A named scenario; `embedded_only` flows start jobs, which only the emulator allows."""

    name: str
    play: Callable[[FlowRun], None]
    destructive: bool = False
    per_format: bool = True
    embedded_only: bool = False


def run_id_probes(run: FlowRun) -> None:
    """`flows.properties.run_id_probes`, imported when played: it needs hypothesis and
    schemathesis, which every front end would otherwise load at start-up."""
    from conformance.flows import properties

    properties.run_id_probes(run)


def run_property_based(run: FlowRun) -> None:
    """`flows.properties.run_property_based`, imported when played (see `run_id_probes`)."""
    from conformance.flows import properties

    properties.run_property_based(run)


FLOWS = (
    Flow("auth", run_auth),
    Flow("negotiation", run_negotiation, per_format=False),
    Flow("robustness", run_robustness),
    # safety before the deleting flows: it sets the NAS and Agent jobs given apart.
    Flow("safety", run_safety, destructive=True),
    Flow("delete-and-poll", run_delete_and_poll, destructive=True),
    Flow("delete-and-cancel", run_delete_and_cancel, destructive=True),
    Flow("isolation", run_isolation, destructive=True),
    Flow("delete-running-job", run_delete_running_job, destructive=True, embedded_only=True),
    # id-probes first: the stateful part of property-based leaves deletion tasks running,
    # and a job they remove between two listings would look like collateral damage.
    Flow("id-probes", run_id_probes, destructive=True, per_format=False),
    Flow("property-based", run_property_based, per_format=False),
    Flow("cleanup", run_cleanup, destructive=True, per_format=False),
)
