"""EM's protocol facts: the Accept rule and where a session token travels."""

from __future__ import annotations

import pytest

from conformance.exchange import RecordedRequest, RecordedResponse
from conformance.protocol import (
    JSON,
    XML,
    carried_token,
    cookie_token,
    issued_tokens,
    negotiated_format,
    negotiated_media,
    sends_token,
)


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        (None, "xml"),
        ("", "xml"),
        ("*/*", "xml"),
        ("application/xml", "xml"),
        ("application/*+xml;version=31.0, */*", "xml"),
        ("text/json", "xml"),
        ("application/json", "json"),
        ("Application/JSON; charset=utf-8", "json"),
        ("application/xml, application/json", "json"),
        ("application/json;q=0.1, application/xml", "json"),
        ("text/plain, */*, application/json", "json"),
    ],
)
def test_any_application_json_entry_negotiates_json(accept: str | None, fmt: str) -> None:
    assert negotiated_format(accept) == fmt
    assert negotiated_media(accept) == (JSON if fmt == "json" else XML)


def _request(**headers: str) -> RecordedRequest:
    return RecordedRequest.build("GET", "https://em/api/jobs", headers)


def test_the_cookie_wins_over_the_header() -> None:
    request = _request(**{"X-RestSvcSessionId": "header", "Cookie": "a=b; X-RestSvcSessionId=c"})
    assert carried_token(request) == "c"
    assert carried_token(_request(**{"x-restsvcsessionid": "header"})) == "header"
    assert carried_token(_request(Cookie="other=1")) is None


def test_an_empty_token_is_still_sent() -> None:
    assert sends_token(_request(Cookie="X-RestSvcSessionId="))
    assert not sends_token(_request(Cookie="X-RestSvcSessionIdentity"))
    assert not sends_token(_request())


def test_tokens_issued_in_the_header_and_the_cookie() -> None:
    response = RecordedResponse.build(
        201,
        [("X-RestSvcSessionId", "one"), ("Set-Cookie", "X-RestSvcSessionId=two; Path=/api")],
    )
    assert issued_tokens(response) == {"one", "two"}
    assert cookie_token("X-RestSvcSessionId=two; Path=/api") == "two"
    assert cookie_token("Path=/api") is None
