"""Doc-derived cassettes: the request/response pairs printed in Veeam's documentation.

Each scenario below is a sequence of requests the EM REST reference prints, with the
response body it prints (read from the reference `examples/` folder, byte for byte)
and the status and headers the pages state.  Saved as cassettes, they let the suite's
own checks judge the documentation, and give client authors a replay of exactly what
the docs promise.

Where a page prints only part of an answer, the step says so with an `inferred` tag:
the 202 body of `DELETE /jobs/{ID}` survives only as its first line (em-api-facts
§5.3), so its body is built like every other documented 202 Task (Running, a Delete
link to itself, no Result).  The docs never print Basic credentials, so the logon
request carries a placeholder; the tokens they print are redacted like any token.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from conformance.exchange import Exchange, RecordedRequest, RecordedResponse
from conformance.protocol import SESSION_HEADER, XML, token_cookie

__all__ = ["SCENARIOS", "DocStep", "Scenario", "build_documented", "scenario_exchanges"]

DOCS = "https://helpcenter.veeam.com/docs/vbr/em_rest/"
DOCS_12 = "https://helpcenter.veeam.com/docs/backup/em_rest/"
LOGON_TOKEN = "O9Msj3rq7EGUhtSMBQx+mw=="  # noqa: S105 - printed in logging_on.html
DELETE_TOKEN = "NDRjZmJkYmUtNWE5NS00MTU2LTg4NjctOTFmMDY5YjdjMmNj"  # noqa: S105 - delete_jobs_id.html
UNPRINTED_CREDENTIALS = "Basic <redacted:credentials-1>"

# delete_jobs_id.html prints only this body's first line; the rest follows every
# printed 202 Task (em-api-facts §5.3).
_DELETE_JOB_202 = """<Task xmlns="http://www.veeam.com/ent/v1.0" Type="Task" Href="https://localhost:9398/api/tasks/task-1">
  <Links>
    <Link Rel="Delete" Type="Task" Href="https://localhost:9398/api/tasks/task-1" />
  </Links>
  <TaskId>task-1</TaskId>
  <State>Running</State>
  <Operation>DeleteJob</Operation>
