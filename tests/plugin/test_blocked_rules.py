"""A rule blocked by another's failure is a pytest skip that names its root, never a pass."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from conformance._plugin._suite_items import judge_rule
from conformance.checks import REGISTRY, Outcome, Verdict
from conformance.result import JudgedResult, JudgedSubject, SubjectKind


def test_a_blocked_rule_is_skipped_naming_its_root() -> None:
    rule = REGISTRY.rule("EM-REPR-001")
    blocked = Verdict(rule, "c", Outcome.BLOCKED, (3,), "x", "y", blocked_by="EM-NEG-006")
    result = JudgedResult(
        JudgedSubject(SubjectKind.TARGET, "https://em:9398/api"), verdicts=(blocked,)
    )
    node: Any = SimpleNamespace(user_properties=[])
    with pytest.raises(pytest.skip.Exception, match="EM-REPR-001 blocked by EM-NEG-006"):
        judge_rule(rule, result, node)
