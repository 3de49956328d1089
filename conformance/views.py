"""Parsed views of bodies, shared while one set of exchanges is judged.

About a hundred checks judge the same exchanges, and most read the body: parse it,
validate it, build its `Task`.  Inside `shared_views()` each such view is built once per
body object and handed to every later reader; outside it nothing is cached, so a
long-lived process never holds bodies it has finished with.  Views are keyed by the
body's identity (the cache keeps the body alive, so the identity cannot be reused) and
must be treated as read-only by whoever receives them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

__all__ = ["shared_views", "view"]

T = TypeVar("T")

_VIEWS: ContextVar[dict[tuple[int, str], tuple[object, Any]] | None] = ContextVar(
    "conformance_views", default=None
)


@contextmanager
def shared_views() -> Iterator[None]:
    """Share views built inside the block (nested blocks share the outer one's)."""
    if _VIEWS.get() is not None:
        yield
        return
    token = _VIEWS.set({})
    try:
        yield
    finally:
        _VIEWS.reset(token)


def view(source: object, kind: str, build: Callable[[], T]) -> T:
    """`build()`, or the value it gave for this very `source` object (a body, a URL) and
    `kind` in this block.  A `build` that raises is not cached: failures are rare."""
    views = _VIEWS.get()
    if views is None:
        return build()
    key = (id(source), kind)
    hit = views.get(key)
    if hit is not None and hit[0] is source:
        return hit[1]  # type: ignore[no-any-return]
    value = build()
    views[key] = (source, value)
    return value
