"""The client: session-aware HTTP on `requests` that records every exchange it makes.

Built for untrusted servers: redirects are never followed, bodies are streamed and cut
at a size cap, every request has connect and read timeouts plus an overall deadline,
TLS is verified unless the caller says otherwise, and cookies are never stored (the
suite decides which token each request carries).  Passwords and session tokens are
redacted before an exchange is recorded, so no report, log or cassette can hold them.
Every request passes a `SafetyGuard` first: by default nothing but reads, logon and
logging out one's own session is allowed.
"""

from __future__ import annotations

import base64
import http.cookiejar
import re
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import urljoin, urlsplit

import requests
import urllib3

from conformance.__version__ import __version__
from conformance.checks.scope import api_path
from conformance.errors import BodyError, Error, TargetError
from conformance.exchange import Exchange, RecordedRequest, RecordedResponse
from conformance.model import LogonSession, Task

__all__ = [
    "SESSION_HEADER",
    "ClientOptions",
    "EmClient",
    "Logon",
    "Redactor",
    "SafetyGuard",
    "SafetyRefusal",
]

SESSION_HEADER = "X-RestSvcSessionId"
_CHUNK = 64 * 1024
_T = TypeVar("_T")
_READS = frozenset({"GET", "HEAD", "OPTIONS"})
_PROBE_COLLECTIONS = frozenset({"/tasks", "/jobs", "/logonsessions"})


class SafetyRefusal(Error):
    """The client refused a request that could change something the suite may not touch."""

    exit_code = 2


@dataclass
class SafetyGuard:
    """What this run may change on the target, enforced on every request.

    Reads, logon and logout of the client's own sessions are always allowed.  With
    `destructive` on, DELETE reaches only the jobs the suite was given or created
    (`jobs`), IDs it made up that name nothing (`probes`), NAS/Agent jobs it may probe
    (`foreign_jobs`, emulator only) and tasks it created; clones start only from
    `clone_sources`; jobs are started only if they are the suite's own.
    """

    destructive: bool = False
    jobs: set[str] = field(default_factory=set)
    probes: set[str] = field(default_factory=set)
    foreign_jobs: set[str] = field(default_factory=set)
    clone_sources: set[str] = field(default_factory=set)
    tasks: set[str] = field(default_factory=set)
    sessions: set[str] = field(default_factory=set)

    def may_delete_job(self, job_id: str) -> bool:
        allowed = self.jobs | self.probes | self.foreign_jobs
        return self.destructive and job_id.lower() in {item.lower() for item in allowed}

    def authorize(self, method: str, path: str, query: dict[str, str], has_body: bool) -> None:
        """Raise `SafetyRefusal` unless the request is allowed; `path` is below `/api`."""
        if not self._allowed(method.upper(), path.rstrip("/") or "/", query, has_body):
            raise SafetyRefusal(
                f"Refused {method} {path}: the suite changes only what it created or was"
                " given. Run with --destructive and --disposable-job ID or --clone-from ID"
                " to allow deleting a disposable job."
            )

    def _allowed(self, method: str, path: str, query: dict[str, str], has_body: bool) -> bool:
        parts = path.lower().strip("/").split("/")
        if method in _READS or (method == "POST" and parts == ["sessionmngr"]):
            return True
        if method in ("PUT", "PATCH"):
            return not has_body and "/" + "/".join(parts) in _PROBE_COLLECTIONS
        if len(parts) != 2:
            return False
        kind, item = parts
        if method == "DELETE":
            return self._may_delete(kind, item)
        return method == "POST" and kind == "jobs" and self._may_act(item, query.get("action", ""))

    def _may_delete(self, kind: str, item: str) -> bool:
        if kind == "logonsessions":
            return item in {session.lower() for session in self.sessions}
        if kind == "tasks":
            owned = {task.lower() for task in self.tasks | self.probes}
            return self.destructive and item in owned
        return kind == "jobs" and self.may_delete_job(item)

    def _may_act(self, job_id: str, action: str) -> bool:
        sources = {job.lower() for job in self.clone_sources}
        if action.lower() == "clone":
            return self.destructive and job_id in sources
        own = {job.lower() for job in self.jobs | self.probes}
        return self.destructive and action.lower() == "start" and job_id in own


