"""The client: session-aware HTTP on `requests` that records every exchange it makes.

Built for untrusted servers: redirects are never followed, bodies are read decoded
and cut at a size cap, every request must be over (connect, status line, headers and
body) within one wall-clock deadline (`transport.py`), TLS is verified unless the
caller says otherwise, and cookies are never stored (the suite decides which token
each request carries).  Exchanges are recorded as they were on the wire, since the
checks judge them; the client only learns the secrets (credentials, password, every
token issued) so that `redaction.Redactor` can replace them where output leaves the
run.  Every request passes a `SafetyGuard` first: by default nothing but reads, logon
and logging out one's own session is allowed.
"""

from __future__ import annotations

import base64
import re
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TypeVar
from urllib.parse import urljoin, urlsplit

import requests
import urllib3

from conformance.__version__ import __version__
from conformance.checks.scope import api_path
from conformance.errors import BodyError, Error, TargetError
from conformance.exchange import Exchange, RecordedRequest, RecordedResponse
from conformance.guard import SafetyGuard, SafetyRefusal
from conformance.model import LogonSession, Task
from conformance.options import default
from conformance.protocol import SESSION_HEADER, cookie_token, issued_tokens
from conformance.redaction import Redactor
from conformance.transport import Body, Deadline, DeadlineAdapter, bare_session, read_body

__all__ = [
    "INCOMPLETE_TAG",
    "TRUNCATED_TAG",
    "ClientOptions",
    "EmClient",
    "Logon",
    "SafetyGuard",
    "SafetyRefusal",
]

# Tags on an exchange whose body was cut at the cap (with the size seen) or broke off.
TRUNCATED_TAG = "transport:truncated"
INCOMPLETE_TAG = "transport:incomplete"
BODY_SIZE_TAG = "transport:body-bytes:"
_T = TypeVar("_T")


@dataclass(frozen=True)
class ClientOptions:
    """Transport settings; `verify` is True, False (insecure) or a CA bundle path."""

    verify: bool | str = True
    # Each default is the option table's (`conformance.options`), written there once.
    connect_timeout: float = default("connect-timeout")
    read_timeout: float = default("timeout")
    max_body: int = default("max-body")
    api_version: str = default("api-version")


@dataclass(frozen=True)
class Logon:
    """A logon session the client holds: the token (never recorded) and where it lives."""

    token: str = field(repr=False)
    session_id: str
    href: str
    accept: str | None = None


