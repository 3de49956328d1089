"""The public surface is deliberate: `__all__` is sorted and matches the namespace.

The names load lazily (`conformance.__getattr__`), so the namespace is what `dir()`
lists and what attribute access resolves, each name the object of its home module.
"""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import conformance


def test_all_is_sorted() -> None:
    assert list(conformance.__all__) == sorted(conformance.__all__)


def test_all_matches_public_names() -> None:
    public = {
        name for name in dir(conformance) if not name.startswith("_") and not _is_module(name)
    }
    assert public | {"__version__"} == set(conformance.__all__)


@pytest.mark.parametrize("name", sorted(set(conformance.__all__) - {"__version__"}))
def test_each_public_name_is_its_home_modules_object(name: str) -> None:
    home = importlib.import_module(conformance._HOMES[name])
    assert getattr(conformance, name) is getattr(home, name)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        conformance.no_such_name  # noqa: B018


def test_importing_the_package_loads_neither_lxml_nor_the_schemas() -> None:
    # A fresh interpreter: this one has long since imported everything.
    code = "import sys, conformance; print(sorted({'lxml', 'jsonschema'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _is_module(name: str) -> bool:
    return type(getattr(conformance, name)).__name__ == "module"