class Redactor:
    """Replaces secrets before anything is recorded: tokens by stable placeholders in
    headers (so checks can still compare them), by same-length masks in bodies (so
    Content-Length stays true)."""

    def __init__(self) -> None:
        self._secrets: dict[str, str] = {}

    def add(self, secret: str, placeholder: str | None = None) -> None:
        if secret and secret not in self._secrets:
            self._secrets[secret] = placeholder or f"<redacted-token-{len(self._secrets) + 1}>"

    def text(self, value: str) -> str:
        for secret, placeholder in sorted(self._secrets.items(), key=lambda s: -len(s[0])):
            value = value.replace(secret, placeholder)
        return value

    def body(self, data: bytes) -> bytes:
        for secret in self._secrets:
            raw = secret.encode()
            data = data.replace(raw, b"*" * len(raw))
        return data

    def headers(self, headers: Iterator[tuple[str, str]]) -> list[tuple[str, str]]:
        return [(name, self.text(value)) for name, value in headers]


@dataclass(frozen=True)
class ClientOptions:
    """Transport settings; `verify` is True, False (insecure) or a CA bundle path."""

    verify: bool | str = True
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    max_body: int = 8 * 1024 * 1024
    api_version: str = "latest"


@dataclass(frozen=True)
class Logon:
    """A logon session the client holds: the token (never recorded) and where it lives."""

    token: str = field(repr=False)
    session_id: str
    href: str
    accept: str | None = None


def _cookieless_session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no .netrc credentials, no proxy or CA variables behind our back
    session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    session.headers.clear()
    session.headers.update(
        {"User-Agent": f"em-conformance/{__version__}", "Accept-Encoding": "identity"}
    )
    return session


def _hint(exc: Exception) -> str:
    if isinstance(exc, requests.exceptions.SSLError):
        return " Check the certificate: pass --ca-bundle FILE, or --insecure for a test server."
    if isinstance(exc, requests.exceptions.Timeout):
        return " Check that the target answers, or raise --timeout."
    return " Check the --target URL (scheme, host, port 9398) and that the server is up."


