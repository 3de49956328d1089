"""The files a run's settings ask for, written the same way by every front end.

`em-conformance run`, a fleet's members and the pytest plugin all write the JSON report,
the JUnit XML and the cassette here, so every one of them redacts with the same secrets:
all that the run's redactor learned (the password it logged on with and every token the
target issued), not only the password one front end happened to know.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conformance.suite.runner import RunResult

__all__ = ["write_outputs"]


def write_outputs(result: RunResult) -> None:
    """Write `--report`, `--junitxml` and `--cassette` of `result.settings`, if given."""
    settings = result.settings
    if settings.report is not None:
        from conformance.report import write_report

        write_report(result, settings.report)
    if settings.junitxml is not None:
        from conformance.report import write_junit

        write_junit(result, settings.junitxml)
    if settings.cassette is not None:
        from conformance.cassette import write_cassette

        write_cassette(settings.cassette, result.exchanges, secrets=result.redactor.secrets)
