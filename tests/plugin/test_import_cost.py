"""The plugin is in every pytest session of a project that has em-conformance installed:
until an `em_*` fixture or `--em-run` asks for the suite it loads nothing heavy.

Each case runs a fresh interpreter (this one has long since imported everything) and
reads `sys.modules`; benchmarks/plugin_import.py measures the time.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import conformance

# The copy of the package under test, ahead of any installed one in the subprocesses.
SOURCE = str(Path(conformance.__file__).resolve().parents[1])

HEAVY = ("lxml", "jsonschema", "schemathesis", "hypothesis", "yaml", "requests", "responses",
         "uvicorn")  # fmt: skip

# Imports the plugin as pytest does (the module, then its `pytest_plugins`).
IMPORT_PROBE = f"""
import importlib, sys
import pytest
import conformance.plugin as plugin
assert plugin.pytest_plugins, "no suite plugin named"
for name in plugin.pytest_plugins:
    importlib.import_module(name)
print(",".join(sorted({{m.split(".")[0] for m in sys.modules}} & set({HEAVY!r}))))
"""

# Reports what a whole session loaded: options parsed, plugins configured, tests run.
SESSION_PROBE = f"""
import sys

def pytest_sessionfinish(session):
    loaded = sorted({{m.split(".")[0] for m in sys.modules}} & set({HEAVY!r}))
    with open("loaded.txt", "w") as out:
        out.write(",".join(loaded))
"""

PLAIN_TEST = "def test_own():\n    assert True\n"

CASSETTE_TEST = """
def test_uses_a_cassette(em_cassette):
    em_cassette("docs-delete-job.yaml")
"""


def test_importing_the_plugin_loads_nothing_heavy() -> None:
    env = {**os.environ, "PYTHONPATH": SOURCE}
    out = subprocess.run(
        [sys.executable, "-c", IMPORT_PROBE], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""


def _session(tmp_path: Path, test: str, *args: str) -> set[str]:
    """What a pytest session with only this plugin (no other installed plugin) loaded."""
    (tmp_path / "conftest.py").write_text(SESSION_PROBE)
    (tmp_path / "test_own.py").write_text(test)
    env = {k: v for k, v in os.environ.items() if not k.startswith("EM_")}
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # hypothesis and schemathesis have their own
    env["PYTHONPATH"] = SOURCE
    command = [sys.executable, "-m", "pytest", "-p", "conformance.plugin", "-q", "-p",
               "no:cacheprovider", *args]  # fmt: skip
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return set(filter(None, (tmp_path / "loaded.txt").read_text().split(",")))


@pytest.mark.parametrize(
    "args",
    [pytest.param((), id="plain"), pytest.param(("--em-level", "should"), id="em-options")],
)
def test_a_session_that_asks_nothing_of_the_plugin_loads_nothing_heavy(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    assert _session(tmp_path, PLAIN_TEST, *args) == set()


def test_an_em_fixture_loads_what_it_needs_when_used(tmp_path: Path) -> None:
    # The control: the probe above sees heavy modules when something does load them.
    assert {"yaml", "responses"} <= _session(tmp_path, CASSETTE_TEST)
