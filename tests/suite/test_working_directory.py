"""A run leaves nothing behind in the working directory but the outputs asked for:
Hypothesis keeps no example database, and its caches go to a per-user directory."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conformance._cli._cache import STORAGE_VARIABLE, cache_home, keep_hypothesis_out_of_cwd

ROOT = Path(__file__).resolve().parents[2]


def _settings_calls() -> list[tuple[str, ast.Call]]:
    calls = []
    for path in sorted((ROOT / "conformance").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner = node.func.value
                if node.func.attr == "settings" and getattr(owner, "id", "") == "hypothesis":
                    calls.append((f"{path.relative_to(ROOT)}:{node.lineno}", node))
    return calls


def test_every_hypothesis_settings_keeps_no_database() -> None:
    calls = _settings_calls()
    assert len(calls) >= 3  # the ID probes, the stateful machine, the schemathesis fuzzing
    for where, call in calls:
        database = [kw.value for kw in call.keywords if kw.arg == "database"]
        assert database and isinstance(database[0], ast.Constant), where
        assert database[0].value is None, where


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"XDG_CACHE_HOME": "/c"}, "/c/em-conformance/hypothesis"),
        ({"LOCALAPPDATA": "/w"}, "/w/em-conformance/hypothesis"),
        ({STORAGE_VARIABLE: "/mine"}, "/mine"),
    ],
    ids=["xdg", "windows", "user-choice-kept"],
)
def test_hypothesis_storage_goes_to_the_user_cache(env: dict[str, str], expected: str) -> None:
    keep_hypothesis_out_of_cwd(env)
    assert Path(env[STORAGE_VARIABLE]) == Path(expected)


def test_without_xdg_the_cache_is_under_home() -> None:
    assert cache_home({}) == Path.home() / ".cache" / "em-conformance"


def test_a_run_in_a_fresh_directory_leaves_only_its_outputs(tmp_path: Path) -> None:
    work, cache = tmp_path / "work", tmp_path / "cache"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k != STORAGE_VARIABLE}
    env |= {"XDG_CACHE_HOME": str(cache), "EM_MAX_EXAMPLES": "2", "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "conformance.cli", "run", "--format", "json", "--seed", "7"]
    outputs = ["--report", "report.json", "--junitxml", "junit.xml", "--html", "report.html"]
    done = subprocess.run(
        [*command, *outputs], cwd=work, env=env, capture_output=True, text=True, timeout=240
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(os.listdir(work)) == ["junit.xml", "report.html", "report.json"]
    # Hypothesis did use storage (its constants cache), and it went to the user cache.
    assert (cache / "em-conformance" / "hypothesis").is_dir()
