"""The scan of every cassette a test saves: none may leave a secret on disk. The
conftest.py of tests/cassette and tests/suite import these fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cassette._scan import leaks

__all__ = ["no_secret_on_disk", "raw_secrets"]


@pytest.fixture
def raw_secrets() -> set[str]:
    """Raw secret values a test used; its saved cassettes must not contain them."""
    return set()


@pytest.fixture(autouse=True)
def no_secret_on_disk(tmp_path: Path, raw_secrets: set[str]) -> Iterator[None]:
    yield
    found = [leak for path in sorted(tmp_path.rglob("*.yaml")) for leak in leaks(path, raw_secrets)]
    assert not found, "secrets left in cassettes:\n" + "\n".join(found)
