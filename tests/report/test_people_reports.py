"""Reports a person looks at: the Markdown summary (pull request, CI job summary) and the
self-contained HTML page with task timelines, opened in headless Chromium when it is
installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import html as lxml_html

from conformance.cli import main
from conformance.exchange import Exchange, RecordedRequest, RecordedResponse
from conformance.report.html import render_html
from conformance.report.markdown import render_markdown
from conformance.report.timeline import MAX_TIMELINES, task_lives, timeline_svg
from conformance.suite import JudgedResult, Settings, run_suite

from .conftest import EXAMPLES, SEED

FAULTS = ("camelcase-json", "delete-returns-200", "xml-errors", "500-on-unknown-job")


@pytest.fixture(scope="module")
def failing_full_run() -> JudgedResult:
    """A full run against a server with several faults: the largest report a run makes,
    since every failure carries its exchanges.  With the tests' small example budget: more
    property-based requests add little to the page (81 KB at 3 examples, 90 KB at the
    default 20, measured) and cost five times the CPU."""
    return run_suite(Settings(faults=FAULTS, seed=SEED, max_examples=EXAMPLES))


def test_markdown_says_the_verdict_and_each_failing_rule(failing_full_run: JudgedResult) -> None:
    text = render_markdown(failing_full_run)
    first = text.splitlines()[0]
    assert first.startswith("## em-conformance") and "NOT CONFORMANT" in first
    assert "(exit 1)" in first
    assert "| area | passed | failed |" in text
    assert "- **EM-DEL-001** (MUST)" in text and "[doc](https://helpcenter.veeam.com/" in text
    assert "  - Expected: " in text and "    Received (" in text


def test_markdown_of_a_conformant_run(em_faithful_run: JudgedResult) -> None:
    text = render_markdown(em_faithful_run)
    assert "CONFORMANT: every judged rule passed or was skipped (exit 0)" in text
    assert "### Failing rules" not in text


def test_the_html_page_is_self_contained_and_under_a_megabyte(
    failing_full_run: JudgedResult,
) -> None:
    page = render_html(failing_full_run)
    assert len(page.encode()) < 1_000_000
    document = lxml_html.fromstring(page)
    assert not document.xpath("//script | //link | //img | //iframe | //*[@src]")
    policy = document.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert policy and policy[0].startswith("default-src 'none'")


def test_the_html_page_shows_verdict_rules_failures_and_timelines(
    failing_full_run: JudgedResult,
) -> None:
    document = lxml_html.fromstring(render_html(failing_full_run))
    assert "NOT CONFORMANT" in document.get_element_by_id("verdict").text_content()
    failure = document.xpath("//details[contains(., 'EM-DEL-001')]")[0].text_content()
    assert "Expected" in failure and "Received" in failure
    assert "DELETE http" in failure and "HTTP 200" in failure  # the exchange itself
    areas = [h.text_content() for h in document.xpath("//h3")]
    assert any(area.startswith("delete-job") for area in areas)
    assert document.xpath(
        "//a[@href='https://helpcenter.veeam.com/docs/vbr/em_rest/delete_jobs_id.html']"
    )
    timelines = document.xpath("//figure[@class='timeline']")
    lives = task_lives(failing_full_run.exchanges)
    assert len(timelines) == min(len(lives), MAX_TIMELINES) > 5
    flows = {life.where for life in lives if not life.where.startswith("property")}
    assert all(any(where in t.text_content() for t in timelines) for where in flows)
    assert timelines[0].xpath(".//*[local-name()='circle']")


def _task_answer(state: str, date: str) -> Exchange:
    body = (
        f'{{"TaskId":"task-4","State":"{state}","Operation":"DeleteJob","Href":"h","Type":"Task"}}'
    )
    request = RecordedRequest.build("GET", "https://em:9398/api/tasks/task-4")
    headers = {"Content-Type": "application/json", "Date": date}
    return Exchange(request, RecordedResponse.build(200, headers, body), "poll-task", ("flow:f",))


def test_a_timeline_shows_each_poll_and_the_back_off_between_them() -> None:
    moments = ["00", "01", "03", "07", "15"]
    states = ["Running", "Running", "Running", "OperationFinished", "Finished"]
    answers = [
        _task_answer(state, f"Mon, 30 Nov 2026 10:00:{second} GMT")
        for state, second in zip(states, moments, strict=True)
    ]
    (life,) = task_lives(answers)
    assert (life.task, life.operation, life.states) == (
        "task-4", "DeleteJob", ["Running", "OperationFinished", "Finished"],
    )  # fmt: skip
    svg = timeline_svg(life)
    assert svg.count('class="poll"') == 5
    for gap in ("1s", "2s", "4s", "8s"):  # the back-off, doubling
        assert f">{gap}<" in svg
    assert "time from the Date headers" in svg


def test_a_timeline_without_time_says_the_polls_are_in_order() -> None:
    same = "Mon, 30 Nov 2026 10:00:00 GMT"
    (life,) = task_lives([_task_answer("Running", same), _task_answer("Finished", same)])
    assert "polls in order (no time recorded)" in timeline_svg(life)


def test_run_writes_html_markdown_and_the_ci_job_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    page, markdown = tmp_path / "report.html", tmp_path / "report.md"
    code = main(["run", "--format", "xml", "--html", str(page), "--markdown", str(markdown)])
    assert code == 0
    assert (
        "CONFORMANT"
        in lxml_html.parse(str(page)).getroot().get_element_by_id("verdict").text_content()
    )
    assert summary.read_text(encoding="utf-8") == markdown.read_text(encoding="utf-8")


def test_the_page_renders_in_headless_chromium(
    tmp_path: Path, failing_full_run: JudgedResult
) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("chromium is not installed (apt-get install chromium); .ci/run installs it")
    page = tmp_path / "report.html"
    page.write_text(render_html(failing_full_run), encoding="utf-8")
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.as_uri()]
    rendered = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    document = lxml_html.fromstring(rendered.stdout)
    assert "NOT CONFORMANT" in document.get_element_by_id("verdict").text_content()
    assert document.xpath("//figure[@class='timeline']//*[local-name()='svg']")


def test_whole_second_dates_that_lump_most_polls_together_are_not_a_time_axis() -> None:
    dates = ["10:00:00"] * 5 + ["10:00:01"]
    answers = [_task_answer("Running", f"Mon, 30 Nov 2026 {d} GMT") for d in dates]
    (life,) = task_lives(answers)
    assert not life.timed and "polls in order" in timeline_svg(life)
