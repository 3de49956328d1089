"""validate-client: real client programs against the emulator, a replay, TLS and faults."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conformance.cassette import write_cassette
from conformance.checks import Outcome
from conformance.cli import main
from conformance.report import render_summary
from conformance.suite.client_validation import ClientRun, validate_client

CLIENTS = Path(__file__).parent / "clients"
GOOD = [sys.executable, str(CLIENTS / "good_client.py")]
VEEAM_EM = [sys.executable, str(CLIENTS / "veeam_em_client.py")]
UNKNOWN_JOB = "0badc0de-0000-4000-8000-000000000000"


def outcomes(run: ClientRun) -> dict[str, str]:
    return {verdict.rule.id: verdict.outcome.value for verdict in run.result.verdicts}


def failed(run: ClientRun) -> set[str]:
    return {verdict.rule.id for verdict in run.result.verdicts if verdict.outcome is Outcome.FAILED}


def test_the_published_veeam_em_client_earns_no_backoff_and_no_logout() -> None:
    run = validate_client(VEEAM_EM, timeout=60)
    assert run.returncode == 0, run.output
    assert failed(run) == {"EM-CLIENT-007", "EM-CLIENT-010"}
    passed = {rule for rule, outcome in outcomes(run).items() if outcome == "passed"}
    assert passed >= {
        "EM-CLIENT-001",
        "EM-CLIENT-002",
        "EM-CLIENT-003",
        "EM-CLIENT-006",
        "EM-CLIENT-008",
    }
    assert run.exit_code == 1


def test_a_well_behaved_client_conforms_over_tls(tmp_path: Path, raw_secrets: set[str]) -> None:
    run = validate_client([*GOOD, "--json"], tls=True, timeout=60)
    assert run.returncode == 0, run.output
    assert not failed(run)
    assert run.result.exchanges[0].request.url.startswith("https://")
    assert run.exit_code == 0
    raw_secrets.add("Veeam123!")
    write_cassette(tmp_path / "good.yaml", run.result.exchanges)


def test_a_replay_of_its_own_recording_serves_the_same_client(tmp_path: Path) -> None:
    recorded = validate_client(GOOD, timeout=60)
    write_cassette(tmp_path / "good.yaml", recorded.result.exchanges)
    replayed = validate_client(GOOD, cassette=tmp_path / "good.yaml", timeout=60)
    assert replayed.returncode == 0, replayed.output
    assert not replayed.mismatches and not failed(replayed)
    assert [e.request.method for e in replayed.result.exchanges] == [
        e.request.method for e in recorded.result.exchanges
    ]


def test_a_replay_names_requests_it_cannot_answer(tmp_path: Path) -> None:
    recorded = validate_client([*GOOD, "--json"], timeout=60)
    write_cassette(tmp_path / "good.yaml", recorded.result.exchanges)
    run = validate_client(VEEAM_EM, cassette=tmp_path / "good.yaml", timeout=60)
    # veeam-em adds ?v=latest to every URL, so its GET /jobs is not the recorded one.
    assert "GET /api/jobs?v=latest (json, valid token)" in run.mismatches[0]
    assert (
        "the closest is #1: GET /api/jobs (json, valid token), which differs in query"
        in run.mismatches[0]
    )
    assert run.exit_code == 1
    assert run.result.problems[0] == f"replay had no answer: {run.mismatches[0]}"


def test_a_failed_task_is_reported_and_not_retried_in_a_loop() -> None:
    run = validate_client([*GOOD, "--job", UNKNOWN_JOB], faults=["unknown-job-202"], timeout=60)
    assert run.returncode == 1 and "failed" in run.output  # the client noticed
    assert outcomes(run)["EM-CLIENT-009"] == "passed"
    assert run.exit_code == 0  # under a fault, a client that notices is doing its job


def test_a_fault_the_client_notices(tmp_path: Path) -> None:
    run = validate_client([*GOOD, "--json"], faults=["camelcase-json"], timeout=60)
    assert run.returncode != 0 and "without an Href" in run.output


def test_a_client_that_hangs_is_stopped_at_the_timeout() -> None:
    run = validate_client([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5)
    assert run.returncode is None and run.exit_code == 1
    # No fault explains it: a failure outside the rules, which every report prints.
    assert run.result.problems == ("the client stopped at the timeout",)
    assert "Failures outside the rules:" in render_summary(run.result)


def test_cassette_and_fault_together_are_a_usage_error(tmp_path: Path) -> None:
    assert (
        main(["validate-client", "--cassette", "x.yaml", "--fault", "json-bom", "--", "true"]) == 2
    )


def test_a_missing_command_is_a_usage_error() -> None:
    assert main(["validate-client"]) == 2
    assert main(["validate-client", "--", "/no/such/program"]) == 2


def test_the_command_line_prints_the_verdict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], raw_secrets: set[str]
) -> None:
    raw_secrets.add("Veeam123!")
    code = main(["validate-client", "--record", str(tmp_path / "veeam.yaml"), "--", *VEEAM_EM])
    out = capsys.readouterr().out
    assert code == 1
    assert "FAILED  EM-CLIENT-007 [SHOULD]" in out and "FAILED  EM-CLIENT-010 [SHOULD]" in out
    assert "verdict: does NOT conform: 2 rule(s) failed: EM-CLIENT-007, EM-CLIENT-010" in out
    assert (tmp_path / "veeam.yaml").is_file()
