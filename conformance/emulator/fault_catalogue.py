"""The fault catalogue: each named deviation from the contract as a constant that carries
the rule IDs it breaks.

A server fault breaks one documented rule (or one DESIGN.md decision) in a way a
conformance suite can see on the wire; `breaks` lists the rules a run with that fault
alone fails, several only where the fault breaks several documented statements at once
(each token state the server stops checking; a GET and a listing that both still show a
deleted job...). The IDs are plain strings, since the emulator never imports the checks;
tests/suite/test_faults.py runs every server fault and asserts exactly these rules fail,
and docs/faults.md is generated from here (`python -m conformance.emulator.fault_page`).
Client-facing faults break no server rule: they are what a client must cope with.
Every public name here is a fault constant or a table of them (no `__all__` needed).
"""

from __future__ import annotations

from dataclasses import dataclass

_DOCS = "https://helpcenter.veeam.com/docs/vbr/em_rest/"


@dataclass(frozen=True)
class Fault:
    """One deviation: its name, what the emulator then does, and the rule it breaks."""

    name: str
    description: str
    rule: str
    page: str
    breaks: frozenset[str] = frozenset()  # rule IDs a run with this fault alone fails


def _fault(
    name: str, description: str, rule: str, page: str, breaks: tuple[str, ...] = ()
) -> Fault:
    return Fault(
        name, description, rule, page if "://" in page else _DOCS + page, frozenset(breaks)
    )


