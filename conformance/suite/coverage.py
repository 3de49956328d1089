"""Coverage of a run: which rules were skipped, and why, in terms the user can act on.

A rule is skipped when the recording holds nothing it judges.  Most such gaps come from a
flow that did not run (a read-only run, too few disposable jobs, a flow that starts jobs
and so runs on the embedded emulator only); `FEEDERS` names, for every rule that only
skippable flows can feed, the flows whose exchanges it judges.  A skipped rule whose
feeders all stayed out is explained by their reasons; one that a flow judges only in part
on a server by `ON_A_SERVER` (no NAS job given, no clone made, the idle timeout); any
other by its own verdicts.  tests/suite/test_coverage.py keeps `FEEDERS` in step with
what a full embedded run judges.
"""

from __future__ import annotations

from collections.abc import Iterable

from conformance.checks import REGISTRY, Outcome, RuleVerdict
from conformance.result import JudgedResult

__all__ = ["FEEDERS", "ON_A_SERVER", "not_judged", "skipped_rules"]


def _ids(prefix: str, numbers: Iterable[int]) -> tuple[str, ...]:
    return tuple(f"EM-{prefix}-{n:03d}" for n in numbers)


_DELETING = ("delete-and-poll", "delete-and-cancel", "isolation", "delete-running-job", "cleanup")
_POLLING = ("delete-and-poll", "delete-running-job")

# rule ID -> the flows whose exchanges judge it, for rules no always-running flow feeds.
FEEDERS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(_ids("DEL", range(1, 7)), _DELETING),
    **dict.fromkeys(_ids("TASK", (1, 2, 3, 4, 5, 6, 12)), _DELETING),
    **dict.fromkeys(_ids("TASK", (7, 8, 9, 10, 13)), _POLLING),
    # A deletion that fails (Success=false) needs a running job: only the emulator starts one.
    **dict.fromkeys(_ids("TASK", (11, 14)), ("delete-running-job",)),
    **dict.fromkeys(_ids("CANCEL", range(1, 6)), ("delete-and-cancel",)),
    **dict.fromkeys(_ids("ISO", range(1, 5)), ("isolation",)),
    **dict.fromkeys(_ids("SAFE", range(2, 5)), ("safety",)),
    "EM-PROP-002": ("id-probes",),
    # Judged on the clones the suite makes: any deleting flow that took one.
    "EM-SAFE-005": _DELETING,
}

# Why a rule that a flow judges only in part is skipped on a server, where the flow ran.
ON_A_SERVER = {
    "EM-SAFE-005": "judged on the clones the suite makes: give --clone-from ID (the jobs"
    " given with --disposable-job are not cloned)",
    "EM-LOGON-013": "the idle timeout is judged on the embedded emulator only, whose clock"
    " the suite moves 15 minutes on (a server's cannot be)",
    "EM-SAFE-002": "no NAS job given: name one with --disposable-job ID (it must survive"
    " DELETE /jobs/{ID})",
    "EM-SAFE-003": "no Agent job given: name one with --disposable-job ID (it must survive"
    " DELETE /jobs/{ID})",
}


def _flow_reason(result: JudgedResult, feeders: tuple[str, ...]) -> str:
    """Why the feeders stayed out ("" when one of them ran): the first one's reason, since
    `FEEDERS` lists first the flow a user can most easily let run."""
    records = [record for record in result.flows if record.flow in feeders]
    if not records or any(record.status == "ran" for record in records):
        return ""
    records.sort(key=lambda record: feeders.index(record.flow))
    return next((record.reason for record in records if record.reason), "")


def _reason(result: JudgedResult, summary: RuleVerdict) -> str:
    rule_id = summary.rule.id
    remote = "" if result.embedded else ON_A_SERVER.get(rule_id, "")
    own = (verdict.received for verdict in summary.verdicts if verdict.received)
    return (
        _flow_reason(result, FEEDERS.get(rule_id, ()))
        or remote
        or next(own, "")
        or "nothing in the recording to judge"
    )


def skipped_rules(result: JudgedResult) -> dict[str, list[str]]:
    """Why rules were skipped: each reason with the IDs of the rules it explains."""
    grouped: dict[str, list[str]] = {}
    for summary in result.rules:
        if summary.outcome is Outcome.SKIPPED:
            grouped.setdefault(_reason(result, summary), []).append(summary.rule.id)
    return grouped


def not_judged(result: JudgedResult) -> list[str]:
    """The rules of the catalogue that the run's level left out (SHOULD at --level must)."""
    level = result.level
    return [rule.id for rule in REGISTRY.rules() if not level.includes(rule.level)]
