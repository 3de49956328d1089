"""Every test here gets its cassettes scanned: none may leave a secret on disk."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ._scan import leaks


@pytest.fixture
def raw_secrets() -> set[str]:
    """Raw secret values a test used; its saved cassettes must not contain them."""
    return set()


@pytest.fixture(autouse=True)
def _no_secret_on_disk(tmp_path: Path, raw_secrets: set[str]) -> Iterator[None]:
    yield
    found = [leak for path in sorted(tmp_path.rglob("*.yaml")) for leak in leaks(path, raw_secrets)]
    assert not found, "secrets left in cassettes:\n" + "\n".join(found)
