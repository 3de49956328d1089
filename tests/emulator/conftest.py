"""Fixtures of the emulator tests: one request interface over the three transports.

`driver` runs a test three times: direct calls into the core, `requests` through the
`responses` mock, and `requests` over a real socket. Every emulator here runs on a
`ManualClock`, so tests move time forward instead of sleeping.
"""

from __future__ import annotations

import base64
import http.cookiejar
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import pytest
import requests

# The fixtures of the pytest plugin, until conformance/plugin.py imports them itself.
from conformance._plugin.emulator_fixtures import em_emulator, em_emulator_server  # noqa: F401
from conformance.emulator import EmulatorConfig, EnterpriseManagerEmulator, ManualClock
from conformance.emulator.mock import mock_enterprise_manager
from conformance.emulator.server import EmulatorServer
from conformance.exchange import RecordedRequest, RecordedResponse
from conformance.representations import validate_body

MOCK_BASE = "https://em.test:9398/api"
XML = "application/xml"
JSON = "application/json"
PASSWORD = "Veeam123!"


def basic(user: str, password: str = PASSWORD) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def assert_valid(response: RecordedResponse) -> None:
    """A body, if any, validates against the specs for its declared media type."""
    if not response.body:
        return
    result = validate_body(response.body, response.media_type)
    assert result.valid, (
        f"{result.resource} body breaks the spec: {result.violations}\n{response.body!r}"
    )


class Driver(Protocol):
    base: str
    clock: ManualClock
    emulator: EnterpriseManagerEmulator

    def send(self, method: str, path: str, headers: Mapping[str, str] | None = None,
             body: bytes | str | None = None) -> RecordedResponse: ...  # fmt: skip


def _url(base: str, path: str) -> str:
    return path if path.startswith("http") else base + path


@dataclass
class CoreDriver:
    base: str
    clock: ManualClock
    emulator: EnterpriseManagerEmulator

    def send(self, method: str, path: str, headers: Mapping[str, str] | None = None,
             body: bytes | str | None = None) -> RecordedResponse:  # fmt: skip
        return self.emulator.handle(
            RecordedRequest.build(method, _url(self.base, path), headers, body)
        )


def _no_cookies() -> requests.Session:
    # Tests choose the token transport (header or cookie) themselves; no cookie jar.
    session = requests.Session()
    session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    return session


def _recorded(response: requests.Response) -> RecordedResponse:
    return RecordedResponse.build(
        response.status_code, list(response.headers.items()), response.content
    )


@dataclass
class RequestsDriver:
    base: str
    clock: ManualClock
    emulator: EnterpriseManagerEmulator
    session: requests.Session
    verify: Any = True

    def send(self, method: str, path: str, headers: Mapping[str, str] | None = None,
             body: bytes | str | None = None) -> RecordedResponse:  # fmt: skip
        sent = {"Accept": None, "Accept-Encoding": None, **(headers or {})}
        response = self.session.request(method, _url(self.base, path), headers=sent, data=body,
                                        verify=self.verify, timeout=30)  # fmt: skip
        return _recorded(response)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def emulator(clock: ManualClock) -> EnterpriseManagerEmulator:
    return EnterpriseManagerEmulator(EmulatorConfig(clock=clock))


@pytest.fixture
def core(clock: ManualClock, emulator: EnterpriseManagerEmulator) -> CoreDriver:
    return CoreDriver(MOCK_BASE, clock, emulator)


@pytest.fixture(scope="module")
def manual_server() -> Iterator[tuple[EmulatorServer, ManualClock]]:
    """A real server on a free port whose time only moves when a test says so."""
    clock = ManualClock()
    with EmulatorServer(EmulatorConfig(clock=clock)) as server:
        yield server, clock


def _mock_driver(clock: ManualClock, emulator: EnterpriseManagerEmulator) -> Iterator[Driver]:
    with mock_enterprise_manager(MOCK_BASE, emulator=emulator):
        yield RequestsDriver(MOCK_BASE, clock, emulator, _no_cookies())


def _server_driver(manual_server: tuple[EmulatorServer, ManualClock]) -> Iterator[Driver]:
    server, clock = manual_server
    server.emulator.reset()
    with _no_cookies() as session:
        yield RequestsDriver(server.base_url, clock, server.emulator, session)


@pytest.fixture(params=["core", "mock", "server"])
def driver(
    request: pytest.FixtureRequest, clock: ManualClock, emulator: EnterpriseManagerEmulator
) -> Iterator[Driver]:
    """The same test through the core, the responses mock and the real server."""
    if request.param == "core":
        yield CoreDriver(MOCK_BASE, clock, emulator)
    elif request.param == "mock":
        yield from _mock_driver(clock, emulator)
    else:
        yield from _server_driver(request.getfixturevalue("manual_server"))


class Client:
    """A logged-on caller: sends its token (header by default) and an Accept header."""

    def __init__(
        self, driver: Driver, user: str = "administrator", media: str = XML, *, strict: bool = True
    ) -> None:
        self.driver, self.media, self.strict = driver, media, strict
        response = driver.send(
            "POST", "/sessionMngr/?v=latest", {"Authorization": basic(user), "Accept": media}
        )
        assert response.status == 201, response.body
        self.token = response.header("X-RestSvcSessionId") or ""
        self.logon = response

    def send(self, method: str, path: str, headers: Mapping[str, str] | None = None,
             body: bytes | str | None = None) -> RecordedResponse:  # fmt: skip
        sent = {"X-RestSvcSessionId": self.token, "Accept": self.media, **(headers or {})}
        response = self.driver.send(method, path, sent, body)
        if self.strict:
            assert response.status < 500, response.body
            assert_valid(response)
        return response

    def get(self, path: str, **headers: str) -> RecordedResponse:
        return self.send("GET", path, headers)

    def delete(self, path: str, **headers: str) -> RecordedResponse:
        return self.send("DELETE", path, headers)

    def post(self, path: str, body: bytes | str | None = None, **headers: str) -> RecordedResponse:
        return self.send("POST", path, headers, body)


@pytest.fixture
def admin(driver: Driver) -> Client:
    return Client(driver)