</Task>
"""


@dataclass(frozen=True)
class DocStep:
    """One documented request and the answer the page prints for it."""

    label: str
    method: str
    url: str
    status: int
    page: str
    example: str = ""  # a file of the reference examples/ folder
    body: str = ""  # a body built here, when the page does not print one whole
    token: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    inferred: bool = False


@dataclass(frozen=True)
class Scenario:
    name: str
    steps: tuple[DocStep, ...]


_JOB = "https://localhost:9398/api/jobs/b04c217b-0538-4650-bec4-19deff4ea1ac"
_LOGON_HEADERS = (
    (SESSION_HEADER, LOGON_TOKEN),
    ("Set-Cookie", f"{token_cookie(LOGON_TOKEN)}; Path=/api;"),
)

SCENARIOS = (
    Scenario("docs-logon", (
        DocStep("entry point", "GET", "https://enterprise04.tech.local:9398/api/", 200,
                DOCS_12 + "http_authentication.html", example="enterprisemanager.xml"),
        DocStep("logon", "POST", "https://srv12.tech.local:9398/api/sessionMngr/?v=v1_7", 201,
                DOCS + "logging_on.html", example="logonsession.xml", headers=_LOGON_HEADERS),
        DocStep("list sessions", "GET", "https://localhost:9398/api/logonSessions", 200,
                DOCS + "logging_out.html", example="logonsessions.xml", token=LOGON_TOKEN),
        DocStep("logout", "DELETE",
                "https://localhost:9398/api/logonSessions/fffb65bd-0e7a-427a-bc35-915b0fdf17af", 204,
                DOCS + "delete_loginsessions_id.html", token=LOGON_TOKEN),
    )),
    Scenario("docs-delete-job", (
        DocStep("delete job", "DELETE", "https://localhost:9398/api/jobs/5b89dae5-6f08-45ec-b068-08f0bd08394a",
                202, DOCS + "delete_jobs_id.html", body=_DELETE_JOB_202, token=DELETE_TOKEN, inferred=True),
        DocStep("poll task", "GET", "https://localhost:9398/api/tasks/task-1", 200,
                DOCS + "delete_jobs_id.html", example="task-finished-deletejob.xml", token=DELETE_TOKEN),
    )),
    Scenario("docs-start-job", (
        DocStep("get job", "GET", _JOB + "?format=Entity", 200, DOCS + "scenario_starting_a_job.html",
                example="job-entity-replica-scenario.xml", token=LOGON_TOKEN),
        DocStep("start job", "POST", _JOB + "?action=start", 202, DOCS + "scenario_starting_a_job.html",
                example="task-running-startjob-scenario.xml", token=LOGON_TOKEN),
        DocStep("poll task", "GET", "https://localhost:9398/api/tasks/task-1", 200,
                DOCS + "scenario_starting_a_job.html", example="task-finished-startjob-ok.xml",
                token=LOGON_TOKEN),
    )),
    Scenario("docs-tasks", (
        DocStep("list tasks", "GET", "https://localhost:9398/api/tasks", 200, DOCS + "tasks.html",
                example="tasks-collection.xml", token=LOGON_TOKEN),
        DocStep("get task", "GET", "https://localhost:9398/api/tasks/task-2", 200, DOCS + "get_tasks_id.html",
                example="task-operationfinished-startjob.xml", token=LOGON_TOKEN),
        DocStep("get task", "GET", "https://localhost:9398/api/tasks/task-3", 200, DOCS + "get_tasks_id.html",
                example="task-finished-startjob.xml", token=LOGON_TOKEN),
        DocStep("get task", "GET", "https://localhost:9398/api/tasks/task-30", 200,
                "https://helpcenter.veeam.com/docs/backup/rest/tasks_id.html",
                example="task-finished-startjob-task30.xml", token=LOGON_TOKEN),
        DocStep("remove task", "DELETE", "https://localhost:9398/api/tasks/task-30", 204,
                DOCS + "delete_task_id.html", token=LOGON_TOKEN),
    )),
)  # fmt: skip


def _request(step: DocStep) -> RecordedRequest:
    if step.token:
        return RecordedRequest.build(step.method, step.url, {SESSION_HEADER: step.token})
    if step.label == "logon":
        return RecordedRequest.build(
            step.method, step.url, {"Authorization": UNPRINTED_CREDENTIALS}
        )
    return RecordedRequest.build(step.method, step.url)


def _body(step: DocStep, examples: Path) -> bytes:
    if step.example:
        return (examples / step.example).read_bytes()
    return step.body.encode("utf-8")


def _response(step: DocStep, examples: Path) -> RecordedResponse:
    body = _body(step, examples)
    headers = list(step.headers)
    if body:
        # Every body-carrying answer sends these two (em_web_api_specifications.html).
        headers += [("Content-Type", XML), ("Content-Length", str(len(body)))]
    return RecordedResponse.build(step.status, headers, body)


def _tags(step: DocStep) -> tuple[str, ...]:
    tags = ("source:docs", f"doc:{step.page}")
    return (*tags, "format:xml", "inferred") if step.inferred else (*tags, "format:xml")


def scenario_exchanges(scenario: Scenario, examples: Path) -> list[Exchange]:
    """The exchanges of one documented scenario, bodies read from `examples`."""
    return [
        Exchange(_request(step), _response(step, examples), step.label, _tags(step))
        for step in scenario.steps
    ]


def build_documented(
    examples: Path, out: Path, scenarios: Sequence[Scenario] = SCENARIOS
) -> list[Path]:
    """Write one cassette per documented scenario into `out`; returns the paths."""
    from conformance.cassette.storage import write_cassette

    written = []
    for scenario in scenarios:
        path = out / f"{scenario.name}.yaml"
        write_cassette(path, scenario_exchanges(scenario, examples))
        written.append(path)
    return written
