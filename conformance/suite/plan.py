"""Resolving a run's settings against its opened target into the `RunPlan` (flows/plan.py)."""

from __future__ import annotations

from conformance.flows.plan import Clock, RunPlan
from conformance.suite.settings import Settings
from conformance.suite.target import Target

__all__ = ["resolve_plan"]


def resolve_plan(settings: Settings, target: Target) -> RunPlan:
    """The plan of a run of `settings` (its seed already chosen) against `target`."""
    if settings.seed is None:
        raise ValueError("resolve_plan needs settings with a seed (suite.settings.with_seed)")
    clock = Clock()
    if target.clock is not None:  # the embedded emulator: waiting moves its clock on
        clock = Clock(now=target.clock.now, sleep=target.clock.advance, travel=target.clock.advance)
    return RunPlan(
        base_url=target.base_url,
        verify=target.verify,
        embedded=target.embedded,
        username=target.username,
        password=target.password,
        api_version=settings.api_version,
        timeout=settings.timeout,
        connect_timeout=min(settings.connect_timeout, settings.timeout),
        max_body=settings.max_body,
        seed=settings.seed,
        level=settings.level,
        formats=settings.formats,
        max_examples=settings.max_examples,
        task_timeout=settings.task_timeout,
        poll_fraction=settings.poll_fraction,
        destructive=settings.destructive or target.embedded,
        disposable_jobs=settings.disposable_jobs,
        clone_from=settings.clone_from,
        clone_repository=settings.clone_repository,
        clock=clock,
    )
