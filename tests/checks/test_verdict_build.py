"""`Verdict.judged` builds the very verdict the dataclass constructor builds."""

from __future__ import annotations

import dataclasses

from conformance.checks import REGISTRY, Level, Outcome, Verdict


def test_judged_sets_every_field_as_the_constructor_does() -> None:
    rule = REGISTRY.rules()[0]
    values = (rule, "a_check", Outcome.FAILED, (3, 4), "this", "that", "json", Level.SHOULD, ())
    built, judged = Verdict(*values), Verdict.judged(*values)
    assert judged == built and hash(judged) == hash(built)
    assert set(vars(judged)) == {field.name for field in dataclasses.fields(Verdict)}
    assert dataclasses.replace(judged, blocked_by="EM-X") == dataclasses.replace(
        built, blocked_by="EM-X"
    )
