"""The import rules of ARCHITECTURE.md, enforced on the source."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "conformance"
FRONT_ENDS = ("conformance.cli", "conformance._cli", "conformance.plugin", "conformance._plugin")


def imports_of(path: Path, *, everything: bool = False) -> set[str]:
    """The modules `path` imports: the package's, or with `everything` any module."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return {name for name in found if everything or name.startswith("conformance")}


def modules_under(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


def _starts(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        ("emulator", ("conformance.checks",)),
        ("checks", ("conformance.emulator",)),
        ("representations", ("conformance.model", "conformance.emulator", "conformance.checks")),
    ],
)
def test_layer_does_not_import_forbidden(layer: str, forbidden: tuple[str, ...]) -> None:
    modules = modules_under(layer)
    if not modules:
        pytest.fail(f"conformance/{layer} has no modules")
    offenders = {m.name: imports_of(m) for m in modules}
    bad = {
        name: sorted(i for i in found if _starts(i, forbidden)) for name, found in offenders.items()
    }
    assert {k: v for k, v in bad.items() if v} == {}


def test_nothing_below_the_front_ends_imports_them() -> None:
    below = [
        p
        for p in PACKAGE.rglob("*.py")
        if p.parts[-2] not in ("_cli", "_plugin") and p.stem not in ("cli", "plugin", "__main__")
    ]
    bad = {
        str(p.relative_to(PACKAGE)): sorted(i for i in imports_of(p) if _starts(i, FRONT_ENDS))
        for p in below
    }
    assert {k: v for k, v in bad.items() if v} == {}


# Layer 1: what each may import of the package (protocol reads headers off an exchange).
LAYER_ONE = {
    "errors": set(),
    "exchange": set(),
    "spec": set(),
    "evidence": set(),
    "protocol": {"conformance.exchange"},
    "mocking": {"conformance.exchange"},
    "options": {"conformance._option_values"},
    "_option_values": set(),
    "_collector": set(),
}


@pytest.mark.parametrize(("module", "allowed"), sorted(LAYER_ONE.items()))
def test_layer_one_imports_nothing_else_of_the_package(module: str, allowed: set[str]) -> None:
    found = imports_of(PACKAGE / f"{module}.py")
    assert found - allowed - {f"conformance.{module}"} == set()


# cassette/ reads, writes, normalises, replays and diffs recordings; running the suite, the
# emulator or a client program to make or judge one is the suite's (suite/offline.py,
# suite/recording.py, suite/client_validation.py).
CASSETTE_FORBIDDEN = ("conformance.suite", "conformance.emulator", "subprocess")


def test_cassette_is_a_file_format_not_an_orchestrator() -> None:
    modules = modules_under("cassette")
    assert modules
    bad = {
        m.name: sorted(i for i in imports_of(m, everything=True) if _starts(i, CASSETTE_FORBIDDEN))
        for m in modules
    }
    assert {k: v for k, v in bad.items() if v} == {}


def test_the_judged_result_sits_below_everything_that_fills_or_reports_it() -> None:
    """result.py takes the checks' verdicts and layer-one types only: the runner, the
    offline check, client validation and every reporter import it, never the reverse."""
    found = imports_of(PACKAGE / "result.py")
    allowed = ("conformance.checks", "conformance.errors", "conformance.exchange")
    allowed += ("conformance.redaction",)
    assert {name for name in found if not _starts(name, allowed)} == set()


# The tests of a subpackage live in the folder of its name (a private package's without
# its underscore); the package's top-level modules are tested in tests/ itself.
TESTS = Path(__file__).resolve().parent


def test_the_tests_mirror_the_package() -> None:
    packages = {p.parent.name.lstrip("_") for p in PACKAGE.glob("*/__init__.py")}
    folders = {p.parent.name for p in TESTS.glob("*/__init__.py")}
    assert packages - folders == set(), "a subpackage without its tests folder"
    assert folders - packages == set(), "a tests folder named after no subpackage"
