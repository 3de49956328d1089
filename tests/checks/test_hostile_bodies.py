"""Judging never crashes, whatever a server sends: random JSON and XML-ish bodies on every
path and step the checks look at end in verdicts, never in an exception."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conformance.checks import Outcome, judge
from conformance.checks.steps import Label
from conformance.exchange import Exchange, RecordedRequest, RecordedResponse

PATHS = ["/", "/sessionMngr/?v=latest", "/jobs", "/jobs/1", "/tasks", "/tasks/task-1",
         "/logonSessions/1", "/nas/jobs/1"]  # fmt: skip
LABELS = ["", Label.DELETE_JOB, Label.POLL_TASK, Label.LIST_TASKS, Label.LIST_JOBS_AFTER,
          Label.GET_JOB_AFTER, Label.DELETE_AGAIN, Label.CANCEL_TASK, Label.OTHER_LIST_TASKS,
          Label.LIST_TASKS_AFTER_CANCEL, Label.TWIN]  # fmt: skip

scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["Tasks", "TaskId", "State", "Result", "Success", "Refs", "Links", "Rel",
                         "Href", "UID", "SessionId", "StatusCode", "Message", "x"]), inner, max_size=4),
    max_leaves=12,
)  # fmt: skip
xmlish = st.sampled_from([b"<Task", b"<Tasks xmlns='http://www.veeam.com/ent/v1.0'><Task/>1</Tasks>",
                          b"<?xml version='1.0'?><!DOCTYPE x []><x/>", b"\xef\xbb\xbf{}", b"\x00\xff"])  # fmt: skip


def exchange(path: str, method: str, status: int, body: bytes, label: str, media: str) -> Exchange:
    request = RecordedRequest.build(method, "https://em:9398/api" + path, {"Accept": media})
    headers = {"Content-Type": media, "Content-Length": str(len(body))}
    tags = ("flow:delete-and-poll", "flow:isolation", "flow:negotiation", "run:1")
    return Exchange(request, RecordedResponse.build(status, headers, body), label, tags)


steps = st.builds(
    exchange,
    st.sampled_from(PATHS),
    st.sampled_from(["GET", "DELETE", "POST"]),
    st.sampled_from([200, 201, 202, 204, 401, 404, 500]),
    documents.map(lambda d: json.dumps(d).encode()) | xmlish,
    st.sampled_from(LABELS),
    st.sampled_from(["application/json", "application/xml"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(steps, min_size=1, max_size=6))
def test_judging_random_bodies_never_raises(exchanges: list[Exchange]) -> None:
    verdicts = judge(exchanges)
    assert verdicts and {v.outcome for v in verdicts} <= set(Outcome)