DELETE_RETURNS_200 = _fault(
    "delete-returns-200",
    "DELETE /jobs/{ID} answers 200 OK (with the Task) instead of 202.",
    "DELETE /jobs/{ID} answers 202 Accepted with a Task.",
    "delete_jobs_id.html",
    breaks=("EM-DEL-001",),
)
JSON_IGNORED = _fault(
    "json-ignored",
    "Bodies are XML even when Accept asks for application/json.",
    "Accept: application/json must give JSON.",
    "em_web_api_specifications.html",
    breaks=("EM-NEG-002", "EM-NEG-003"),
)
XML_ERRORS = _fault(
    "xml-errors",
    "Error bodies are XML even when JSON was negotiated.",
    "Errors come in the negotiated format (DESIGN.md).",
    "http_response_codes.html",
    breaks=("EM-NEG-002",),
)
WRONG_NAMESPACE = _fault(
    "wrong-namespace",
    "XML bodies use the namespace http://www.veeam.com/ent/v1.1.",
    "XML is in the namespace http://www.veeam.com/ent/v1.0.",
    "em_web_api_specifications.html",
    breaks=(
        "EM-AUTHZ-004",
        "EM-DEL-002",
        "EM-ERR-004",
        "EM-LOGON-001",
        "EM-LOGON-005",
        "EM-REPR-001",
    ),
)
CONTENT_TYPE_MISMATCH = _fault(
    "content-type-mismatch",
    "Content-Type names the other format than the body's.",
    "Content-Type is application/xml or application/json, matching the body.",
    "em_web_api_specifications.html",
    breaks=("EM-NEG-004",),
)
CAMELCASE_JSON = _fault(
    "camelcase-json",
    "JSON keys are camelCase (taskId, href), as EM 13 shipped by mistake.",
    "JSON keys keep the PascalCase XML names.",
    "resource_representations.html",
    breaks=("EM-NEG-007",),
)
JSON_BOM = _fault(
    "json-bom",
    "JSON bodies start with a UTF-8 byte-order mark.",
    "A JSON body starts with '{' or '['.",
    "resource_representations.html",
    breaks=("EM-NEG-006",),
)
WRAPPED_JSON_ROOT = _fault(
    "wrapped-json-root",
    'JSON keeps the root element: {"Task": {...}}.',
    "JSON drops the root element.",
    "resource_representations.html",
    breaks=(
        "EM-AUTHZ-004",
        "EM-DEL-002",
        "EM-ERR-004",
        "EM-LOGON-001",
        "EM-LOGON-005",
        "EM-NEG-009",
        "EM-PROP-001",  # generated requests' 404 Error bodies, which no other rule judges
        "EM-REPR-001",
    ),
)
SUCCESS_AS_STRING_IN_JSON = _fault(
    "success-as-string-in-json",
    'JSON Result.Success is the string "True", not a boolean.',
    "Booleans are JSON true/false.",
    "resource_representations.html",
    breaks=("EM-REPR-001",),
)
NO_CONTENT_LENGTH = _fault(
    "no-content-length",
    "Responses carry no Content-Length (chunked on the wire).",
    "Responses with a body carry Content-Length.",
    "em_web_api_specifications.html",
    breaks=("EM-NEG-005",),
)
WRONG_CONTENT_LENGTH = _fault(
    "wrong-content-length",
    "Content-Length is 16 bytes more than the body.",
    "Content-Length is the length of the body.",
    "em_web_api_specifications.html",
    breaks=("EM-NEG-005",),
)
HREF_WRONG_HOST = _fault(
    "href-wrong-host",
    "Every Href names http://em-internal.local:9399 instead of the host called.",
    "Hrefs carry the scheme, host and port the client called.",
    "resource_urls.html",
    breaks=("EM-DEL-005",),
)
MISSING_TASK_HREF = _fault(
    "missing-task-href",
    "Task bodies have no Href attribute.",
    "A Task has Href = .../tasks/{TaskId}.",
    "tasks_id.html",
    breaks=("EM-DEL-002", "EM-DEL-004", "EM-DEL-006", "EM-REPR-001"),
)
TASK_NEVER_FINISHES = _fault(
    "task-never-finishes",
    "Tasks stay Running forever; their operation never happens.",
    "A Task reaches State Finished.",
    "get_tasks_id.html",
    breaks=("EM-TASK-006",),
)
STATE_GOES_BACKWARDS = _fault(
    "state-goes-backwards",
    "After Finished, every other poll of a task answers Running.",
    "Task State only moves Running -> OperationFinished -> Finished.",
    "get_tasks_id.html",
    breaks=("EM-TASK-005",),
)
RESULT_WHILE_RUNNING = _fault(
    "result-while-running",
    'Running tasks (also the 202 body) carry Result Success="true".',
    "Result appears only once the task has finished.",
    "delete_jobs_id.html",
    breaks=("EM-TASK-003",),
)
JOB_SURVIVES_DELETE = _fault(
    "job-survives-delete",
    'A DeleteJob task finishes Success="true" but the job stays.',
    "After a successful DeleteJob task, GET /jobs/{ID} is 404.",
    "delete_jobs_id.html",
    breaks=("EM-TASK-008", "EM-TASK-009"),
)
RUNNING_JOB_DELETABLE = _fault(
    "running-job-deletable",
    "Deleting a running job succeeds and the job is gone.",
    "Deleting a running job fails with a message; the job stays (DESIGN.md).",
    "delete_jobs_id.html",
    breaks=("EM-TASK-014",),
)
HALF_STATE_ON_FAILED_DELETE = _fault(
    "half-state-on-failed-delete",
    "A DeleteJob task that fails still removes the job.",
    'A task that finishes Success="false" leaves the job in place (DESIGN.md).',
    "delete_jobs_id.html",
    breaks=("EM-TASK-011",),
)
NAS_JOB_DELETABLE = _fault(
    "nas-job-deletable",
    "DELETE /jobs/{ID} with a NAS job's ID deletes the NAS job.",
    "DELETE /jobs/{ID} does not delete file share (NAS) jobs.",
    "delete_jobs_id.html",
    breaks=("EM-SAFE-002", "EM-SAFE-004"),
)
UNKNOWN_JOB_202 = _fault(
    "unknown-job-202",
    "DELETE /jobs/{unknown} answers 202 and a task that fails later.",
    "An unknown job ID answers 404 with an Error (DESIGN.md).",
    "http_response_codes.html",
    breaks=("EM-ERR-001", "EM-ERR-002", "EM-SAFE-004"),
)
UNKNOWN_JOB_500 = _fault(
    "500-on-unknown-job",
    "Unknown or malformed job IDs answer 500 with an Error.",
    "An unknown job ID answers 404 (or 400), never 5xx.",
    "http_response_codes.html",
    breaks=("EM-ERR-007",),
)
DELETE_LINK_ON_JOB = _fault(
    "delete-link-on-job",
    "Job references and entities carry a Delete link.",
    "The /jobs/{ID} resource does not contain the Delete link.",
    "delete_jobs_id.html",
    breaks=("EM-SAFE-001",),
)
CANCEL_RETURNS_200_WITH_BODY = _fault(
    "cancel-returns-200-with-body",
    "DELETE /tasks/{ID} answers 200 with the Task.",
    "DELETE /tasks/{ID} answers 204 No Content with no body.",
    "delete_task_id.html",
    breaks=("EM-CANCEL-001",),
)
TASK_SURVIVES_CANCEL = _fault(
    "task-survives-cancel",
    "DELETE /tasks/{ID} answers 204 but the task stays and runs on.",
    "A removed task is gone from /tasks and its operation stops.",
    "delete_task_id.html",
    breaks=("EM-CANCEL-002", "EM-CANCEL-003"),
)
CROSS_SESSION_TASK_LEAK = _fault(
    "cross-session-task-leak",
    "Tasks are visible to every logon session.",
    "/tasks lists the tasks of the current logon session only.",
    "tasks.html",
    breaks=("EM-ISO-001", "EM-ISO-003", "EM-ISO-004"),
)
AUTH_NOT_ENFORCED = _fault(
    "auth-not-enforced",
    "Requests without a valid session token are served.",
    "A missing or expired token answers 401.",
    "http_response_codes.html",
    breaks=("EM-AUTHZ-001", "EM-AUTHZ-002", "EM-AUTHZ-003", "EM-LOGON-009", "EM-LOGON-013"),
)
LOGOUT_TOKEN_STILL_VALID = _fault(
    "logout-token-still-valid",
    "The token still works after DELETE /logonSessions/{ID}.",
    "Logging out ends the session; its token answers 401.",
    "delete_loginsessions_id.html",
    breaks=("EM-LOGON-009",),
)
NO_IDLE_TIMEOUT = _fault(
    "no-idle-timeout",
    "Logon sessions never expire.",
    "A session idle for 15 minutes expires (401).",
    "http_authentication.html",
    breaks=("EM-LOGON-013",),
)
HEADER_WINS_OVER_COOKIE = _fault(
    "header-wins-over-cookie",
    "When both are sent, the header token is used, not the cookie.",
    "If a client sends both header and cookie, the cookie wins.",
    "http_authentication.html",
    breaks=("EM-LOGON-012",),
)
LOGON_RETURNS_200 = _fault(
    "logon-returns-200",
    "A successful logon answers 200 OK (token, cookie and body intact).",
    "A logon with valid credentials answers 201 Created.",
    "post_sessionmngr.html",
    breaks=("EM-LOGON-002",),
)
NO_SESSION_COOKIE = _fault(
    "no-session-cookie",
    "Logon sets no X-RestSvcSessionId cookie.",
    "Logon returns the token as a cookie (Path=/api) too.",
    "http_authentication.html",
    breaks=("EM-LOGON-004",),
)
NO_WWW_AUTHENTICATE = _fault(
    "no-www-authenticate",
    "Bad Basic credentials get 401 without WWW-Authenticate.",
    "A failed logon answers 401 with WWW-Authenticate: Basic Realm=RestSvc.",
    "http_authentication.html",
    breaks=("EM-LOGON-007",),
)
UNSUPPORTED_VERSION_ACCEPTED = _fault(
    "unsupported-version-accepted",
    "Logon with v=v1_4 (or any version) succeeds.",
    "Unsupported API versions are refused with 401 (DESIGN.md).",
    "em_web_api_versions.html",
    breaks=("EM-LOGON-010",),
)
WRONG_METHOD_404 = _fault(
    "wrong-method-404",
    "A wrong method on a known path answers 404 instead of 405.",
    "A method not supported on a resource answers 405.",
    "http_response_codes.html",
    breaks=("EM-ERR-003",),
)
SERVER_CATALOGUE = (
    DELETE_RETURNS_200,
    JSON_IGNORED,
    XML_ERRORS,
    WRONG_NAMESPACE,
    CONTENT_TYPE_MISMATCH,
    CAMELCASE_JSON,
    JSON_BOM,
    WRAPPED_JSON_ROOT,
    SUCCESS_AS_STRING_IN_JSON,
    NO_CONTENT_LENGTH,
    WRONG_CONTENT_LENGTH,
    HREF_WRONG_HOST,
    MISSING_TASK_HREF,
    TASK_NEVER_FINISHES,
    STATE_GOES_BACKWARDS,
    RESULT_WHILE_RUNNING,
    JOB_SURVIVES_DELETE,
    RUNNING_JOB_DELETABLE,
    HALF_STATE_ON_FAILED_DELETE,
    NAS_JOB_DELETABLE,
    UNKNOWN_JOB_202,
    UNKNOWN_JOB_500,
    DELETE_LINK_ON_JOB,
    CANCEL_RETURNS_200_WITH_BODY,
    TASK_SURVIVES_CANCEL,
    CROSS_SESSION_TASK_LEAK,
    AUTH_NOT_ENFORCED,
    LOGOUT_TOKEN_STILL_VALID,
    NO_IDLE_TIMEOUT,
    HEADER_WINS_OVER_COOKIE,
    LOGON_RETURNS_200,
    NO_SESSION_COOKIE,
    NO_WWW_AUTHENTICATE,
    UNSUPPORTED_VERSION_ACCEPTED,
    WRONG_METHOD_404,
)

