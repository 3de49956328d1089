"""The cyclic garbage collector paused around bulk work that makes no cycles.

Loading a cassette or judging a recording builds a large tree of fresh containers (parsed
bodies, exchanges, verdicts) with no reference cycles worth collecting; meanwhile each of
the collector's passes would walk every object of that tree, so leaving it on makes large
loads and judgements grow faster than their size.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block; restore it as it was (nesting is fine)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
