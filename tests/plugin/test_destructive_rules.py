"""The `em_destructive` table matches the flows: exactly the rules a read-only run against
a real server cannot judge (apart from the embedded-only one) are marked destructive."""

from __future__ import annotations

from conformance._plugin._suite_items import destructive
from conformance.checks import REGISTRY, Level, Outcome
from conformance.emulator.server import EmulatorServer
from conformance.suite import load_settings, run_suite

from ._inner import EMBEDDED_ONLY
from .conftest import SECRET, USERNAME


def test_destructive_rules_are_those_a_read_only_run_cannot_judge(
    em_real_server: EmulatorServer,
) -> None:
    options = {"target": em_real_server.base_url, "username": USERNAME, "level": "should"}
    settings = load_settings(options | {"max_examples": 1, "seed": 1}, {"EM_PASSWORD": SECRET})
    result = run_suite(settings)
    unjudged = {summary.rule.id for summary in result.rules if summary.outcome is Outcome.SKIPPED}
    marked = {rule.id for rule in REGISTRY.rules(Level.INFO) if destructive(rule)}
    assert unjudged - set(EMBEDDED_ONLY) == marked
