"""Checks: the catalogue of documented rules and the small functions that judge them.

What the package shares with the rest of em-conformance (internal: the public API is
`conformance`, docs/api.md):

- `Rule` (stable ID, `Level`, area, doc page, one-line statement) and `REGISTRY`;
- `check(rule, scope)`, the decorator that registers a check; scopes `Each`,
  `InFlow` and `PerTask` select what it judges; `fail()` / `skip()` end it;
- `judge(exchanges, level=...)`, which runs every check over any recording and
  returns `Verdict`s; `summarize()` folds them into one `RuleVerdict` per rule;
  `judge_exchange(exchange)` runs the single-exchange checks on one response;
- `steps`: the labels and tags flows put on exchanges.

Importing this package registers every area module's checks in `REGISTRY`.
"""

from conformance.checks import (  # noqa: F401  (imported to register their checks)
    authorization,
    cancellation,
    delete_job,
    isolation,
    logon,
    negotiation,
    properties,
    representation,
    robustness,
    safety,
    tasks,
    tolerance,
)
from conformance.checks.judge import judge, judge_exchange
from conformance.checks.registry import REGISTRY, Check, CheckFunction, Registry, check
from conformance.checks.rule import DOCS, Level, Rule, rule_maker
from conformance.checks.scope import Each, InFlow, PerTask, Scope, Subject, api_path, path_matches
from conformance.checks.verdict import (
    CheckFailed,
    CheckSkipped,
    Outcome,
    RuleVerdict,
    Verdict,
    fail,
    skip,
    summarize,
)

AREAS = (
    "logon",
    "authorization",
    "negotiation",
    "representation",
    "delete-job",
    "task",
    "cancellation",
    "isolation",
    "safety",
    "robustness",
    "tolerance",
    "property",
)

__all__ = [
    "AREAS",
    "DOCS",
    "REGISTRY",
    "Check",
    "CheckFailed",
    "CheckFunction",
    "CheckSkipped",
    "Each",
    "InFlow",
    "Level",
    "Outcome",
    "PerTask",
    "Registry",
    "Rule",
    "RuleVerdict",
    "Scope",
    "Subject",
    "Verdict",
    "api_path",
    "check",
    "fail",
    "judge",
    "judge_exchange",
    "path_matches",
    "rule_maker",
    "skip",
    "summarize",
]
