"""The cassettes shipped in `cassettes/`: no secrets, rebuilt from the docs, judged offline."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conformance.cassette import read_cassette
from conformance.cassette.documented import SCENARIOS, build_documented
from conformance.cli import main
from conformance.spec import cassettes_dir
from conformance.suite.offline import check_cassette

from ._scan import leaks

SHIPPED = sorted(cassettes_dir().glob("*.yaml"))
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
EMULATOR_PASSWORD = "Veeam123!"


def test_the_shipped_families_are_there() -> None:
    names = {path.name for path in SHIPPED}
    assert {f"{scenario.name}.yaml" for scenario in SCENARIOS} <= names
    assert {"emulator-flows-xml.yaml", "emulator-flows-json.yaml"} <= names


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.name)
def test_no_password_token_or_basic_header_in_shipped_cassettes(path: Path) -> None:
    assert leaks(path, {EMULATOR_PASSWORD}) == []


def test_doc_cassettes_are_what_the_documented_examples_build(tmp_path: Path) -> None:
    for built in build_documented(EXAMPLES, tmp_path):
        assert built.read_text() == (cassettes_dir() / built.name).read_text(), built.name


def test_doc_cassettes_keep_the_documented_bodies_byte_for_byte() -> None:
    (delete, poll) = read_cassette(cassettes_dir() / "docs-delete-job.yaml")
    assert poll.response.body == (EXAMPLES / "task-finished-deletejob.xml").read_bytes()
    assert "inferred" in delete.tags and delete.response.status == 202


@pytest.mark.parametrize(
    "path", [p for p in SHIPPED if "fault" not in p.name], ids=lambda path: path.name
)
def test_docs_and_faithful_recordings_pass_every_applicable_check(path: Path) -> None:
    result = check_cassette(path)
    assert result.conformant, [v.message() for v in result.verdicts if v.failed]


def test_check_cassette_names_failing_interactions(capsys: pytest.CaptureFixture[str]) -> None:
    fault = cassettes_dir() / "emulator-fault-camelcase-json.yaml"
    assert main(["check-cassette", str(fault)]) == 1
    out = capsys.readouterr().out
    assert "NOT CONFORMANT" in out and "(exit 1)" in out
    assert "EM-NEG-007 MUST" in out
    # The exchange named is the interaction of the file with the camelCase body.
    index = int(re.search(r"\[json, exchange (\d+)\]", out).group(1))  # type: ignore[union-attr]
    body = read_cassette(fault)[index].response.body
    assert body.startswith(b"{") and re.search(rb'"[a-z]\w*":', body)
    assert "'exchange N' is interaction N of the file" in out


def test_check_cassette_exit_codes_and_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    docs = [str(cassettes_dir() / f"{scenario.name}.yaml") for scenario in SCENARIOS]
    assert main(["check-cassette", *docs, "--format", "json"]) == 0
    results = json.loads(capsys.readouterr().out)
    assert [r["conformant"] for r in results] == [True] * len(SCENARIOS)
    assert main(["check-cassette", str(tmp_path / "missing.yaml")]) == 2
    assert main(["check-cassette", *docs[:2], "--junitxml", str(tmp_path / "j.xml")]) == 2


def test_check_cassette_writes_the_run_reports(tmp_path: Path) -> None:
    fault = str(cassettes_dir() / "emulator-fault-camelcase-json.yaml")
    report, junit = tmp_path / "report.json", tmp_path / "junit.xml"
    assert main(["check-cassette", fault, "--report", str(report), "--junitxml", str(junit)]) == 1
    document = json.loads(report.read_text())
    assert document["conformant"] is False and document["exit_code"] == 1
    assert "<failure" in junit.read_text()


def test_check_cassette_maps_verdicts_to_interaction_indices(tmp_path: Path) -> None:
    from .test_format import SCHEMATHESIS_REPORT

    path = tmp_path / "st.yaml"
    path.write_text(SCHEMATHESIS_REPORT)
    result = check_cassette(path)
    indices = {index for verdict in result.verdicts for index in verdict.exchanges}
    assert indices <= {0, 2}  # interaction #1 got no response and is not judged
    assert 2 in indices