class EmClient:
    """Sends requests to one Enterprise Manager and records each exchange, redacted."""

    def __init__(
        self,
        base_url: str,
        options: ClientOptions | None = None,
        guard: SafetyGuard | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.options = options or ClientOptions()
        self.guard = guard or SafetyGuard()
        self.redactor = Redactor()
        self.exchanges: list[Exchange] = []
        self._http = _cookieless_session()

    def close(self) -> None:
        self._http.close()

    def url(self, target: str) -> str:
        """An absolute URL for a path below the API root, or for a link on the same origin."""
        if "://" not in target:
            return f"{self.base_url}/{target.lstrip('/')}"
        if not self.same_origin(target):
            raise TargetError(
                f"Refused to follow {self.redactor.text(target)}: it leaves the target"
                f" {self.base_url}. Expected links on the host and port that were called."
            )
        return target

    def same_origin(self, url: str) -> bool:
        here, there = urlsplit(self.base_url), urlsplit(urljoin(self.base_url + "/", url))
        return (here.scheme, here.hostname, here.port) == (there.scheme, there.hostname, there.port)

    def send(
        self,
        method: str,
        target: str,
        *,
        logon: Logon | None = None,
        accept: str | None = None,
        headers: dict[str, str] | None = None,
        body: bytes = b"",
        label: str = "",
        tags: tuple[str, ...] = (),
    ) -> Exchange:
        """Send one request (the token of `logon` in the header) and record the exchange."""
        url = self.url(target)
        fields = {SESSION_HEADER: logon.token} if logon else {}
        fields |= {"Accept": accept} if accept else {}
        fields |= headers or {}
        request = RecordedRequest.build(method, url, fields, body)
        return self._record(request, label, tags)[0]

    def _record(
        self, request: RecordedRequest, label: str, tags: tuple[str, ...]
    ) -> tuple[Exchange, RecordedResponse]:
        """The redacted exchange, recorded, and the response as it really arrived."""
        self.guard.authorize(
            request.method, api_path(request.path), request.query, bool(request.body)
        )
        start = time.monotonic()
        prepared, response, extra = self._transfer(request)
        self._learn_tokens(response)
        self._adopt(request, response)
        exchange = Exchange(
            self._redact_request(request, prepared),
            self._redact_response(response, time.monotonic() - start),
            label,
            tags + extra,
        )
        self.exchanges.append(exchange)
        return exchange, response

    def adopt(self, exchange: Exchange, label: str, tags: tuple[str, ...]) -> Exchange:
        """Record an exchange another HTTP engine made (schemathesis), redacted as our own
        are; adopt them in the order they were made, so every token is learnt first."""
        self._learn_tokens(exchange.response)
        adopted = Exchange(
            self._redact_request(exchange.request, iter(exchange.request.headers)),
            self._redact_response(exchange.response, exchange.response.elapsed),
            label,
            tags,
        )
        self.exchanges.append(adopted)
        return adopted

    def _redact_request(
        self, request: RecordedRequest, sent: Iterator[tuple[str, str]]
    ) -> RecordedRequest:
        headers = tuple(self.redactor.headers(sent))
        return RecordedRequest(
            request.method, request.url, headers, self.redactor.body(request.body)
        )

    def _redact_response(self, response: RecordedResponse, elapsed: float) -> RecordedResponse:
        headers = tuple(self.redactor.headers(iter(response.headers)))
        return RecordedResponse(
            response.status, headers, self.redactor.body(response.body), elapsed
        )

    def _transfer(
        self, request: RecordedRequest
    ) -> tuple[Iterator[tuple[str, str]], RecordedResponse, tuple[str, ...]]:
        options = self.options
        timeout = (options.connect_timeout, options.read_timeout)
        try:
            with warnings.catch_warnings():
                # --insecure was asked for explicitly; one warning per request adds nothing.
                warnings.simplefilter("ignore", urllib3.exceptions.InsecureRequestWarning)
                raw = self._http.request(
                    request.method,
                    request.url,
                    headers=dict(request.headers),
                    data=request.body or None,
                    allow_redirects=False,  # never, and certainly not to another host
                    stream=True,
                    verify=options.verify,
                    timeout=timeout,
                )
        except requests.exceptions.RequestException as exc:
            where = f"{request.method} {self.redactor.text(request.url)}"
            raise TargetError(f"{where} failed: {_reason(exc)}.{_hint(exc)}") from None
        with raw:
            body, extra = self._read(raw, request)
        headers = tuple((name, value) for name, value in raw.raw.headers.items())
        sent = iter(raw.request.headers.items())
        return sent, RecordedResponse(raw.status_code, headers, body), extra

    def _read(
        self, raw: requests.Response, request: RecordedRequest
    ) -> tuple[bytes, tuple[str, ...]]:
        deadline = time.monotonic() + self.options.read_timeout
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in _chunks(raw.raw):
                chunks.append(chunk)
                size += len(chunk)
                if size > self.options.max_body:
                    return b"".join(chunks)[: self.options.max_body], ("transport:truncated",)
                if time.monotonic() > deadline:
                    where = f"{request.method} {self.redactor.text(request.url)}"
                    raise TargetError(
                        f"{where}: the body did not arrive within {self.options.read_timeout:g} s."
                        " Check the target, or raise --timeout."
                    )
        except (urllib3.exceptions.HTTPError, requests.exceptions.RequestException, OSError):
            # A body shorter than its Content-Length, a connection reset: keep what arrived.
            return b"".join(chunks), ("transport:incomplete",)
        return b"".join(chunks), ()

    def _learn_tokens(self, response: RecordedResponse) -> None:
        token = response.header(SESSION_HEADER)
        if token:
            self.redactor.add(token)
        for cookie in response.header_values("Set-Cookie"):
            name, _, rest = cookie.partition("=")
            if name.strip().lower() == SESSION_HEADER.lower():
                self.redactor.add(rest.split(";", 1)[0].strip())

    def _adopt(self, request: RecordedRequest, response: RecordedResponse) -> None:
        """Remember the tasks this client created, so that it may remove them."""
        if 200 <= response.status < 300 and request.method in ("DELETE", "POST"):
            task = _lenient(lambda: Task.from_body(response.body, response.media_type))
            if task is not None and task.task_id:
                self.guard.tasks.add(task.task_id)

    def logon(
        self,
        username: str,
        password: str,
        *,
        accept: str | None = None,
        version: str | None = None,
        label: str = "logon",
        tags: tuple[str, ...] = (),
    ) -> tuple[Exchange, Logon | None]:
        """Log on with Basic credentials; the Logon is None unless the server answered 2xx
        with a token (read tolerantly: the checks judge the status and where it came from)."""
        credentials = base64.b64encode(f"{username}:{password}".encode()).decode()
        self.redactor.add(credentials, "<redacted-credentials>")
        self.redactor.add(password, "<redacted-password>")
        target = f"/sessionMngr/?v={version or self.options.api_version}"
        headers = {
            "Authorization": f"Basic {credentials}",
            **({"Accept": accept} if accept else {}),
        }
        request = RecordedRequest.build("POST", self.url(target), headers)
        exchange, response = self._record(request, label, tags)
        return exchange, self._logon_of(response, accept)

    def _logon_of(self, response: RecordedResponse, accept: str | None) -> Logon | None:
        # A 200 instead of 201, or the token only in the cookie, breaks one logon rule;
        # a tolerant client still holds a session, so the rest of the run can be judged.
        token = response.header(SESSION_HEADER) or _cookie_token(response)
        if not 200 <= response.status < 300 or not token:
            return None
        session = _lenient(lambda: LogonSession.from_body(response.body, response.media_type))
        session_id = session.session_id if session else ""
        href = session.href if session else ""
        if session_id:
            self.guard.sessions.add(session_id)
        return Logon(token, session_id, href, accept)

    def logout(
        self, logon: Logon, *, label: str = "logout", tags: tuple[str, ...] = ()
    ) -> Exchange | None:
        """Delete the logon session; None when the session's ID is unknown."""
        if not logon.session_id:
            return None
        target = f"/logonSessions/{logon.session_id}"
        return self.send("DELETE", target, logon=logon, accept=logon.accept, label=label, tags=tags)


def _cookie_token(response: RecordedResponse) -> str:
    for cookie in response.header_values("Set-Cookie"):
        name, _, rest = cookie.partition("=")
        if name.strip().lower() == SESSION_HEADER.lower():
            return rest.split(";", 1)[0].strip()
    return ""


def _chunks(response: urllib3.BaseHTTPResponse) -> Iterator[bytes]:
    """The raw body as it arrives: one socket read at a time, so a server trickling bytes
    meets the body deadline instead of holding a read open for ever."""
    if response.chunked:
        yield from response.stream(_CHUNK, decode_content=False)
        return
    while chunk := response.read1(_CHUNK, decode_content=False):
        yield chunk


def _reason(exc: Exception) -> str:
    """The root cause in words: urllib3 wraps it in MaxRetryError and object reprs."""
    cause = exc.args[0] if exc.args else exc
    text = str(getattr(cause, "reason", cause))
    text = re.sub(r"^<[^>]*>: |^\w+\(host=[^)]*\): ", "", text)
    return text.rstrip(".") or type(exc).__name__


def _lenient(build: Callable[[], _T]) -> _T | None:
    try:
        return build()
    except (BodyError, ValueError):
        return None
