"""The one `responses` adapter: `requests` calls answered in process by a `Handler`.

No socket: `responses` intercepts every `requests` call whose URL matches a pattern
and hands it, as a `RecordedRequest`, to the handler (the emulator or a cassette
replay); the handler's `RecordedResponse` goes back to the caller byte for byte,
repeated headers (`Set-Cookie`) included. `emulator/mock.py` and `cassette/replay.py`
are thin front ends over this class.
"""

from __future__ import annotations

import re
from types import TracebackType
from typing import TYPE_CHECKING, Any

from urllib3 import HTTPHeaderDict

from conformance.exchange import Handler, RecordedRequest

if TYPE_CHECKING:
    from requests import PreparedRequest

__all__ = ["ANY_URL", "ResponsesAdapter", "recorded_request"]

ANY_URL = re.compile(r".*")
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")


def recorded_request(prepared: PreparedRequest) -> RecordedRequest:
    """A prepared `requests` request as the handler sees it (a streamed body is empty)."""
    body = prepared.body
    data = (
        body if isinstance(body, bytes) else body.encode("utf-8") if isinstance(body, str) else b""
    )
    return RecordedRequest.build(prepared.method or "GET", prepared.url or "", prepared.headers.items(), data)  # fmt: skip


class ResponsesAdapter:
    """While started, `requests` calls to URLs matching `url` are answered by `handler`."""

    def __init__(self, handler: Handler, url: re.Pattern[str] = ANY_URL) -> None:
        self.handler = handler
        self.url = url
        self._mock: Any = None

    def _callback(self, prepared: PreparedRequest) -> tuple[int, HTTPHeaderDict, bytes]:
        response = self.handler(recorded_request(prepared))
        # A multi-valued mapping keeps repeated headers (responses' typing wants a Mapping).
        return response.status, HTTPHeaderDict(list(response.headers)), response.body

    @property
    def active(self) -> bool:
        return self._mock is not None

    def start(self) -> None:
        import responses  # heavy: only an in-process run needs it

        mock = responses.RequestsMock(assert_all_requests_are_fired=False)
        for method in _METHODS:
            mock.add_callback(method, self.url, callback=self._callback, content_type=None)
        mock.start()
        self._mock = mock

    def stop(self) -> None:
        if self._mock is not None:
            self._mock.stop()
            self._mock.reset()
            self._mock = None

    def __enter__(self) -> ResponsesAdapter:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:  # fmt: skip
        self.stop()
