"""The emulator in-process for `requests` clients, through `responses`: no socket at all.

with mock_enterprise_manager() as em:          # em is the EnterpriseManagerEmulator
    requests.get("https://em.test:9398/api/")

@mock_enterprise_manager(base_url="https://em.local:9398/api")
def test_client(): ...
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
import responses
from urllib3 import HTTPHeaderDict

from conformance.emulator.config import EmulatorConfig
from conformance.emulator.core import EnterpriseManagerEmulator
from conformance.errors import UsageError
from conformance.exchange import RecordedRequest

__all__ = ["EnterpriseManagerMock", "mock_enterprise_manager"]

DEFAULT_BASE_URL = "https://em.test:9398/api"
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
F = TypeVar("F", bound=Callable[..., Any])


def _body(request: requests.PreparedRequest) -> bytes:
    body = request.body
    if isinstance(body, bytes):
        return body
    return body.encode("utf-8") if isinstance(body, str) else b""


class EnterpriseManagerMock:
    """Routes every `requests` call to the base URL's host into one emulator."""

    def __init__(self, base_url: str, emulator: EnterpriseManagerEmulator) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UsageError(
                f"Expected an http(s) base URL such as {DEFAULT_BASE_URL}; received {base_url!r}."
            )
        self.base_url = base_url.rstrip("/")
        self.emulator = emulator
        self._pattern = re.compile(re.escape(f"{parts.scheme}://{parts.netloc}") + r"(?:[/?#].*)?$")
        self._mock: responses.RequestsMock | None = None

    def _callback(self, request: requests.PreparedRequest) -> tuple[int, HTTPHeaderDict, bytes]:
        recorded = RecordedRequest.build(request.method or "GET", request.url or "", request.headers.items(),
                                         _body(request))  # fmt: skip
        response = self.emulator.handle(recorded)
        # HTTPHeaderDict keeps repeated headers (responses' typing wants a Mapping).
        return response.status, HTTPHeaderDict(list(response.headers)), response.body

    def start(self) -> EnterpriseManagerEmulator:
        mock = responses.RequestsMock(assert_all_requests_are_fired=False)
        for method in _METHODS:
            mock.add_callback(method, self._pattern, callback=self._callback, content_type=None)
        mock.start()
        self._mock = mock
        return self.emulator

    def stop(self) -> None:
        if self._mock is not None:
            self._mock.stop()
            self._mock.reset()
            self._mock = None

    def __enter__(self) -> EnterpriseManagerEmulator:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:  # fmt: skip
        self.stop()

    def __call__(self, function: F) -> F:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self:
                return function(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


def mock_enterprise_manager(base_url: str = DEFAULT_BASE_URL, config: EmulatorConfig | None = None, *,
                            emulator: EnterpriseManagerEmulator | None = None) -> EnterpriseManagerMock:  # fmt: skip
    """A context manager (yielding the emulator) and decorator that mocks EM for `requests`."""
    return EnterpriseManagerMock(base_url, emulator or EnterpriseManagerEmulator(config))
