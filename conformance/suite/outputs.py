"""The files a run's settings ask for, written the same way by every front end.

`em-conformance run`, a fleet's members and the pytest plugin all write the JSON report,
the JUnit XML and the cassette here. The judged result holds exchanges and verdicts
redacted already with every secret the run learned (the password it logged on with and
each token the target issued); the cassette writer names the password again as a
safeguard, so a front end cannot forget it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conformance.result import JudgedResult
    from conformance.suite.settings import Settings

__all__ = ["write_outputs"]


def write_outputs(result: JudgedResult, settings: Settings) -> None:
    """Write `--report`, `--junitxml` and `--cassette` of `settings`, if given."""
    if settings.report is not None:
        from conformance.report import write_report

        write_report(result, settings.report)
    if settings.junitxml is not None:
        from conformance.report import write_junit

        write_junit(result, settings.junitxml)
    if settings.cassette is not None:
        from conformance.cassette import write_cassette

        secrets = [settings.password] if settings.password else []
        write_cassette(settings.cassette, result.exchanges, secrets=secrets)
