"""Parsed views of bodies, shared while one set of exchanges is judged.

About a hundred checks judge the same exchanges, and most read the body: parse it,
validate it, build its `Task`.  Inside `shared_views()` each such view is built once per
body *value* and handed to every later reader; outside it nothing is cached, so a
long-lived process never holds bodies it has finished with.

Views are keyed by the source's value (a body's bytes, a URL), not its identity: a
recording of a task being polled holds the same body many times over, and each is
parsed and validated once.  So a view must be a function of its source's value and its
`kind` alone (every parameter it depends on is spelled into `kind`), and whoever receives
it must treat it as read-only.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

__all__ = ["memo", "shared_views", "view"]

T = TypeVar("T")

_VIEWS: ContextVar[dict[Hashable, Any] | None] = ContextVar("conformance_views", default=None)
_MISSING = object()
_MEMO = object()  # keeps `memo` tables apart from `view` entries


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


def view(source: Hashable, kind: str, build: Callable[[], T]) -> T:
    """`build()`, or the value it gave for a source equal to `source` (a body, a URL) and
    `kind` in this block.  A `build` that raises is not cached: failures are rare."""
    views = _VIEWS.get()
    if views is None:
        return build()
    key = (kind, source)
    value = views.get(key, _MISSING)
    if value is _MISSING:
        value = views[key] = build()
    return value  # type: ignore[no-any-return]


def memo(kind: Hashable) -> dict[Any, Any]:
    """A dict shared by every caller asking for `kind` in this block (a fresh one outside
    it), for hot lookups that cannot afford a `view` call each: the caller keys it by
    value and keeps the same rules (a function of the key and `kind`, read-only)."""
    views = _VIEWS.get()
    if views is None:
        return {}
    table = views.get((_MEMO, kind))
    if table is None:
        table = views[(_MEMO, kind)] = {}
    return table
