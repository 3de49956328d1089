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

from conformance.emulator.config import EmulatorConfig
from conformance.emulator.core import EnterpriseManagerEmulator
from conformance.errors import UsageError
from conformance.exchange import RecordedRequest, RecordedResponse
from conformance.mocking import ResponsesAdapter

__all__ = ["EnterpriseManagerMock", "mock_enterprise_manager"]

DEFAULT_BASE_URL = "https://em.test:9398/api"
F = TypeVar("F", bound=Callable[..., Any])


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
        pattern = re.compile(re.escape(f"{parts.scheme}://{parts.netloc}") + r"(?:[/?#].*)?$")
        self._adapter = ResponsesAdapter(self._handle, pattern)

    def _handle(self, request: RecordedRequest) -> RecordedResponse:
        return self.emulator.handle(request)

    def start(self) -> EnterpriseManagerEmulator:
        self._adapter.start()
        return self.emulator

    def stop(self) -> None:
        self._adapter.stop()

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
