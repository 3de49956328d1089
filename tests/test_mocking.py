"""The one `responses` adapter: a Handler answers `requests` calls in process."""

from __future__ import annotations

import re

import pytest
import requests

from conformance.exchange import RecordedRequest, RecordedResponse
from conformance.mocking import ResponsesAdapter


def test_the_handler_sees_the_request_and_its_answer_goes_back_whole() -> None:
    seen: list[RecordedRequest] = []

    def handle(request: RecordedRequest) -> RecordedResponse:
        seen.append(request)
        cookies = [("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")]
        return RecordedResponse.build(201, [*cookies, ("Content-Type", "text/plain")], b"made")

    with ResponsesAdapter(handle) as adapter:
        assert adapter.active
        answer = requests.post(
            "https://em.test/api/x?y=1", data="body", headers={"A": "b"}, timeout=5
        )
    assert not adapter.active
    assert (answer.status_code, answer.content) == (201, b"made")
    assert answer.raw.headers.getlist("Set-Cookie") == ["a=1", "b=2"]
    assert len(seen) == 1 and seen[0].method == "POST" and seen[0].body == b"body"
    assert seen[0].url == "https://em.test/api/x?y=1" and seen[0].header("a") == "b"


def test_only_matching_urls_are_answered() -> None:
    adapter = ResponsesAdapter(
        lambda _: RecordedResponse.build(204), re.compile(r"https://em\.test/.*")
    )
    with adapter:
        assert requests.get("https://em.test/api/", timeout=5).status_code == 204
        with pytest.raises(requests.ConnectionError):
            requests.get("https://elsewhere.test/api/", timeout=5)
