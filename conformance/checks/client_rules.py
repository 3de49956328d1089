"""Client rules: what a well-behaved EM client does on the wire, judged from its traffic.

These rules judge a client library, not a server: the subject is everything one
client sent (the emulator's or a replay's journal during `validate-client`, or any
recording of one client), in order.  They live in their own `CLIENT_REGISTRY` so that
judging a server never judges its client, and their IDs (`EM-CLIENT-nnn`) sit in the
same catalogue format as the server rules.

Polling pace needs request times, which exchanges do not carry: `validate-client`
tags each exchange with `at:<seconds since the first request>`; without those tags
the back-off rule is skipped, never guessed.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Iterator, Sequence
from urllib.parse import urlsplit

from conformance.checks._support import expected_media
from conformance.checks.client_traffic import (
    WHOLE,
    ClientTraffic,
    is_logon,
    listing,
    needs_token,
    sent_token,
    task_id_of,
    traffic_of,
    where,
)
from conformance.checks.judge import judge
from conformance.checks.registry import Registry, check
from conformance.checks.rule import Level, Rule, rule_maker
from conformance.checks.scope import Indexed, Subject, path_matches, tag_value
from conformance.checks.verdict import Verdict, fail, skip
from conformance.exchange import Exchange
from conformance.protocol import JSON, XML, accepted_media

__all__ = [
    "CLIENT_REGISTRY",
    "CLIENT_RULES",
    "MIN_STEADY_INTERVAL",
    "TIME_TAG",
    "ClientTraffic",
    "judge_client",
]

AREA = "client"
TIME_TAG = "at"
# A client polling at least this far apart needs no growing back-off to be gentle.
MIN_STEADY_INTERVAL = 1.0
# Growth that counts as back-off: the last gap between polls over the first.
BACKOFF_GROWTH = 2.0
# The last gap of a backing-off client is at least this long (seconds).
MIN_BACKOFF_GAP = 0.25
# Gaps are measured at arrival, so each carries the request's own latency: a client that
# doubles its wait exactly shows a last gap a few milliseconds short of twice the first.
GROWTH_SLACK = 0.05

CLIENT_REGISTRY = Registry()
_rule = rule_maker("CLIENT", AREA)
MUST, SHOULD = Level.MUST, Level.SHOULD

LOGS_ON = _rule(
    1,
    MUST,
    "http_authentication.html",
    "The client logs on (POST /sessionMngr/ with Basic credentials, 201) before any call that needs a token.",
)
SENDS_TOKEN = _rule(
    2,
    MUST,
    "http_authentication.html",
    "Every call after logon carries the token the logon returned, as the header or the cookie.",
)
CLEAR_ACCEPT = _rule(
    3,
    SHOULD,
    "em_web_api_specifications.html",
    "Accept asks for one format the API serves: application/xml or application/json, not both"
    " (any application/json entry gets JSON from a real EM, whatever its order).",
)
BODY_TYPED = _rule(
    4, MUST, "em_web_api_specifications.html", "A request with a body carries a Content-Type."
)
CREDENTIALS_ONLY_AT_LOGON = _rule(
    5,
    SHOULD,
    "em_web_api_specifications.html",
    "Basic credentials are sent on the logon request only.",
)
FOLLOWS_HREF = _rule(
    6,
    SHOULD,
    "delete_jobs_id.html",
    "Task URLs are the Href (or Delete link) the server returned, not URLs the client built.",
)
BACKS_OFF = _rule(
    7,
    SHOULD,
    "get_tasks_id.html",
    f"Polls of a running task are spaced at least {MIN_STEADY_INTERVAL:g} s apart or back off"
    f" (the later gaps at least {BACKOFF_GROWTH:g} times the earlier ones).",
)
STOPS_AT_FINISHED = _rule(
    8, MUST, "get_tasks_id.html", "A task is not polled again once an answer showed it Finished."
)
HANDLES_FAILURE = _rule(
    9,
    SHOULD,
    "get_tasks_id.html",
    'A request whose task finished Success="false" is not re-sent in a loop (at most once).',
)
LOGS_OUT = _rule(
    10,
    SHOULD,
    "delete_loginsessions_id.html",
    "Every logon session the client opened is deleted (DELETE /logonSessions/{ID}) by the end,"
    " unless the server already ended it (its token answered 401).",
)

CLIENT_RULES: tuple[Rule, ...] = (
    LOGS_ON,
    SENDS_TOKEN,
    CLEAR_ACCEPT,
    BODY_TYPED,
    CREDENTIALS_ONLY_AT_LOGON,
    FOLLOWS_HREF,
    BACKS_OFF,
    STOPS_AT_FINISHED,
    HANDLES_FAILURE,
    LOGS_OUT,
)


@check(LOGS_ON, WHOLE, registry=CLIENT_REGISTRY)
def logs_on_before_calls(subject: Subject) -> str | None:
    traffic = traffic_of(subject)
    needing = [(i, e) for i, e in subject.items if needs_token(e)]
    if traffic.first_logon is None:
        fail(
            "a logon answered 201 before calls that need a token",
            "no successful logon",
            at=[i for i, _ in needing[:3]],
        )
    early = [(i, e) for i, e in needing if i < traffic.first_logon]
    if early:
        fail(
            f"no call needing a token before the logon (#{traffic.first_logon})",
            listing(early),
            at=[i for i, _ in early],
        )
    return None


@check(SENDS_TOKEN, WHOLE, registry=CLIENT_REGISTRY)
def sends_token_on_every_call(subject: Subject) -> str | None:
    traffic = traffic_of(subject)
    if traffic.first_logon is None:
        skip("the client never logged on")
    later = [(i, e) for i, e in subject.items if i > traffic.first_logon and needs_token(e)]
    bad = [(i, e) for i, e in later if not traffic.valid_token(i, sent_token(e))]
    if bad:
        fail(
            "the logon's token on every later call (X-RestSvcSessionId header or cookie)",
            f"no valid token on {listing(bad)}",
            at=[i for i, _ in bad],
        )
    return f"{len(later)} calls carried the token"


def _accept_problem(accept: str | None) -> str | None:
    if accept is None:
        return None
    kinds = accepted_media(accept)
    if {XML, JSON} <= kinds:
        return f"both formats ({accept!r})"
    if not kinds & {XML, JSON, "*/*"}:
        return f"no format the API serves ({accept!r})"
    return None


@check(CLEAR_ACCEPT, WHOLE, registry=CLIENT_REGISTRY)
def asks_for_one_format(subject: Subject) -> str | None:
    problems = [(i, e, _accept_problem(e.request.header("Accept"))) for i, e in subject.items]
    bad = [(i, e, problem) for i, e, problem in problems if problem]
    if bad:
        index, _, problem = bad[0]
        fail(
            "Accept: application/xml or application/json",
            f"#{index} asked for {problem}",
            at=[i for i, _, _ in bad],
        )
    formats = sorted({expected_media(e) for _, e in subject.items})
    return "asked for " + " and ".join(formats)


@check(BODY_TYPED, WHOLE, registry=CLIENT_REGISTRY)
def bodies_have_content_type(subject: Subject) -> str | None:
    bad = [
        (i, e) for i, e in subject.items if e.request.body and not e.request.header("Content-Type")
    ]
    if bad:
        fail(
            "a Content-Type on every request with a body",
            f"none on {listing(bad)}",
            at=[i for i, _ in bad],
        )
    return None


@check(CREDENTIALS_ONLY_AT_LOGON, WHOLE, registry=CLIENT_REGISTRY)
def credentials_only_at_logon(subject: Subject) -> str | None:
    bad = [
        (i, e) for i, e in subject.items if e.request.header("Authorization") and not is_logon(e)
    ]
    if bad:
        fail(
            "Authorization on the logon request only",
            f"credentials sent on {listing(bad)}",
            at=[i for i, _ in bad],
        )
    return None


def _unfollowed(traffic: ClientTraffic) -> Iterator[tuple[int, str]]:
    for index, exchange in traffic.items:
        task_id = task_id_of(exchange)
        if task_id is None:
            continue
        known = traffic.links.get(where(exchange.request.url))
        if known is None or known[0] > index:
            hrefs = [href for href, (_, tid) in traffic.links.items() if tid == task_id]
            given = f"the Href {hrefs[0]}" if hrefs else "no Href for that task"
            yield (
                index,
                f"#{index} {exchange.request.method} {where(exchange.request.url)} ({given})",
            )


@check(FOLLOWS_HREF, WHOLE, registry=CLIENT_REGISTRY)
def follows_task_href(subject: Subject) -> str | None:
    traffic = traffic_of(subject)
    bad = list(_unfollowed(traffic))
    if bad:
        fail(
            "task requests to the Href the server returned",
            "; ".join(text for _, text in bad[:3]),
            at=[i for i, _ in bad],
        )
    if not any(task_id_of(e) for _, e in subject.items):
        skip("the client made no task request")
    return None


def _seconds(exchange: Exchange) -> float | None:
    value = tag_value(exchange, TIME_TAG)
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _gentle(gaps: list[float]) -> bool:
    # Times are tagged to the millisecond: a gap of 0.999 s is a gap of one second.
    # A tight loop's gaps jitter by milliseconds, which a ratio alone would read as growth;
    # and on a loaded machine one of its many gaps can be long: growth is judged on the
    # medians of the first and the last third of the gaps, never on one gap.
    third = max(1, len(gaps) // 3)
    early, late = statistics.median(gaps[:third]), statistics.median(gaps[-third:])
    grown = late >= max(BACKOFF_GROWTH * early - GROWTH_SLACK, MIN_BACKOFF_GAP)
    return min(gaps) >= MIN_STEADY_INTERVAL - 0.001 or grown


def _pace_problem(task_id: str, polls: list[Indexed]) -> str | None:
    times = [_seconds(exchange) for _, exchange in polls]
    if len(polls) < 3 or any(t is None for t in times):
        return None
    known = [t for t in times if t is not None]
    gaps = [later - earlier for earlier, later in itertools.pairwise(known)]
    if _gentle(gaps):
        return None
    return (
        f"{len(polls)} polls of {task_id} in {known[-1] - known[0]:.2f} s,"
        f" gaps {min(gaps) * 1000:.0f} ms to {max(gaps) * 1000:.0f} ms"
    )


def _running_polls(traffic: ClientTraffic, task_id: str) -> list[Indexed]:
    """Answered polls up to and including the first answer that showed the task Finished.

    A refused poll (503 with Retry-After, say) is left out: the gap after it is the
    server's to set, and counting it would read a client that obeys it as not backing off.
    """
    polls = [(i, e) for i, e in traffic.polls(task_id) if 200 <= e.response.status < 300]
    if task_id not in traffic.finished:
        return polls
    end = traffic.finished[task_id][0]
    return [(i, e) for i, e in polls if i <= end]


@check(BACKS_OFF, WHOLE, registry=CLIENT_REGISTRY)
def polls_with_backoff(subject: Subject) -> str | None:
    if not any(_seconds(e) is not None for _, e in subject.items):
        skip("the recording has no request times (at: tags); validate-client records them")
    traffic = traffic_of(subject)
    task_ids = dict.fromkeys(tid for _, e in subject.items if (tid := task_id_of(e)))
    problems = [(tid, _pace_problem(tid, _running_polls(traffic, tid))) for tid in task_ids]
    bad = [(tid, problem) for tid, problem in problems if problem]
    if bad:
        at = [i for tid, _ in bad for i, _ in _running_polls(traffic, tid)]
        fail(
            f"polls {MIN_STEADY_INTERVAL:g} s apart or backing off",
            "; ".join(p for _, p in bad[:3]),
            at=at,
        )
    return None


@check(STOPS_AT_FINISHED, WHOLE, registry=CLIENT_REGISTRY)
def stops_polling_at_finished(subject: Subject) -> str | None:
    traffic = traffic_of(subject)
    bad = [
        (i, tid)
        for tid, (done, _) in traffic.finished.items()
        for i, _ in traffic.polls(tid)
        if i > done
    ]
    if bad:
        task_id = bad[0][1]
        fail(
            f"no poll of {task_id} after #{traffic.finished[task_id][0]} showed it Finished",
            f"{len(bad)} more poll(s), first #{bad[0][0]}",
            at=[i for i, _ in bad],
        )
    if not traffic.finished:
        skip("no task was seen Finished")
    return f"{len(traffic.finished)} task(s) followed to Finished"


def _request_key(exchange: Exchange) -> tuple[str, str]:
    return (exchange.request.method, exchange.request.url)


@check(HANDLES_FAILURE, WHOLE, registry=CLIENT_REGISTRY)
def does_not_loop_on_failure(subject: Subject) -> str | None:
    traffic = traffic_of(subject)
    failed = [
        tid
        for tid, (_, task) in traffic.finished.items()
        if task.result and task.result.success is False
    ]
    if not failed:
        skip(
            'no task finished Success="false" (try --fault unknown-job-202, or delete a running job)'
        )
    for task_id in failed:
        origin = traffic.created_by.get(task_id)
        if origin is None:
            continue
        key = _request_key(subject.items[origin][1])
        repeats = [i for i, e in subject.items if i > origin and _request_key(e) == key]
        if len(repeats) > 1:
            fail(
                f"the request behind failed {task_id} re-sent at most once",
                f"re-sent {len(repeats)} times",
                at=repeats,
            )
    return f"{len(failed)} failed task(s) handled"


def _last_segment(url: str) -> str:
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1].lower()


def _ended_logons(traffic: ClientTraffic) -> set[int]:
    """Logons whose token the server later refused (401): expired, nothing left to delete."""
    refused = {
        sent_token(e) for i, e in traffic.items if e.response.status == 401 and needs_token(e)
    }
    return {index for token, index in traffic.tokens.items() if token in refused}


@check(LOGS_OUT, WHOLE, registry=CLIENT_REGISTRY)
def logs_out(subject: Subject) -> str | None:
    traffic = traffic_of(subject)
    if not traffic.sessions:
        skip("the client opened no logon session")
    # By session ID: a logout sent to another spelling of the URL (a proxy prefix, a
    # host alias) still ends the session; following the link is EM-CLIENT-006's business.
    deleted = {
        _last_segment(e.request.url)
        for _, e in subject.items
        if e.request.method == "DELETE" and path_matches("/logonSessions/{id}", e.request.url)
    }
    ended = _ended_logons(traffic)
    open_sessions = sorted(
        (index, path)
        for path, index in traffic.sessions.items()
        if _last_segment(path) not in deleted and index not in ended
    )
    if open_sessions:
        fail(
            "DELETE /logonSessions/{ID} for every session opened",
            f"{len(open_sessions)} session(s) left open, opened at "
            + ", ".join(f"#{i}" for i, _ in open_sessions),
            at=[i for i, _ in open_sessions],
        )
    return None


def judge_client(
    exchanges: Sequence[Exchange], *, level: Level | str = Level.SHOULD
) -> list[Verdict]:
    """Every client rule at `level`, over one client's traffic in order."""
    return judge(exchanges, level=level, registry=CLIENT_REGISTRY)
