"""Shared views: inside one judging pass each body is parsed once; outside, nothing is kept.

Cost is counted (calls of the parser), never timed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

import conformance.representations.xmlcodec as xmlcodec
from conformance.checks import Outcome, judge
from conformance.errors import BodyError
from conformance.exchange import Exchange, RecordedRequest, RecordedResponse
from conformance.views import memo, shared_views, view

NS = "http://www.veeam.com/ent/v1.0"


def counter() -> tuple[list[bytes], Callable[[bytes], Callable[[], int]]]:
    built: list[bytes] = []

    def build(body: bytes) -> Callable[[], int]:
        def make() -> int:
            built.append(body)
            return len(built)

        return make

    return built, build


def test_outside_a_pass_every_reader_builds_its_own() -> None:
    built, build = counter()
    body = b"<Task/>"
    assert view(body, "k", build(body)) != view(body, "k", build(body))
    assert len(built) == 2


def test_inside_a_pass_one_body_value_and_kind_is_built_once() -> None:
    built, build = counter()
    body, twin = b"<Task/>", bytes(bytearray(b"<Task/>"))  # equal bytes, another object
    with shared_views():
        first = view(body, "k", build(body))
        assert view(body, "k", build(body)) == first
        assert view(twin, "k", build(twin)) == first  # a polled task's body, seen again
        assert view(body, "other", build(body)) != first
        assert view(b"<Task />", "k", build(b"<Task />")) != first
    assert len(built) == 3
    view(body, "k", build(body))  # the pass is over: nothing kept
    assert len(built) == 4


def test_memo_tables_are_shared_inside_a_pass_only() -> None:
    with shared_views():
        memo("k")["url"] = True
        assert memo("k") == {"url": True}
        assert memo("other") == {}
    assert memo("k") == {}


def test_a_build_that_fails_is_not_kept() -> None:
    calls: list[int] = []

    def broken() -> int:
        calls.append(1)
        raise BodyError("unreadable")

    with shared_views():
        for _ in range(2):
            with pytest.raises(BodyError):
                view(b"x", "k", broken)
    assert len(calls) == 2


def polls(count: int) -> list[Exchange]:
    exchanges = []
    for index in range(count):
        href = f"https://em:9398/api/tasks/task-{index}"
        body = (
            f'<Task xmlns="{NS}" Type="Task" Href="{href}"><TaskId>task-{index}</TaskId>'
            "<State>Finished</State><Operation>DeleteJob</Operation>"
            '<Result Success="true"><Message>Ok</Message></Result></Task>'
        ).encode()
        response = RecordedResponse.build(200, {"Content-Type": "application/xml"}, body)
        request = RecordedRequest.build("GET", href, {"X-RestSvcSessionId": "t"})
        exchanges.append(Exchange(request, response, "poll-task", ("format:xml",)))
    return exchanges


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Every XML body the parser is handed, in order."""
    seen: list[bytes] = []
    original = xmlcodec._parse_xml

    def counting(body: bytes, max_bytes: int) -> object:
        seen.append(body)
        return original(body, max_bytes)

    monkeypatch.setattr(xmlcodec, "_parse_xml", counting)
    return seen


def test_judging_parses_each_body_once(parsed: list[bytes]) -> None:
    exchanges = polls(20)
    verdicts = judge(exchanges)
    judged = [v for v in verdicts if v.outcome is not Outcome.SKIPPED]
    assert len(judged) > 3 * len(exchanges)  # many checks read each body
    assert sorted(parsed) == sorted(e.response.body for e in exchanges)  # each body once


def test_judging_parses_a_repeated_body_once(parsed: list[bytes]) -> None:
    once = polls(5)
    # The same polls again, each body an equal copy (as a cassette loads them).
    again = [replace(e, response=replace(e.response, body=bytes(e.response.body))) for e in once]
    verdicts = judge(once + again)
    assert sorted(parsed) == sorted(e.response.body for e in once)  # each value once
    assert len(verdicts) > len(judge(once))  # yet the copies were judged too
