"""Client validation: run a client program against the emulator or a replay, judge its traffic.

The client is any program in any language: it gets the API root in `EM_URL`, the
credentials in `EM_USERNAME` and `EM_PASSWORD` (and the CA certificate in
`EM_CA_FILE`, also set as `REQUESTS_CA_BUNDLE`, `CURL_CA_BUNDLE` and `SSL_CERT_FILE`,
under TLS), talks to a real HTTP(S) server on this machine, and every
exchange it makes is kept, stamped with the time it arrived (`at:` tags, which the
back-off rule reads).  Its traffic is then judged by the client rules, and how it
ended (handled, noticed, crashed, hung, wrong result) by the outcome rules.

The server answers from the emulator (optionally with fault profiles, to see whether
the client notices) or from a cassette.  A replayed cassette cannot answer a request
it never recorded: such a request gets a 501 with the closest recorded request named
in its body, and the mismatch is reported.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from conformance.cassette.replay import NoMatchingInteraction, Replayer
from conformance.checks.client_outcome import Behaviour, ClientEnding, judge_ending
from conformance.checks.client_rules import TIME_TAG, judge_client
from conformance.checks.rule import Level
from conformance.errors import UsageError
from conformance.exchange import Exchange, Handler, RecordedRequest, RecordedResponse
from conformance.options import default
from conformance.protocol import XML
from conformance.redaction import Redactor
from conformance.result import JudgedResult, JudgedSubject, SubjectKind, redacted_verdicts

if TYPE_CHECKING:
    from conformance.emulator.server import HandlerServer

__all__ = [
    "DEFAULT_TASK_DURATION",
    "DEFAULT_TIMEOUT",
    "ClientRun",
    "Traffic",
    "status_of",
    "validate_client",
]

# `validate-client --task-duration`'s one default, in the option table (it says why).
DEFAULT_TASK_DURATION: float = default("validate-client-task-duration")
DEFAULT_TIMEOUT: float = default("validate-client-timeout")  # the client program's deadline
REPLAY_USERNAME = "administrator"
REPLAY_PASSWORD = "replayed-password"  # noqa: S105 - a replay checks credentials' presence only


def _mismatch_response(message: str) -> RecordedResponse:
    body = f'<Error xmlns="http://www.veeam.com/ent/v1.0" Message="{_escape(message)}" StatusCode="501"/>'
    headers = {"Content-Type": XML, "Content-Length": str(len(body.encode()))}
    return RecordedResponse.build(501, headers, body)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


class Traffic:
    """Wraps a handler: answers through it and keeps every exchange with its arrival time."""

    def __init__(self, handle: Handler, clock: Callable[[], float] = time.monotonic) -> None:
        self._handle = handle
        self._clock = clock
        self._start: float | None = None
        self.exchanges: list[Exchange] = []
        self.mismatches: list[str] = []

    def handle(self, request: RecordedRequest) -> RecordedResponse:
        now = self._clock()
        self._start = now if self._start is None else self._start
        try:
            response = self._handle(request)
        except NoMatchingInteraction as exc:
            self.mismatches.append(str(exc))
            response = _mismatch_response(str(exc))
        self.exchanges.append(
            Exchange(request, response, tags=(f"{TIME_TAG}:{now - self._start:.3f}",))
        )
        return response


@dataclass(frozen=True)
class ClientRun:
    """One client program's run: how its process ended, what a replay could not answer,
    and the judged result of its traffic (`result`, what every reporter takes)."""

    command: tuple[str, ...]
    returncode: int | None  # None: killed at the timeout
    result: JudgedResult
    output: str = ""
    behaviour: Behaviour | None = None  # None: not judged (a hand-made run)
    mismatches: tuple[str, ...] = ()

    @property
    def exit_code(self) -> int:
        """0 conformant; 1 a rule failed, a replay mismatched, or (without faults) the client failed."""
        return self.result.exit_code


def status_of(returncode: int | None) -> str:
    """How a client process ended, in words."""
    return "stopped at the timeout" if returncode is None else f"exited {returncode}"


def _problems(
    returncode: int | None, faults: tuple[str, ...], mismatches: list[str]
) -> tuple[str, ...]:
    """What fails the client outside the rules: a replay that had no answer, and a failure
    that no fault provoked (under faults, giving up is judged by the outcome rules)."""
    found = [f"replay had no answer: {mismatch}" for mismatch in mismatches]
    if returncode != 0 and not faults:
        found.append(f"the client {status_of(returncode)}")
    return tuple(found)


def _environment(
    base_url: str, username: str, password: str, ca_file: Path | None
) -> dict[str, str]:
    env = {**os.environ, "EM_URL": base_url, "EM_USERNAME": username, "EM_PASSWORD": password}
    if ca_file is not None:
        # The usual trust-store variables too, so a client that never heard of EM_CA_FILE
        # (requests, curl, OpenSSL) trusts the throw-away CA; it talks to nothing else.
        for name in ("EM_CA_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"):
            env[name] = str(ca_file)
    return env


def run_command(
    command: Sequence[str], env: Mapping[str, str], timeout: float, capture: bool
) -> tuple[int | None, str]:
    """Run `command` to its end or the timeout; the whole process group is stopped then."""
    if not command:
        raise UsageError("Expected a client command after '--'; received none.")
    output = subprocess.PIPE if capture else None
    try:
        process = subprocess.Popen(  # running the user's client is the point
            list(command), env=dict(env), stdout=output, stderr=subprocess.STDOUT if capture else None,
            text=True, start_new_session=True,
        )  # fmt: skip
    except OSError as exc:
        raise UsageError(f"Cannot run {command[0]!r}: {exc.strerror}.") from None
    try:
        stdout, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, _ = process.communicate()
        return None, stdout or ""
    return process.returncode, stdout or ""


def _serve(handler: Traffic, *, tls: bool) -> HandlerServer:
    from conformance.emulator.server import HandlerServer

    # Any handler will do, the emulator or a replay, wrapped to keep the traffic.
    return HandlerServer(handler.handle, tls=tls)


def _emulator_handler(faults: Iterable[str], task_duration: float) -> tuple[Handler, str, str]:
    from conformance.emulator import EmulatorConfig, EnterpriseManagerEmulator

    emulator = EnterpriseManagerEmulator(
        EmulatorConfig(faults=tuple(faults), task_duration=task_duration)
    )
    user = emulator.users[0]
    return emulator.handle, user.name, user.password


def _redactor(password: str, exchanges: Sequence[Exchange]) -> Redactor:
    """The one redactor, knowing the password and every token the traffic carried: the
    client's output reaches reports (JUnit `system-out`) and tracebacks may print either."""
    redactor = Redactor()
    # A short password is still hunted in the output: the client was handed it to use.
    redactor.add(password, "password", anywhere=len(password) >= 4)
    for exchange in exchanges:
        redactor.learn(exchange)
    return redactor


