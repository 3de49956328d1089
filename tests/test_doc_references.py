"""The docs name only modules and test files that exist: a move leaves no stale pointer
(`python -m conformance.cassette.regenerate` outlived its module once)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted([ROOT / "README.md", ROOT / "ARCHITECTURE.md", *(ROOT / "docs").glob("*.md")])
_MODULE = re.compile(r"python -m (conformance(?:\.\w+)+)")
_TEST_FILE = re.compile(r"\btests/[\w/]+\.(?:py|sh)\b")


def _module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


@pytest.mark.parametrize("doc", DOCS, ids=lambda doc: doc.name)
def test_every_module_a_doc_runs_exists(doc: Path) -> None:
    named = set(_MODULE.findall(doc.read_text("utf-8")))
    assert {name for name in named if not _module_exists(name)} == set()


@pytest.mark.parametrize("doc", DOCS, ids=lambda doc: doc.name)
def test_every_test_file_a_doc_names_exists(doc: Path) -> None:
    named = set(_TEST_FILE.findall(doc.read_text("utf-8")))
    assert {name for name in named if not (ROOT / name).exists()} == set()
