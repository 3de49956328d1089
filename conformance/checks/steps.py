"""The vocabulary flows and flow checks share: step labels and tags on exchanges.

Flows label each exchange with the step that made it (`Exchange.label`) and tag it
with `flow:<name>`, `format:<xml|json>`, `run:<id>` and, for probes, what was
deliberately wrong with the request (`token:missing`, `probe:unknown-id`...).
Recordings made by other tools can use the same words to be judged by flow checks.
"""

from __future__ import annotations

__all__ = [
    "CLONE_TAG",
    "FLOW_TAG",
    "FORMAT_TAG",
    "RUN_TAG",
    "SCHEMATHESIS_FAILURE_TAG",
    "Label",
    "Probe",
    "TokenProbe",
]

FLOW_TAG = "flow"
# Put before the title of each schemathesis check a generated request failed.
SCHEMATHESIS_FAILURE_TAG = "schemathesis-failure:"
FORMAT_TAG = "format"
RUN_TAG = "run"
# On each step of making a disposable clone: `clone:<the name the run gave it>`.
CLONE_TAG = "clone"


class Label:
    """Step labels (`Exchange.label`)."""

    ENTRY = "entry"
    LOGON = "logon"
    LOGON_BAD_CREDENTIALS = "logon-bad-credentials"
    LOGON_UNSUPPORTED_VERSION = "logon-unsupported-version"
    LOGOUT = "logout"
    AFTER_LOGOUT = "after-logout"
    COOKIE_ONLY = "cookie-only"
    COOKIE_WINS = "cookie-wins"
    TWIN = "twin"
    GET_JOB_BEFORE = "get-job-before"
    # `?format=entity` in lower case, as Nutanix Calm sends it (field notes).
    GET_JOB_FORMAT_LOWERCASE = "get-job-format-lowercase"
    DELETE_JOB = "delete-job"
    POLL_TASK = "poll-task"
    LIST_TASKS = "list-tasks"
    GET_JOB_AFTER = "get-job-after"
    LIST_JOBS_AFTER = "list-jobs-after"
    DELETE_AGAIN = "delete-again"
    POLL_DELETE_AGAIN = "poll-delete-again"
    START_JOB = "start-job"
    CANCEL_TASK = "cancel-task"
    GET_CANCELLED_TASK = "get-cancelled-task"
    LIST_TASKS_AFTER_CANCEL = "list-tasks-after-cancel"
    OTHER_GET_TASK = "other-session-get-task"
    OTHER_LIST_TASKS = "other-session-list-tasks"
    OTHER_DELETE_TASK = "other-session-delete-task"
    OWN_GET_TASK = "own-session-get-task"
    DELETE_NAS_JOB = "delete-nas-job"
    NAS_JOB_AFTER = "nas-job-after"
    DELETE_AGENT_JOB = "delete-agent-job"
    AGENT_JOB_AFTER = "agent-job-after"
    GENERATED = "generated"
    INVENTORY_BEFORE = "inventory-before"
    PROBE_DELETE = "probe-delete"
    POLL_PROBE = "poll-probe"
    INVENTORY_AFTER = "inventory-after"
    PREFLIGHT_JOB = "preflight-job"
    CLONE_INVENTORY_BEFORE = "clone-inventory-before"
    CLONE_SOURCE = "clone-source"
    CLONE_JOB = "clone-job"
    POLL_CLONE = "poll-clone"
    CLONE_INVENTORY_AFTER = "clone-inventory-after"


class TokenProbe:
    """Tags of requests sent with a deliberately bad session token."""

    MISSING = "token:missing"
    MALFORMED = "token:malformed"
    UNKNOWN = "token:unknown"
    LOGGED_OUT = "token:logged-out"
    EXPIRED = "token:expired"


class Probe:
    """Tags of requests that are deliberately wrong in another way."""

    GENERATED_ID = "probe:generated-id"

    UNKNOWN_ID = "probe:unknown-id"
    MALFORMED_ID = "probe:malformed-id"
    WRONG_METHOD = "probe:wrong-method"
