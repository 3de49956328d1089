"""Hostile XML and JSON are refused in bounded time and memory, never expanded."""

from __future__ import annotations

import contextlib
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conformance.errors import BodyError, UnsafeBodyError
from conformance.representations import parse_json, parse_xml, validate_body

NS = "http://www.veeam.com/ent/v1.0"

BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'.encode()
        for i in range(1, 10)
    )
    + b']>\n<Task xmlns="'
    + NS.encode()
    + b'"><TaskId>&lol9;</TaskId></Task>'
)


def external_entity(target: Path) -> bytes:
    return (
        f'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY xxe SYSTEM "file://{target}">]>'
        f'<Task xmlns="{NS}"><TaskId>&xxe;</TaskId></Task>'
    ).encode()


def deep(levels: int) -> bytes:
    return b"<a>" * levels + b"</a>" * levels


def peak_memory(action: Callable[[], Any]) -> int:
    tracemalloc.start()
    with contextlib.suppress(BodyError):
        action()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def test_billion_laughs_is_refused_not_expanded() -> None:
    with pytest.raises(UnsafeBodyError, match="DOCTYPE"):
        parse_xml(BILLION_LAUGHS)
    assert peak_memory(lambda: parse_xml(BILLION_LAUGHS)) < 1_000_000


def test_external_entity_is_refused_and_file_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    with pytest.raises(UnsafeBodyError) as info:
        parse_xml(external_entity(secret))
    assert "TOP-SECRET" not in str(info.value)


def test_entity_hidden_in_utf16_is_refused() -> None:
    body = BILLION_LAUGHS.replace(b'<?xml version="1.0"?>', b"").decode().encode("utf-16")
    with pytest.raises(BodyError):
        parse_xml(body)


def test_hundred_megabyte_body_is_refused_before_parsing() -> None:
    body = b"<Task>" + b" " * (100 * 1024 * 1024) + b"</Task>"
    with pytest.raises(UnsafeBodyError, match="at most"):
        parse_xml(body)
    assert peak_memory(lambda: parse_xml(body)) < 1_000_000


def test_hundred_megabyte_json_is_refused() -> None:
    body = b'{"TaskId": "' + b"x" * (100 * 1024 * 1024) + b'"}'
    with pytest.raises(UnsafeBodyError, match="at most"):
        parse_json(body)


def test_ten_thousand_deep_nesting_is_refused() -> None:
    with pytest.raises(UnsafeBodyError, match="deep"):
        parse_xml(deep(10_000))


def test_ten_thousand_deep_json_is_refused() -> None:
    with pytest.raises(BodyError):
        parse_json(b"[" * 10_000 + b"]" * 10_000)


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (BILLION_LAUGHS, "DOCTYPE"),
        (deep(10_000), "deep"),
        (b"<Task>" + b" " * (100 * 1024 * 1024) + b"</Task>", "at most"),
    ],
    ids=["billion-laughs", "deep-nesting", "100-MB"],
)
def test_validation_reports_hostile_bodies_as_violations(body: bytes, fragment: str) -> None:
    result = validate_body(body, "application/xml")
    assert not result.valid
    assert fragment.lower() in result.violations[0].message.lower()


def test_ordinary_nesting_is_accepted() -> None:
    assert parse_xml(deep(100)).tag == "a"
