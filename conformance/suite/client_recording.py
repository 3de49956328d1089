"""Client-shaped recordings: one client's session against the emulator, as a client sees it.

The suite's recordings (`emulator-flows-*`) probe the server: bad tokens, both formats,
odd IDs.  A client replaying one meets none of the answers it expects in the order it
expects them.  These recordings are what one ordinary client does, in one format: read
the entry point, log on, list the jobs, read one, delete it and poll its task to Finished, delete another and
cancel its task, log out, and then call once more with the logged-out token (the 401 a
client with a stale token gets).  The emulator runs on a manual clock, so the polls see
the same states every time and regeneration rewrites identical files.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from pathlib import Path

from conformance.cassette.normalization import NORMAL_ORIGIN
from conformance.cassette.storage import write_cassette
from conformance.exchange import Exchange, RecordedRequest, RecordedResponse
from conformance.model import LogonSession, Task
from conformance.protocol import MEDIA_TYPES, SESSION_HEADER

__all__ = ["CLIENT_RECORDINGS", "POLL_INTERVAL", "record_client_cassettes", "record_client_session"]

CLIENT_RECORDINGS = {"xml": "client-session-xml.yaml", "json": "client-session-json.yaml"}
API = f"{NORMAL_ORIGIN}/api"
# Seconds between recorded polls; with the emulator's task duration below, a task is seen
# Running, then OperationFinished or Finished, as a client polling once a second sees it.
POLL_INTERVAL = 1.0
TASK_DURATION = 2.0
MAX_POLLS = 10
_JOB_UID = re.compile(r"urn:veeam:Job:([0-9a-fA-F-]{36})")


@dataclass
class _Client:
    """A scripted client talking to the transport-free emulator; keeps what it exchanged."""

    fmt: str
    exchanges: list[Exchange] = field(default_factory=list)
    token: str = ""

    def __post_init__(self) -> None:
        from conformance.emulator import EmulatorConfig, EnterpriseManagerEmulator
        from conformance.emulator.clock import ManualClock

        self.clock = ManualClock()
        config = EmulatorConfig(clock=self.clock, task_duration=TASK_DURATION)
        self.emulator = EnterpriseManagerEmulator(config)

    @property
    def media(self) -> str:
        return MEDIA_TYPES[self.fmt]

    def call(
        self, method: str, url: str, headers: dict[str, str] | None = None
    ) -> RecordedResponse:
        sent = {"Accept": self.media, **({SESSION_HEADER: self.token} if self.token else {})}
        request = RecordedRequest.build(method, url, {**sent, **(headers or {})})
        response = self.emulator.handle(request)
        self.exchanges.append(Exchange(request, response))
        return response

    def task(self, response: RecordedResponse) -> Task:
        return Task.from_response(response)


def _log_on(client: _Client) -> LogonSession:
    user = client.emulator.users[0]
    basic = base64.b64encode(f"{user.name}:{user.password}".encode()).decode()
    answer = client.call(
        "POST", f"{API}/sessionMngr/?v=latest", {"Authorization": f"Basic {basic}"}
    )
    client.token = answer.header(SESSION_HEADER) or ""
    return LogonSession.from_body(answer.body, client.media)


def _poll_to_finished(client: _Client, task: Task) -> None:
    for _ in range(MAX_POLLS):
        if task.finished:
            return
        client.clock.advance(POLL_INTERVAL)
        task = client.task(client.call("GET", task.href))
    raise RuntimeError(f"task {task.task_id} did not finish in {MAX_POLLS} polls")


def _cancel(client: _Client, job_id: str) -> None:
    task = client.task(client.call("DELETE", f"{API}/jobs/{job_id}"))
    client.call("GET", task.href)
    delete = task.link("Delete")
    client.call("DELETE", delete.href if delete else task.href)
    client.call("GET", task.href)  # 404: a cancelled task is gone


def record_client_session(fmt: str) -> list[Exchange]:
    """One client's session in `fmt` ("xml" or "json"), raw: redact before saving."""
    client = _Client(fmt)
    client.call("GET", f"{API}/")
    session = _log_on(client)
    listed = client.call("GET", f"{API}/jobs")
    first, second = _JOB_UID.findall(listed.body.decode())[:2]
    client.call("GET", f"{API}/jobs/{first}")
    _poll_to_finished(client, client.task(client.call("DELETE", f"{API}/jobs/{first}")))
    client.call("GET", f"{API}/jobs/{first}")  # 404: the job is gone
    _cancel(client, second)
    logout = session.link("Delete")
    client.call("DELETE", logout.href if logout else session.href)
    client.call("GET", f"{API}/jobs")  # 401: the token ended with the session
    return client.exchanges


def record_client_cassettes(out: Path) -> list[Path]:
    """Write `client-session-{xml,json}.yaml` into `out`."""
    written = []
    for fmt, name in CLIENT_RECORDINGS.items():
        path = out / name
        write_cassette(path, record_client_session(fmt), normalize=True)
        written.append(path)
    return written
