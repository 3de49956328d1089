"""Fault profiles: named deviations from the contract, switched on to measure a suite.

Each profile breaks one documented rule (or one DESIGN.md decision) in a way a
conformance suite can see on the wire. The emulator is conformant with none switched on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from conformance.errors import UsageError

__all__ = ["ALIAS_PREFIX", "CLIENT_FAULTS", "FAULTS", "Fault", "FaultSet", "describe_faults"]

_DOCS = "https://helpcenter.veeam.com/docs/vbr/em_rest/"


@dataclass(frozen=True)
class Fault:
    """One deviation: its name, what the emulator then does, and the rule it breaks."""

    name: str
    description: str
    rule: str
    page: str


def _fault(name: str, description: str, rule: str, page: str) -> Fault:
    return Fault(name, description, rule, page if "://" in page else _DOCS + page)


_CATALOGUE = (
    _fault("delete-returns-200", "DELETE /jobs/{ID} answers 200 OK (with the Task) instead of 202.",
           "DELETE /jobs/{ID} answers 202 Accepted with a Task.", "delete_jobs_id.html"),
    _fault("json-ignored", "Bodies are XML even when Accept asks for application/json.",
           "Accept: application/json must give JSON.", "em_web_api_specifications.html"),
    _fault("xml-errors", "Error bodies are XML even when JSON was negotiated.",
           "Errors come in the negotiated format (DESIGN.md).", "http_response_codes.html"),
    _fault("wrong-namespace", "XML bodies use the namespace http://www.veeam.com/ent/v1.1.",
           "XML is in the namespace http://www.veeam.com/ent/v1.0.", "em_web_api_specifications.html"),
    _fault("content-type-mismatch", "Content-Type names the other format than the body's.",
           "Content-Type is application/xml or application/json, matching the body.",
           "em_web_api_specifications.html"),
    _fault("camelcase-json", "JSON keys are camelCase (taskId, href), as EM 13 shipped by mistake.",
           "JSON keys keep the PascalCase XML names.", "resource_representations.html"),
    _fault("json-bom", "JSON bodies start with a UTF-8 byte-order mark.",
           "A JSON body starts with '{' or '['.", "resource_representations.html"),
    _fault("wrapped-json-root", "JSON keeps the root element: {\"Task\": {...}}.",
           "JSON drops the root element.", "resource_representations.html"),
    _fault("success-as-string-in-json", "JSON Result.Success is the string \"True\", not a boolean.",
           "Booleans are JSON true/false.", "resource_representations.html"),
    _fault("no-content-length", "Responses carry no Content-Length (chunked on the wire).",
           "Responses with a body carry Content-Length.", "em_web_api_specifications.html"),
    _fault("wrong-content-length", "Content-Length is 16 bytes more than the body.",
           "Content-Length is the length of the body.", "em_web_api_specifications.html"),
    _fault("href-wrong-host", "Every Href names http://em-internal.local:9399 instead of the host called.",
           "Hrefs carry the scheme, host and port the client called.", "resource_urls.html"),
    _fault("missing-task-href", "Task bodies have no Href attribute.",
           "A Task has Href = .../tasks/{TaskId}.", "tasks_id.html"),
    _fault("task-never-finishes", "Tasks stay Running forever; their operation never happens.",
           "A Task reaches State Finished.", "get_tasks_id.html"),
    _fault("state-goes-backwards", "After Finished, every other poll of a task answers Running.",
           "Task State only moves Running -> OperationFinished -> Finished.", "get_tasks_id.html"),
    _fault("result-while-running", "Running tasks (also the 202 body) carry Result Success=\"true\".",
           "Result appears only once the task has finished.", "delete_jobs_id.html"),
    _fault("job-survives-delete", "A DeleteJob task finishes Success=\"true\" but the job stays.",
           "After a successful DeleteJob task, GET /jobs/{ID} is 404.", "delete_jobs_id.html"),
    _fault("running-job-deletable", "Deleting a running job succeeds and the job is gone.",
           "Deleting a running job fails with a message; the job stays (DESIGN.md).",
           "delete_jobs_id.html"),
    _fault("half-state-on-failed-delete", "A DeleteJob task that fails still removes the job.",
           "A task that finishes Success=\"false\" leaves the job in place (DESIGN.md).",
           "delete_jobs_id.html"),
    _fault("nas-job-deletable", "DELETE /jobs/{ID} with a NAS job's ID deletes the NAS job.",
           "DELETE /jobs/{ID} does not delete file share (NAS) jobs.", "delete_jobs_id.html"),
    _fault("unknown-job-202", "DELETE /jobs/{unknown} answers 202 and a task that fails later.",
           "An unknown job ID answers 404 with an Error (DESIGN.md).", "http_response_codes.html"),
    _fault("500-on-unknown-job", "Unknown or malformed job IDs answer 500 with an Error.",
           "An unknown job ID answers 404 (or 400), never 5xx.", "http_response_codes.html"),
    _fault("delete-link-on-job", "Job references and entities carry a Delete link.",
           "The /jobs/{ID} resource does not contain the Delete link.", "delete_jobs_id.html"),
    _fault("cancel-returns-200-with-body", "DELETE /tasks/{ID} answers 200 with the Task.",
           "DELETE /tasks/{ID} answers 204 No Content with no body.", "delete_task_id.html"),
    _fault("task-survives-cancel", "DELETE /tasks/{ID} answers 204 but the task stays and runs on.",
           "A removed task is gone from /tasks and its operation stops.", "delete_task_id.html"),
    _fault("cross-session-task-leak", "Tasks are visible to every logon session.",
           "/tasks lists the tasks of the current logon session only.", "tasks.html"),
    _fault("auth-not-enforced", "Requests without a valid session token are served.",
           "A missing or expired token answers 401.", "http_response_codes.html"),
    _fault("logout-token-still-valid", "The token still works after DELETE /logonSessions/{ID}.",
           "Logging out ends the session; its token answers 401.", "delete_loginsessions_id.html"),
    _fault("no-idle-timeout", "Logon sessions never expire.",
           "A session idle for 15 minutes expires (401).", "http_authentication.html"),
    _fault("header-wins-over-cookie", "When both are sent, the header token is used, not the cookie.",
           "If a client sends both header and cookie, the cookie wins.", "http_authentication.html"),
    _fault("logon-returns-200", "A successful logon answers 200 OK (token, cookie and body intact).",
           "A logon with valid credentials answers 201 Created.", "post_sessionmngr.html"),
    _fault("no-session-cookie", "Logon sets no X-RestSvcSessionId cookie.",
           "Logon returns the token as a cookie (Path=/api) too.", "http_authentication.html"),
    _fault("no-www-authenticate", "Bad Basic credentials get 401 without WWW-Authenticate.",
           "A failed logon answers 401 with WWW-Authenticate: Basic Realm=RestSvc.",
           "http_authentication.html"),
    _fault("unsupported-version-accepted", "Logon with v=v1_4 (or any version) succeeds.",
           "Unsupported API versions are refused with 401 (DESIGN.md).", "em_web_api_versions.html"),
    _fault("wrong-method-404", "A wrong method on a known path answers 404 instead of 405.",
           "A method not supported on a resource answers 405.", "http_response_codes.html"),
)  # fmt: skip

# Client-facing profiles, for `validate-client --matrix`: server behaviour a client must
# cope with (a reverse proxy in front, a busy service, an expiring session, a failed
# task).  Kept out of FAULTS, which holds what the server suite must catch.
ALIAS_PREFIX = "/em-proxy"
_CLIENT_CATALOGUE = (
    _fault("href-alias-prefix", f"Hrefs name another alias of this host (localhost <-> 127.0.0.1)"
           f" under the path prefix {ALIAS_PREFIX}, as behind a reverse proxy; both are served.",
           "Hrefs carry the scheme, host and port the client called.", "resource_urls.html"),
    _fault("delete-task-fails", "Every DeleteJob task finishes Success=\"false\" with a message;"
           " the job stays.", "None: a failed task is legitimate; a client must report it.",
           "get_tasks_id.html"),
    _fault("busy-503", "The first poll of each task answers 503 Service Unavailable with"
           " Retry-After: 1.", "None: a busy service may answer 503; a client should wait or stop.",
           "http_response_codes.html"),
    _fault("session-expires-mid-poll", "The logon session expires at the second poll of a task"
           " (401 from then on).", "None: sessions expire; a client must notice the 401.",
           "http_authentication.html"),
    _fault("task-in-other-session", "Task polls answer 500 \"no task with id [task-N] in current"
           " rest session\", as 12.x answers for another session's task.",
           "Another session's task is refused (DESIGN.md); a client must not take it for success.",
           "get_tasks_id.html"),
)  # fmt: skip
CLIENT_FAULTS: dict[str, Fault] = {fault.name: fault for fault in _CLIENT_CATALOGUE}

FAULTS: dict[str, Fault] = {fault.name: fault for fault in _CATALOGUE}


class FaultSet:
    """The fault profiles switched on for one emulator; asking for an unknown name is a bug."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        chosen = frozenset(names)
        unknown = sorted(chosen - FAULTS.keys() - CLIENT_FAULTS.keys())
        if unknown:
            choices = ", ".join([*FAULTS, *CLIENT_FAULTS])
            raise UsageError(
                f"Unknown fault profile(s): {', '.join(unknown)}; valid choices: {choices}."
            )
        self.names = chosen

    def on(self, name: str) -> bool:
        if name not in FAULTS and name not in CLIENT_FAULTS:
            raise KeyError(f"no fault profile named {name!r}")
        return name in self.names

    def __bool__(self) -> bool:
        return bool(self.names)


def describe_faults() -> str:
    """A human-readable list of every profile, as `emulate --list-faults` prints it."""
    lines = [_described(fault) for fault in _CATALOGUE]
    lines.append("\nclient-facing profiles (validate-client --matrix; legitimate unless noted):")
    lines += [_described(fault) for fault in _CLIENT_CATALOGUE]
    return "\n".join(lines)


def _described(fault: Fault) -> str:
    return f"{fault.name}\n    {fault.description}\n    breaks: {fault.rule}\n    see: {fault.page}"