def _cookieless_session() -> requests.Session:
    session = bare_session()
    session.headers.update(
        {"User-Agent": f"em-conformance/{__version__}", "Accept-Encoding": "identity"}
    )
    adapter = DeadlineAdapter(max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _hint(exc: Exception) -> str:
    if isinstance(exc, requests.exceptions.SSLError):
        return " Check the certificate: pass --ca-bundle FILE, or --insecure for a test server."
    if isinstance(exc, requests.exceptions.Timeout):
        return " Check that the target answers, or raise --timeout."
    return " Check the --target URL (scheme, host, port 9398) and that the server is up."


class EmClient:
    """Sends requests to one Enterprise Manager and records each exchange as it was."""

    def __init__(
        self,
        base_url: str,
        options: ClientOptions | None = None,
        guard: SafetyGuard | None = None,
        redactor: Redactor | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.options = options or ClientOptions()
        self.guard = guard or SafetyGuard()
        self.redactor = redactor or Redactor()
        self.exchanges: list[Exchange] = []
        # Called with each exchange as soon as it is recorded (`run --verbose` prints it).
        self.observers: list[Callable[[Exchange], None]] = []
        self.open_logons: dict[str, Logon] = {}
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
        return self._record(request, label, tags)

    def retag(self, exchange: Exchange, tags: tuple[str, ...]) -> Exchange:
        """Add tags to a recorded exchange (what a later judgement learnt about it)."""
        tagged = replace(exchange, tags=exchange.tags + tags)
        for index in range(len(self.exchanges) - 1, -1, -1):
            if self.exchanges[index] is exchange:
                self.exchanges[index] = tagged
                break
        return tagged

    def _record(self, request: RecordedRequest, label: str, tags: tuple[str, ...]) -> Exchange:
        """Send `request` and record the exchange as it was on the wire."""
        self.guard.authorize(
            request.method, api_path(request.path), request.query, bool(request.body)
        )
        start = time.monotonic()
        sent, response, extra = self._transfer(request)
        self._learn_tokens(response)
        self._adopt(request, response)
        recorded = replace(response, elapsed=time.monotonic() - start)
        sent_request = RecordedRequest(request.method, request.url, sent, request.body)
        exchange = Exchange(sent_request, recorded, label, tags + extra)
        self.exchanges.append(exchange)
        for observer in self.observers:
            observer(exchange)
        return exchange

    def _transfer(
        self, request: RecordedRequest
    ) -> tuple[tuple[tuple[str, str], ...], RecordedResponse, tuple[str, ...]]:
        options = self.options
        deadline = Deadline(options.read_timeout)
        try:
            with deadline.running(), warnings.catch_warnings():
                # --insecure was asked for explicitly and is said once; not per request.
                warnings.simplefilter("ignore", urllib3.exceptions.InsecureRequestWarning)
                raw = self._http.request(
                    request.method,
                    request.url,
                    headers=dict(request.headers),
                    data=request.body or None,
                    allow_redirects=False,  # never, and certainly not to another host
                    stream=True,
                    verify=options.verify,
                    timeout=(options.connect_timeout, options.read_timeout),
                )
                with raw:
                    body = read_body(raw, options.max_body)
        except requests.exceptions.RequestException as exc:
            raise self._failure(request, exc, deadline) from None
        if deadline.expired and body.incomplete:  # the body was cut off by the deadline
            raise self._failure(request, None, deadline)
        headers = tuple((name, value) for name, value in raw.raw.headers.items())
        sent = tuple(raw.request.headers.items())
        return sent, RecordedResponse(raw.status_code, headers, body.data), _body_tags(body)

    def _failure(
        self, request: RecordedRequest, exc: Exception | None, deadline: Deadline
    ) -> TargetError:
        where = f"{request.method} {self.redactor.text(request.url)}"
        # A socket read timeout is the same budget as the deadline (--timeout): whichever of
        # the two notices first, the request was not answered within it.
        timed_out = isinstance(exc, requests.exceptions.ReadTimeout)
        if deadline.expired or exc is None or timed_out:
            return TargetError(
                f"{where} was not answered in full within {deadline.seconds:g} s (the"
                " deadline covers the connection, status line, headers and body)."
                " Check the target, or raise --timeout."
            )
        return TargetError(f"{where} failed: {_reason(exc)}.{_hint(exc)}")

    def _learn_tokens(self, response: RecordedResponse) -> None:
        for token in issued_tokens(response):
            self.redactor.add(token, "token")

    def _adopt(self, request: RecordedRequest, response: RecordedResponse) -> None:
        """Remember the tasks this client created, so that it may remove them."""
        if 200 <= response.status < 300 and request.method in ("DELETE", "POST"):
            task = Task.from_exchange(Exchange(request, response))
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
        self.redactor.add(credentials, "credentials")
        self.redactor.add(password, "password")
        target = f"/sessionMngr/?v={version or self.options.api_version}"
        headers = {
            "Authorization": f"Basic {credentials}",
            **({"Accept": accept} if accept else {}),
        }
        request = RecordedRequest.build("POST", self.url(target), headers)
        exchange = self._record(request, label, tags)
        return exchange, self._logon_of(exchange.response, accept)

    def _logon_of(self, response: RecordedResponse, accept: str | None) -> Logon | None:
        # A 200 instead of 201, or the token only in the cookie, breaks one logon rule;
        # a tolerant client still holds a session, so the rest of the run can be judged.
        token = response.header(SESSION_HEADER) or _cookie_token(response)
        if not 200 <= response.status < 300 or not token:
            return None
        session = _lenient(lambda: LogonSession.from_body(response.body, response.media_type))
        session_id = session.session_id if session else ""
        href = session.href if session else ""
        logon = Logon(token, session_id, href, accept)
        if session_id:
            self.guard.sessions.add(session_id)
            self.open_logons[session_id] = logon
        return logon

    def logout(
        self, logon: Logon, *, label: str = "logout", tags: tuple[str, ...] = ()
    ) -> Exchange | None:
        """Delete the logon session; None when the session's ID is unknown."""
        if not logon.session_id:
            return None
        target = f"/logonSessions/{logon.session_id}"
        exchange = self.send(
            "DELETE", target, logon=logon, accept=logon.accept, label=label, tags=tags
        )
        self.open_logons.pop(logon.session_id, None)
        return exchange

    def logout_all(self, label: str = "logout-on-stop", tags: tuple[str, ...] = ()) -> list[str]:
        """Log out every session still open (a run that stops early); returns the IDs of
        the sessions that could not be logged out.  Errors do not stop the others."""
        failed = []
        for session_id, logon in list(self.open_logons.items()):
            try:
                self.logout(logon, label=label, tags=tags)
            except Error:
                self.open_logons.pop(session_id, None)
                failed.append(session_id)
        return failed


def _body_tags(body: Body) -> tuple[str, ...]:
    if body.truncated:
        return (TRUNCATED_TAG, f"{BODY_SIZE_TAG}{body.seen}")
    return (INCOMPLETE_TAG,) if body.incomplete else ()


def _cookie_token(response: RecordedResponse) -> str:
    cookies = (cookie_token(cookie) for cookie in response.header_values("Set-Cookie"))
    return next((token for token in cookies if token is not None), "")


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
