"""Running pytest inside a test: the plugin loads through its `pytest11` entry point,
as it does in a user's project."""

from __future__ import annotations

import pytest

# The property-based flows have their own tests (tests/properties); a small example
# budget (3, as in tests/suite) keeps each inner run of the whole suite to a few seconds.
EXAMPLES = "3"
# Judged only by travelling in the embedded emulator's clock: a real target is not idle 15 min.
EMBEDDED_ONLY = ("EM-LOGON-013",)


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    """pytest in-process in `pytester.path`, without a cache directory."""
    return pytester.runpytest_inprocess("-p", "no:cacheprovider", *args)


def output(result: pytest.RunResult) -> str:
    return result.stdout.str() + "\n" + result.stderr.str()
