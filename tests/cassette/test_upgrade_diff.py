"""The upgrade job: two recordings of one server diff to nothing, and each change a client
would feel is one breaking finding.

Recordings are fresh embedded runs (with generated exchanges, small example budget,
different seeds),
saved as cassettes and read back, as a user would make them with `run --cassette`.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from conformance.cassette import read_cassette, write_cassette
from conformance.cassette.drift import DriftReport, compare_recordings
from conformance.cassette.drift_render import drift_markdown
from conformance.cassette.findings import Impact
from conformance.cli import main
from conformance.exchange import Exchange
from conformance.suite.runner import run_suite
from conformance.suite.settings import Settings

EXAMPLES = 2
SEED = 20261130


@functools.cache
def _run(formats: tuple[str, ...], faults: tuple[str, ...] = (), seed: int = 1) -> list[Exchange]:
    """One embedded run; another seed gives other job GUIDs, task IDs, clone names and
    polling jitter, as another run against the same server would."""
    settings = Settings(formats=formats, faults=faults, max_examples=EXAMPLES, seed=seed)
    return run_suite(settings).exchanges


def _recorded(tmp_path: Path, name: str, exchanges: list[Exchange]) -> Path:
    write_cassette(tmp_path / name, exchanges)
    return tmp_path / name


def _breaking(report: DriftReport) -> list[str]:
    return [f.kind for f in report.findings if f.impact is Impact.BREAKING]


def test_two_runs_of_the_emulator_diff_to_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = _recorded(tmp_path, "old.yaml", _run(("xml", "json")))
    new = _recorded(tmp_path, "new.yaml", _run(("xml", "json"), seed=2))
    assert main(["diff", str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert "**NO CHANGE (0 breaking, 0 compatible, 0 noise finding(s)" in out
    report = compare_recordings(read_cassette(old), read_cassette(new))
    assert report.findings == () and report.drifts == ()
    assert report.generated > 0 and report.paired > 300


_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_TASK = re.compile(r"task-(\d+)")


def _other_id_scheme(exchanges: list[Exchange], seed: int) -> list[Exchange]:
    """The recording as a server with integer IDs and its own task numbering would have
    answered it: every GUID becomes an integer, task-N another number, the port another."""
    ids: dict[str, str] = {}

    def text(value: str) -> str:
        value = _GUID.sub(
            lambda m: ids.setdefault(m[0].lower(), str(seed * 1000 + len(ids))), value
        )
        value = _TASK.sub(lambda m: f"task-{int(m[1]) * 7 + seed}", value)
        return re.sub(r"127\.0\.0\.1:\d+", f"backup.example:{9000 + seed}", value)

    def rewritten(exchange: Exchange) -> Exchange:
        request, response = exchange.request, exchange.response
        return Exchange(
            replace(request, url=text(request.url), body=text(request.body.decode()).encode()),
            replace(
                response,
                headers=tuple((k, text(v)) for k, v in response.headers),
                body=text(response.body.decode("utf-8", "replace")).encode(),
            ),
            text(exchange.label),
            exchange.tags,
        )

    return [rewritten(exchange) for exchange in exchanges]


def test_two_recordings_of_a_server_with_another_id_scheme_diff_to_nothing(
    tmp_path: Path,
) -> None:
    first = _other_id_scheme(_run(("xml", "json")), seed=3)
    second = _other_id_scheme(_run(("xml", "json"), seed=2), seed=8)
    assert any("/jobs/3" in e.request.url for e in first)  # the IDs really are integers
    old = read_cassette(_recorded(tmp_path, "old.yaml", first))
    new = read_cassette(_recorded(tmp_path, "new.yaml", second))
    report = compare_recordings(old, new)
    assert (report.findings, report.exit_code()) == ((), 0)


@pytest.mark.parametrize(
    ("old_faults", "new_faults", "formats", "kind", "summary"),
    [
        ((), ("camelcase-json",), ("json",), "key renamed",
         "JSON property names changed from PascalCase to camelCase"),
        ((), ("json-ignored",), ("json",), "content type",
         "application/json -> application/xml in"),
        ((), ("delete-returns-200",), ("xml",), "status", "Status code changed 202 -> 200"),
        (("unsupported-version-accepted",), (), ("xml",), "status",
         "API version v1_4 no longer accepted at logon: 201 -> 401"),
        ((), ("wrong-namespace",), ("xml",), "namespace changed",
         "XML namespace changed from http://www.veeam.com/ent/v1.0 to http://www.veeam.com/ent/v1.1"),
        ((), ("wrapped-json-root",), ("json",), "root wrapped",
         "JSON bodies wrapped in their root element"),
        ((), ("success-as-string-in-json",), ("json",), "type changed",
         "Type of Success changed from boolean to string"),
        ((), ("href-wrong-host",), ("xml",), "link origin",
         "Links (Href) name http://em-internal.local:9399 instead of the host called"),
        ((), ("state-goes-backwards",), ("xml",), "state order",
         "Task state went backwards in"),
        ((), ("task-never-finishes",), ("xml",), "value gone", "State Finished never seen any more"),
        ((), ("no-content-length",), ("xml",), "header removed",
         "Header Content-Length no longer sent"),
        ((), ("running-job-deletable",), ("xml",), "status", "Status code changed 200 -> 404"),
    ],
    ids=[
        "camelcase-keys", "json-ignored", "delete-200", "version-removed", "namespace",
        "wrapped-root", "boolean-as-string", "href-host", "state-backwards", "never-finishes",
        "no-content-length", "running-job-deleted",
    ],
)  # fmt: skip
def test_each_client_visible_change_is_one_breaking_finding(
    tmp_path: Path,
    old_faults: tuple[str, ...],
    new_faults: tuple[str, ...],
    formats: tuple[str, ...],
    kind: str,
    summary: str,
) -> None:
    old = read_cassette(_recorded(tmp_path, "old.yaml", _run(formats, old_faults)))
    new = read_cassette(_recorded(tmp_path, "new.yaml", _run(formats, new_faults)))
    report = compare_recordings(old, new)
    assert _breaking(report) == [kind], drift_markdown(report)
    assert summary in report.findings[0].summary
    assert report.exit_code() == 1


def test_the_camelcase_regression_is_one_row_not_hundreds(tmp_path: Path) -> None:
    report = compare_recordings(_run(("json",)), _run(("json",), ("camelcase-json",)))
    markdown = drift_markdown(report)
    breaking = markdown.split("## Breaking (1)")[1].split("##")[0]
    rows = [line for line in breaking.splitlines() if line.startswith("| JSON")]
    assert len(rows) == 1
    assert re.search(r"in \d{2,} bodies: \w+ -> \w+, \w+ -> \w+, \w+ -> \w+, \.\.\.", rows[0])
    assert sum(d.kind == "key renamed" for d in report.drifts) > 100  # all behind one finding


def _rewritten_bodies(exchanges: list[Exchange], old: bytes, new: bytes) -> list[Exchange]:
    return [
        replace(e, response=replace(e.response, body=e.response.body.replace(old, new)))
        for e in exchanges
    ]


def test_a_task_state_vocabulary_change_is_one_breaking_finding() -> None:
    # No fault profile renames a state, so the recording is rewritten as such a server
    # would answer: a client polling for Finished never returns.
    base = _run(("xml", "json"), seed=2)
    completed = _rewritten_bodies(base, b">Finished<", b">Completed<")
    completed = _rewritten_bodies(completed, b'"Finished"', b'"Completed"')
    report = compare_recordings(_run(("xml", "json")), completed)
    assert _breaking(report) == ["value changed"]
    finding = report.findings[0]
    assert "Values of State changed: Finished no longer seen, Completed instead" in finding.summary
    assert finding.count > 10


def test_an_added_key_is_compatible_and_fails_only_when_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with_progress = _rewritten_bodies(
        _run(("json",), seed=2), b'{"TaskId"', b'{"Progress":5,"TaskId"'
    )
    old = _recorded(tmp_path, "old.yaml", _run(("json",)))
    new = _recorded(tmp_path, "new.yaml", with_progress)
    report = compare_recordings(read_cassette(old), read_cassette(new))
    assert [(f.impact, f.kind) for f in report.findings] == [(Impact.COMPATIBLE, "key added")]
    assert "Key Progress added in" in report.findings[0].summary
    assert main(["diff", str(old), str(new)]) == 0
    assert main(["diff", str(old), str(new), "--fail-on", "compatible"]) == 1
    capsys.readouterr()
    assert main(["diff", str(old), str(new), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["counts"] == {"breaking": 0, "compatible": 1, "noise": 0}
    assert document["findings"][0]["examples"]


def test_the_diff_goes_to_the_ci_job_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    old = _recorded(tmp_path, "old.yaml", _run(("json",)))
    assert main(["diff", str(old), str(old), "--markdown", str(tmp_path / "diff.md")]) == 0
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("earlier step\n# Contract drift:")  # appended, not replaced
    assert (tmp_path / "diff.md").read_text(encoding="utf-8") in written
