"""The public surface is deliberate: `__all__` is sorted and matches the namespace, and
docs/api.md, `__all__` and the imports the README and docs show are in step.

The names load lazily (`conformance.__getattr__`), so the namespace is what `dir()`
lists and what attribute access resolves, each name the object of its home module.
docs/api.md lists each name with one line, names the public modules, and says of every
other module directly in the package that it is internal.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

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


# --- docs/api.md, `__all__` and the imports the README and docs show, in step -------------

ROOT = Path(__file__).resolve().parents[1]
API_DOC = ROOT / "docs" / "api.md"
PACKAGE = ROOT / "conformance"


def _section(heading: str) -> str:
    """The text under `## heading` of docs/api.md, up to the next `## `."""
    text = API_DOC.read_text("utf-8")
    assert f"\n## {heading}\n" in text, f"docs/api.md has no '## {heading}' section"
    return text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]


def _listed(heading: str) -> dict[str, str]:
    """Each `- `name`: one line` item of a section, name to its line."""
    return dict(re.findall(r"^- `([\w.]+)`: (.+)$", _section(heading), re.MULTILINE))


def _documented_names() -> dict[str, str]:
    return _listed("Names in `conformance`")


def _public_modules() -> set[str]:
    return set(_listed("Public modules"))


def _internal_modules() -> set[str]:
    return set(_listed("Internal modules"))


def test_the_docs_list_every_public_name_once_and_nothing_else() -> None:
    text = _section("Names in `conformance`")
    items = re.findall(r"^- `(\w+)`:", text, re.MULTILINE)
    assert len(items) == len(set(items)), "a name is listed twice in docs/api.md"
    assert set(items) == set(conformance.__all__)


@pytest.mark.parametrize("name", sorted(_documented_names()))
def test_each_documented_name_is_importable_with_a_line_saying_what_it_is(name: str) -> None:
    namespace: dict[str, object] = {}
    exec(f"from conformance import {name}", namespace)  # as a user writes it
    assert namespace[name] is getattr(conformance, name)
    assert len(_documented_names()[name].split()) >= 3


def _markdown_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _python_blocks(text: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", text, re.MULTILINE | re.DOTALL)


def _inline_imports(text: str) -> list[str]:
    """Import statements written inline, as `import conformance.x` in a sentence."""
    spans = re.findall(r"`([^`\n]+)`", text)
    return [s for s in spans if re.match(r"(from|import) conformance\b", s)]


def _imports(source: str) -> list[tuple[str, tuple[str, ...]]]:
    """(module, names imported from it) for each import of the package; () for `import M`."""
    found: list[tuple[str, tuple[str, ...]]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, tuple(alias.name for alias in node.names)))
    return [(module, names) for module, names in found if module.split(".")[0] == "conformance"]


def _documented_imports() -> list[tuple[str, str, tuple[str, ...]]]:
    found = []
    for path in _markdown_files():
        text = path.read_text("utf-8")
        for source in [*_python_blocks(text), *_inline_imports(text)]:
            found += [(path.name, module, names) for module, names in _imports(source)]
    return found


def test_the_readme_and_docs_show_imports_to_check() -> None:
    # The two tests below must not pass because the parsing found nothing.
    modules = {module for _, module, _ in _documented_imports()}
    assert {"conformance", "conformance.properties.bridge"} <= modules


def test_the_readme_and_docs_import_only_public_names() -> None:
    public = set(conformance.__all__)
    bad = [
        f"{where}: from {module} import {', '.join(names)}"
        for where, module, names in _documented_imports()
        if names and (module != "conformance" or not set(names) <= public)
    ]
    assert bad == [], "import these from `conformance`, or add them to the public API"


def test_the_readme_and_docs_import_only_public_modules() -> None:
    bad = [
        f"{where}: import {module}"
        for where, module, names in _documented_imports()
        if not names and module not in _public_modules()
    ]
    assert bad == []


def test_each_public_module_exists() -> None:
    missing = [m for m in _public_modules() if importlib.util.find_spec(m) is None]
    assert missing == []


def _top_level_modules() -> set[str]:
    """Each module and subpackage directly in the package, but private (`_x`) and dunder ones."""
    names = {p.stem for p in PACKAGE.glob("*.py")} | {
        p.parent.name for p in PACKAGE.glob("*/__init__.py")
    }
    return {f"conformance.{name}" for name in names if not name.startswith("_")}


def test_every_module_is_documented_as_public_or_internal() -> None:
    documented = _public_modules() | _internal_modules()
    undocumented = sorted(_top_level_modules() - documented)
    assert undocumented == [], "say in docs/api.md whether each is public or internal"


def test_every_module_the_docs_name_exists() -> None:
    gone = sorted(m for m in _public_modules() | _internal_modules() if _missing(m))
    assert gone == []


def _missing(module: str) -> bool:
    path = ROOT / module.replace(".", "/")
    return not (path.with_suffix(".py").is_file() or (path / "__init__.py").is_file())
