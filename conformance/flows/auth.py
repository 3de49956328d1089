"""The auth flow: entry point, logon and its token, bad credentials, an unsupported
version, every operation in scope without a token or with a bad one, the cookie,
logout, and (on the embedded emulator) the idle timeout."""

from __future__ import annotations

import base64

from conformance.checks.steps import Label, TokenProbe
from conformance.client import Logon
from conformance.flows.base import FlowRun, new_probe_id, new_probe_task
from conformance.protocol import SESSION_HEADER

__all__ = ["IDLE_TIMEOUT", "run_auth"]

IDLE_TIMEOUT = 15 * 60.0  # http_authentication.html: "Timeout Value for Idle Sessions"
_MALFORMED = "not a session token!"


def _unknown_token(run: FlowRun) -> str:
    """A token no server issued: 16 bytes from the run's seeded generator, so a replayed
    run sends the same one (a made-up token needs to be unknown, not unguessable)."""
    return base64.b64encode(run.context.rng.randbytes(16)).decode()


def _operations(run: FlowRun, logon: Logon) -> list[tuple[str, str]]:
    """One request per operation in scope; IDs are made up, so a server that ignores
    the token still changes nothing."""
    job, task = new_probe_id(run.context.rng), new_probe_task(run.context.rng)
    run.client.guard.probes.update({job, task})
    operations = [
        ("GET", "/logonSessions"),
        ("GET", "/jobs"),
        ("GET", f"/jobs/{job}"),
        ("GET", f"/jobs/{job}/backupSessions"),
        ("GET", "/tasks"),
        ("GET", f"/tasks/{task}"),
        ("GET", "/nas/jobs"),
        ("GET", "/agents/jobs"),
    ]
    if logon.session_id:
        operations.append(("GET", f"/logonSessions/{logon.session_id}"))
    if run.client.guard.destructive:
        operations += [("DELETE", f"/jobs/{job}"), ("DELETE", f"/tasks/{task}")]
    return operations


def _probe_tokens(run: FlowRun, logon: Logon) -> None:
    variants = (
        (TokenProbe.MISSING, None),
        (TokenProbe.MALFORMED, _MALFORMED),
        (TokenProbe.UNKNOWN, _unknown_token(run)),
    )
    for method, path in _operations(run, logon):
        for tag, token in variants:
            headers = {SESSION_HEADER: token} if token else None
            run.send(method, path, f"{tag}:{method} {path}", headers=headers, tags=(tag,))


def _cookies(run: FlowRun, logon: Logon) -> None:
    run.send("GET", "/tasks", Label.COOKIE_ONLY, headers=run.cookie(logon.token))
    both = run.cookie(logon.token) | {SESSION_HEADER: _unknown_token(run)}
    run.send("GET", "/tasks", Label.COOKIE_WINS, headers=both)


def _refused_logons(run: FlowRun) -> None:
    client, context = run.client, run.context
    stranger = f"em-conformance-nobody-{context.rng.randbytes(4).hex()}"
    client.logon(
        stranger,
        base64.urlsafe_b64encode(context.rng.randbytes(9)).decode(),
        accept=run.accept,
        label=Label.LOGON_BAD_CREDENTIALS,
        tags=run.tags,
    )
    _, old = client.logon(
        context.plan.username,
        context.plan.password,
        accept=run.accept,
        version="v1_4",
        label=Label.LOGON_UNSUPPORTED_VERSION,
        tags=run.tags,
    )
    if old is not None:
        run.logout(old, "logout-unsupported-version")


def _idle(run: FlowRun) -> None:
    travel = run.context.plan.clock.travel
    if travel is None:
        return
    logon = run.logon("logon-before-idle")
    travel(IDLE_TIMEOUT + 5)
    run.send("GET", "/tasks", "after-idle", logon=logon, tags=(TokenProbe.EXPIRED,))


def run_auth(run: FlowRun) -> None:
    run.send("GET", "/", Label.ENTRY)
    logon = run.logon()
    try:
        _cookies(run, logon)
        _probe_tokens(run, logon)
        _refused_logons(run)
    finally:
        run.logout(logon)
    run.send("GET", "/tasks", Label.AFTER_LOGOUT, logon=logon, tags=(TokenProbe.LOGGED_OUT,))
    _idle(run)
