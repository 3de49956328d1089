"""Reports: the summary table, the JSON traceability matrix and JUnit XML, for the
faithful run and for a hand-made failing recording."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from conformance.checks import REGISTRY, Level, judge
from conformance.exchange import Exchange, RecordedRequest, RecordedResponse
from conformance.report import build_report, junit_xml, render_summary, write_report
from conformance.result import JudgedResult, JudgedSubject, SubjectKind

REMOTE = JudgedSubject(SubjectKind.TARGET, "https://em:9398/api")
JOB = "5b89dae5-6f08-45ec-b068-08f0bd08394a"


def failing_result() -> JudgedResult:
    request = RecordedRequest.build(
        "DELETE", f"https://em:9398/api/jobs/{JOB}", {"X-RestSvcSessionId": "t"}
    )
    exchanges = [Exchange(request, RecordedResponse.build(200), "delete-job", ("format:json",))]
    return JudgedResult(REMOTE, Level.SHOULD, tuple(exchanges), tuple(judge(exchanges)))


def test_the_matrix_traces_every_rule(em_faithful_run: JudgedResult) -> None:
    report = json.loads(json.dumps(build_report(em_faithful_run)))
    assert report["conformant"] is True and report["exit_code"] == 0
    rows = {row["id"]: row for row in report["rules"]}
    assert set(rows) == {rule.id for rule in REGISTRY.rules()}
    for row in rows.values():
        assert row["doc"].startswith("https://") and row["checks"] and row["verdict"] == "passed"
        assert row["level"] in ("MUST", "SHOULD", "INFO") and row["statement"]
    assert report["summary"]["passed"] == len(rows) and report["requests"] > 200
    assert {flow["status"] for flow in report["flows"]} == {"ran"}


def test_info_rules_report_what_they_saw(em_faithful_run: JudgedResult) -> None:
    rows = {row["id"]: row for row in build_report(em_faithful_run)["rules"]}
    assert rows["EM-CANCEL-004"]["notes"] == ["job kept after the deletion task was cancelled"]
    assert "Reported:" in render_summary(em_faithful_run)


def test_the_faithful_summary_reads_conformant(em_faithful_run: JudgedResult) -> None:
    text = render_summary(em_faithful_run)
    assert "CONFORMANT: every judged rule passed" in text and "Failing rules" not in text
    for area in ("logon", "authorization", "negotiation", "delete-job", "task", "isolation"):
        assert f"\n{area} " in text


def test_junit_has_one_case_per_rule(em_faithful_run: JudgedResult) -> None:
    root = ET.fromstring(junit_xml(em_faithful_run))  # our own output
    cases = root.findall("testsuite/testcase")
    assert len(cases) == len(REGISTRY.rules()) and not root.findall(".//failure")


def test_a_failing_rule_shows_expected_received_and_its_page() -> None:
    result = failing_result()
    assert result.exit_code == 1
    text = render_summary(result)
    assert "EM-DEL-001 MUST" in text and "Expected: status 202" in text
    assert f"Received: DELETE /jobs/{JOB} -> 200  [json, exchange 0]" in text
    assert "See https://helpcenter.veeam.com/docs/vbr/em_rest/delete_jobs_id.html" in text
    assert "NOT CONFORMANT" in text and "(exit 1)" in text


def test_failures_carry_their_evidence_in_json_and_junit(tmp_path: Path) -> None:
    result = failing_result()
    path = tmp_path / "report.json"
    write_report(result, path)
    row = next(r for r in json.loads(path.read_text())["rules"] if r["id"] == "EM-DEL-001")
    assert row["verdict"] == "failed" and row["blocking"]
    (evidence,) = row["failures"]
    assert evidence["exchanges"] == [
        {
            "index": 0,
            "method": "DELETE",
            "path": f"/jobs/{JOB}",
            "status": 200,
            "label": "delete-job",
        }
    ]
    root = ET.fromstring(junit_xml(result))  # our own output
    failures = root.findall(".//failure")
    assert failures and all("Expected" in f.get("message", "") for f in failures)


def inferred_failure() -> JudgedResult:
    """A JSON GET /api/ whose SupportedVersions is in neither known form: only inferred
    constraints fail, so the MUST rules that judge it fail at SHOULD."""
    body = json.dumps({"SupportedVersions": {"Versions": [{"Name": "v1_7"}]}}).encode()
    request = RecordedRequest.build("GET", "https://em:9398/api/", {"Accept": "application/json"})
    answer = RecordedResponse.build(
        200, {"Content-Type": "application/json", "Content-Length": str(len(body))}, body
    )
    exchanges = [Exchange(request, answer, "entry", ("format:json",))]
    return JudgedResult(REMOTE, Level.SHOULD, tuple(exchanges), tuple(judge(exchanges)))


def test_the_report_shows_each_failing_constraints_evidence() -> None:
    rows = {row["id"]: row for row in build_report(inferred_failure())["rules"]}
    row = rows["EM-LOGON-001"]
    assert (row["level"], row["fails_at"], row["evidence"]["kind"]) == (
        "MUST",
        "SHOULD",
        "documented",
    )
    (failure,) = row["failures"]
    assert failure["level"] == "SHOULD"
    (constraint,) = failure["constraints"]
    assert constraint["path"] == "$.SupportedVersions"
    assert constraint["evidence"]["kind"] == "inferred"
    assert rows["EM-REPR-002"]["fails_at"] == "INFO"
    assert rows["EM-DEL-001"]["fails_at"] is None


def test_the_summary_counts_an_inferred_failure_as_should() -> None:
    text = render_summary(inferred_failure())
    assert "EM-LOGON-001 SHOULD" in text and "(MUST rule; what failed is not documented)" in text
    assert "Evidence: $.SupportedVersions: inferred, https://" in text
    assert "NOT CONFORMANT: 0 MUST and 1 SHOULD rule(s) failed; 2 more rule(s) blocked" in text


def test_at_level_must_an_inferred_failure_is_a_note() -> None:
    result = inferred_failure()
    exchanges = result.exchanges
    must = JudgedResult(
        result.subject, Level.MUST, exchanges, tuple(judge(exchanges, level="must"))
    )
    assert must.exit_code == 0
    assert "EM-LOGON-001 INFO" in render_summary(must)
    assert not ET.fromstring(junit_xml(must)).findall(".//failure")
