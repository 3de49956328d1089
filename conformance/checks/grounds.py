"""Grounds: the evidence every rule of the catalogue rests on, in one table to audit.

`rule_maker` looks a rule up here when it is built, so a rule's level and its evidence
are checked together (`Rule` refuses a MUST resting on inference or observation).
Pages are of the v13 reference unless a URL is given; the fact sheet and field notes are
the project's `reference/em-api-facts.md` and `reference/field-notes.md`.

The generic status table (`http_response_codes.html`) counts as a statement about a
request when its row names the very condition the request creates: 401 "authorization
header expected but not found (or found but expired)" for a missing, unknown or spent
token, 404 "a resource in the request not found in its collection" for an unknown ID or
a deleted object.  It does not when the rule has to pick one row among several that fit:
see EM-ERR-003.
"""

from __future__ import annotations

from conformance.evidence import FIELD_NOTES, Evidence, Kind

__all__ = ["COMMUNITY", "GROUNDS", "WRONG_METHOD_LEVEL"]

_DOCS = "https://helpcenter.veeam.com/docs/vbr/em_rest/"
COMMUNITY = "https://benyoung.blog/node-root-does-not-exist-veeam-api-with-update-4/"
_CODES = "http_response_codes.html"
_AUTH = "http_authentication.html"
_SPECS = "em_web_api_specifications.html"
_REPR = "resource_representations.html"
_DELETE_JOB = "delete_jobs_id.html"
_GET_TASK = "get_tasks_id.html"
_DELETE_TASK = "delete_task_id.html"
_TASKS = "tasks.html"


def _doc(page: str, note: str) -> Evidence:
    return Evidence(Kind.DOCUMENTED, page if "://" in page else _DOCS + page, note)


def _inf(page: str, analogy: str) -> Evidence:
    return Evidence(Kind.INFERRED, page if "://" in page else _DOCS + page, analogy)


def _obs(note: str, source: str = FIELD_NOTES) -> Evidence:
    return Evidence(Kind.OBSERVED, source, note)


WRONG_METHOD_LEVEL = (
    "SHOULD: the only source is the generic status table; no page about /jobs or /tasks "
    "says what an unsupported method gets, and two rows of that table fit PUT /tasks and "
    "PATCH /jobs (405 'method not supported on resource', and 501 'functionality not "
    "supported' for POST, PUT and DELETE), so choosing 405 is an inference."
)