# Client-facing profiles, for `validate-client --matrix`: server behaviour a client must
# cope with (a reverse proxy in front, a busy service, an expiring session, a failed
# task).  Kept out of FAULTS, which holds what the server suite must catch.
ALIAS_PREFIX = "/em-proxy"
HREF_ALIAS_PREFIX = _fault(
    "href-alias-prefix",
    f"Hrefs name another alias of this host (localhost <-> 127.0.0.1)"
    f" under the path prefix {ALIAS_PREFIX}, as behind a reverse proxy; both are served.",
    "Hrefs carry the scheme, host and port the client called.",
    "resource_urls.html",
)
DELETE_TASK_FAILS = _fault(
    "delete-task-fails",
    'Every DeleteJob task finishes Success="false" with a message; the job stays.',
    "None: a failed task is legitimate; a client must report it.",
    "get_tasks_id.html",
)
BUSY_503 = _fault(
    "busy-503",
    "The first poll of each task answers 503 Service Unavailable with Retry-After: 1.",
    "None: a busy service may answer 503; a client should wait or stop.",
    "http_response_codes.html",
)
SESSION_EXPIRES_MID_POLL = _fault(
    "session-expires-mid-poll",
    "The logon session expires at the second poll of a task (401 from then on).",
    "None: sessions expire; a client must notice the 401.",
    "http_authentication.html",
)
TASK_IN_OTHER_SESSION = _fault(
    "task-in-other-session",
    'Task polls answer 500 "no task with id [task-N] in current'
    " rest session\", as 12.x answers for another session's task.",
    "Another session's task is refused (DESIGN.md); a client must not take it for success.",
    "get_tasks_id.html",
)
CLIENT_CATALOGUE = (
    HREF_ALIAS_PREFIX,
    DELETE_TASK_FAILS,
    BUSY_503,
    SESSION_EXPIRES_MID_POLL,
    TASK_IN_OTHER_SESSION,
)
CLIENT_FAULTS: dict[str, Fault] = {fault.name: fault for fault in CLIENT_CATALOGUE}

FAULTS: dict[str, Fault] = {fault.name: fault for fault in SERVER_CATALOGUE}
