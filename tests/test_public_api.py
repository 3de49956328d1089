"""The public surface is deliberate: `__all__` is sorted and matches the namespace."""

from __future__ import annotations

import conformance


def test_all_is_sorted() -> None:
    assert list(conformance.__all__) == sorted(conformance.__all__)


def test_all_matches_public_names() -> None:
    public = {
        name for name in vars(conformance) if not name.startswith("_") and not _is_module(name)
    }
    assert public | {"__version__"} == set(conformance.__all__)


def _is_module(name: str) -> bool:
    return type(getattr(conformance, name)).__name__ == "module"