def validate_client(
    command: Sequence[str],
    *,
    cassette: str | Path | None = None,
    tls: bool = False,
    faults: Iterable[str] = (),
    timeout: float = DEFAULT_TIMEOUT,
    level: Level | str = Level.SHOULD,
    task_duration: float = DEFAULT_TASK_DURATION,
    capture: bool = True,
) -> ClientRun:
    """Run `command` against the emulator (or a replay of `cassette`) and judge its traffic."""
    chosen = tuple(faults)
    if cassette is not None and chosen:
        raise UsageError(
            "Give --cassette or --fault, not both: a replay answers what was recorded."
        )
    handle, username, password = _handler(cassette, chosen, task_duration)
    traffic = Traffic(handle)
    with _serve(traffic, tls=tls) as server:
        env = _environment(server.base_url, username, password, server.ca_file)
        returncode, output = run_command(command, env, timeout, capture)
    ending = ClientEnding(returncode, output, timeout)
    level = Level.parse(level) if isinstance(level, str) else level
    return _judged(command, cassette, traffic, ending, password, level, chosen)


def _handler(
    cassette: str | Path | None, faults: tuple[str, ...], task_duration: float
) -> tuple[Handler, str, str]:
    """What answers the client, and the credentials it is handed."""
    if cassette is not None:
        return Replayer.from_file(cassette).handle, REPLAY_USERNAME, REPLAY_PASSWORD
    return _emulator_handler(faults, task_duration)


def _judged(
    command: Sequence[str], cassette: str | Path | None, traffic: Traffic, ending: ClientEnding,
    password: str, level: Level, faults: tuple[str, ...],
) -> ClientRun:  # fmt: skip
    """Judge the traffic as it was on the wire, then keep only its redacted copy."""
    redactor = _redactor(password, traffic.exchanges)
    ending = replace(ending, output=redactor.text(ending.output))
    verdicts = judge_client(traffic.exchanges, level=level)
    behaviour, endings = judge_ending(ending, traffic.exchanges)
    verdicts += [verdict for verdict in endings if level.includes(verdict.rule.level)]
    problems = _problems(ending.returncode, faults, traffic.mismatches)
    result = JudgedResult(
        _subject(command, cassette), level, tuple(redactor.redact_all(traffic.exchanges)),
        redacted_verdicts(verdicts, redactor), faults=faults,
        problems=tuple(map(redactor.text, problems)),
    )  # fmt: skip
    mismatches = tuple(map(redactor.text, traffic.mismatches))
    return ClientRun(
        tuple(command), ending.returncode, result, ending.output, behaviour, mismatches
    )


def _subject(command: Sequence[str], cassette: str | Path | None) -> JudgedSubject:
    where = f"against a replay of {cassette}" if cassette is not None else "against the emulator"
    return JudgedSubject(SubjectKind.CLIENT, shlex.join(command), where)