GROUNDS: dict[str, Evidence] = {
    # authorization
    "EM-AUTHZ-001": _doc(_CODES, "401 row: authorization header expected but not found; every method page lists X-RestSvcSessionId as required."),
    "EM-AUTHZ-002": _doc(_CODES, "401 row: a token the service cannot read is a session token not found."),
    "EM-AUTHZ-003": _doc(_CODES, "401 row: a token that names no logon session is not found."),
    "EM-AUTHZ-004": _doc(_CODES, "the table gives an Error body for 401; the Accept statement on every method page picks its format."),
    # cancellation
    "EM-CANCEL-001": _doc(_DELETE_TASK, "example: DELETE /tasks/task-30 -> 204 No Content, Response Body: None."),
    "EM-CANCEL-002": _doc(_DELETE_TASK, "'Removes a task having the specified ID'; the 404 row of http_response_codes.html covers a resource not found."),
    "EM-CANCEL-003": _doc(_DELETE_TASK, "'Removes a task having the specified ID'."),
    "EM-CANCEL-004": _inf(_DELETE_TASK, "recorded only: the page says DELETE removes the task, the job pages say it stops the task execution; neither says what happens to the job."),
    "EM-CANCEL-005": _inf(_DELETE_JOB, "by analogy with a failed DeleteJob task (never a half state, DESIGN.md contract decisions); no page describes a cancelled deletion."),
    # delete-job
    "EM-DEL-001": _doc(_DELETE_JOB, "Response: 202 Accepted, with an example."),
    "EM-DEL-002": _doc(_DELETE_JOB, "the body is a Task created for the operation; each schema constraint carries its own evidence."),
    "EM-DEL-003": _doc(_DELETE_JOB, "the page's GET /tasks/task-1 example after the DELETE shows Operation DeleteJob."),
    "EM-DEL-004": _doc("tasks_id.html", "resource URL https://<EM>:9398/api/tasks/{ID}; every Task example's Href is .../tasks/{TaskId}."),
    "EM-DEL-005": _obs("Links: clients cut IDs out of Href values and follow them, so every Href must carry the scheme, host and port that the client called."),
    "EM-DEL-006": _doc(_DELETE_JOB, "the task carries a Delete link; sending DELETE to it stops the task execution."),
    # isolation
    "EM-ISO-001": _doc(_TASKS, "/tasks lists the tasks created within the current logon session; real 12.x servers refuse another session's task (field notes)."),
    "EM-ISO-002": _inf(_TASKS, "by analogy with an unknown ID (404 row); real 12.x servers answer 500 'no task with id [task-N] in current rest session' (field notes)."),
    "EM-ISO-003": _doc(_TASKS, "/tasks lists the tasks created within the current logon session."),
    "EM-ISO-004": _inf(_TASKS, "by analogy with reading: a task of another session is not that session's to remove."),
    # logon
    "EM-LOGON-001": _doc(_AUTH, "GET /api/ needs no authentication and answers 200 with an EnterpriseManager body (example on the 12.x page)."),
    "EM-LOGON-002": _doc("post_sessionmngr.html", "Response: 201 Created."),
    "EM-LOGON-003": _doc(_AUTH, "the token is returned in the X-RestSvcSessionId response header."),
    "EM-LOGON-004": _doc(_AUTH, "example: Set-Cookie: X-RestSvcSessionId=...; Path=/api;"),
    "EM-LOGON-005": _doc("logging_on.html", "the 201 body is a LogonSession (XML example); each schema constraint carries its own evidence."),
    "EM-LOGON-006": _doc("logging_on.html", "example: SessionId equals the last segment of Href, and a Delete link to the session."),
    "EM-LOGON-007": _doc(_AUTH, "bad credentials: 401 with WWW-Authenticate: Basic Realm=RestSvc."),
    "EM-LOGON-008": _doc("delete_loginsessions_id.html", "Response: 204 No Content, with an example."),
    "EM-LOGON-009": _doc(_CODES, "401 row: a token found but no longer valid; logging out deletes the logon session (logging_out.html)."),
    "EM-LOGON-010": _obs("API version removal: EM 12a stopped accepting v=v1_4 at logon and answers 401."),
    "EM-LOGON-011": _obs("Token forms: the token is also set as a cookie, and some clients send only the cookie."),
    "EM-LOGON-012": _doc(_AUTH, "if a client sends both the header and the cookie, the cookie wins."),
    "EM-LOGON-013": _doc(_AUTH, "Timeout Value for Idle Sessions: 15 minutes."),
    # negotiation
    "EM-NEG-001": _doc(_SPECS, "Accept: without it the server answers XML; application/xml can be sent for XML."),
    "EM-NEG-002": _doc(_SPECS, "Accept: application/json must be sent to get JSON."),
    "EM-NEG-003": _obs("Accept: any application/json entry, even after application/xml, switched the server to JSON (benyoung.blog, 9.5U4)."),
    "EM-NEG-004": _doc(_SPECS, "response headers: Content-Type application/xml or application/json."),
    "EM-NEG-005": _doc(_SPECS, "response headers: Content-Length."),
    "EM-NEG-006": _doc("https://www.rfc-editor.org/rfc/rfc8259#section-8.1", "implementations MUST NOT add a byte order mark to JSON text."),
    "EM-NEG-007": _doc(_REPR, "every documented JSON example (resource_representations.html, resource_representation_for_ke.html, representation_collections.html) uses PascalCase keys."),
    "EM-NEG-008": _doc("representation_collections.html", "the documented JSON prints null for absent elements."),
    "EM-NEG-009": _inf(_REPR, "no page states the XML-to-JSON mapping; it is read off the documented twins (Job, EntityRef, CloudTenants), and where the twins disagree (SupportedVersions) each form is accepted."),
    # property
    "EM-PROP-001": _inf("em_web_api_reference.html", "specs/ mixes documented, inferred and observed constraints; a generated request's answer is judged against all of them."),
    "EM-PROP-002": _doc(_DELETE_JOB, "the method deletes the job with the given ID: an ID that names no job deletes nothing."),
    # representation
    "EM-REPR-001": _doc(_REPR, "each resource's representation; each schema constraint carries its own evidence and fails at SHOULD unless documented."),
    "EM-REPR-002": _inf(_AUTH, "no JSON body of GET /api/ is published; the documented JSON uses both a flat array (Links, Refs) and a kept wrapper (Includes, Resources) for list wrappers."),
    # robustness
    "EM-ERR-001": _doc(_CODES, "404 row: a resource in the request not found in its collection."),
    "EM-ERR-002": _doc(_CODES, "404 row: a malformed ID names no resource of the collection; 400 row: malformed request."),
    "EM-ERR-003": _inf(_CODES, WRONG_METHOD_LEVEL),
    "EM-ERR-004": _doc(_CODES, "the table gives an Error body for every 4xx and 5xx; the Error schema itself is observed (community captures)."),
    "EM-ERR-005": _doc(_SPECS, "the Accept statement applies to every response; a JSON Error was captured on 9.5U4 (benyoung.blog)."),
    "EM-ERR-006": _obs("the captured Error bodies carry StatusCode equal to the HTTP status (400, 500).", COMMUNITY),
    "EM-ERR-007": _inf(_CODES, "the suite sends only documented requests and probes the docs answer with 4xx; 500 is the server-side failure row."),
    # safety
    "EM-SAFE-001": _doc(_DELETE_JOB, "jobs are deleted by DELETE /jobs/{ID}; no documented job representation (jobs_id.html, get_jobs_id.html) carries a Delete link."),
    "EM-SAFE-002": _doc(_DELETE_JOB, "the method does not delete file share (NAS) backup jobs."),
    "EM-SAFE-003": _doc(_DELETE_JOB, "the method does not delete Veeam Agent backup jobs."),
    "EM-SAFE-004": _inf(_DELETE_JOB, "by analogy with an unknown ID (404 row): a NAS or Agent job is not in /jobs; the page does not give the status."),
    "EM-TOL-001": _obs("real clients read a job with format=entity in lower case before deleting it (Nutanix Calm's VeeamDeleteJob script), so a real server answers it."),
    "EM-SAFE-005": _doc("post_jobs_id_actionclone.html", "the finished clone task gets a Rel=Related Type=Job link to the new job's entity URL (the page's example)."),
    # task
    "EM-TASK-001": _doc(_GET_TASK, "Response: 200 OK with a Task, three examples."),
    "EM-TASK-002": _doc(_GET_TASK, "State is Running, OperationFinished or Finished."),
    "EM-TASK-003": _doc(_GET_TASK, "the Running examples carry no Result; OperationFinished and Finished ones do."),
    "EM-TASK-004": _doc(_GET_TASK, "Finished examples carry Result Success=...; Success is required in RestAPI.xsd."),
    "EM-TASK-005": _doc(_GET_TASK, "the states are defined as steps: in progress, done on the backup server, done and EM updated."),
    "EM-TASK-006": _doc(_GET_TASK, "a task is polled until State is Finished; the timeout is the suite's."),
    "EM-TASK-007": _doc(_TASKS, "/tasks lists the tasks created within the current logon session (GET /tasks: get_tasks.html)."),
    "EM-TASK-008": _doc(_DELETE_JOB, "the method deletes the job; the 404 row covers a resource not found in its collection."),
    "EM-TASK-009": _doc(_DELETE_JOB, "the method deletes the job: a deleted job is no longer in /jobs."),
    "EM-TASK-010": _doc(_DELETE_JOB, "a deleted job is not found (404 row), so deleting it again cannot succeed."),
    "EM-TASK-011": _inf(_DELETE_JOB, "no page shows a failed task (Success=false); a failed delete leaving the job is read from 'a failed operation did not happen' (DESIGN.md contract decisions)."),
    "EM-TASK-012": _inf(_GET_TASK, "Result has an optional Message, which successful examples fill; no failure example exists."),
    "EM-TASK-013": _doc(_DELETE_JOB, "the finished DeleteJob example has Message Ok."),
    "EM-TASK-014": _inf(_DELETE_JOB, "DESIGN.md contract decision: a running job cannot be deleted; the page does not say."),
}  # fmt: skip
