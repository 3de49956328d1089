"""Shared fixtures of the project's own tests."""

from __future__ import annotations

from pathlib import Path

import pytest

# Copies of the documented bodies (shared/reference/examples), with their SOURCES.md.
EXAMPLES = Path(__file__).resolve().parent / "examples"


@pytest.fixture(scope="session")
def em_examples() -> Path:
    return EXAMPLES
