"""The CI recipes in docs/ci/ work as pasted: each file parses, and every em-conformance
command in it runs against the embedded emulator (the staging server's --target,
--username and --ca-bundle dropped, every output kept), producing every file the recipe
publishes as an artifact or a JUnit report."""

from __future__ import annotations

import shlex
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from conformance._cli._cache import STORAGE_VARIABLE
from conformance.cli import main

ROOT = Path(__file__).resolve().parents[1]
RECIPES = ROOT / "docs" / "ci"
STAGING_ONLY = {"--target", "--username", "--ca-bundle"}  # each takes one value
SHELL_WORDS = {"if", "then", "else", "fi", "do", "done"}


def _load(name: str) -> dict[Any, Any]:
    loaded = yaml.safe_load((RECIPES / name).read_text())
    assert isinstance(loaded, dict)
    return loaded


def _github_scripts(workflow: dict[Any, Any]) -> Iterator[str]:
    for job in workflow["jobs"].values():
        yield from (step["run"] for step in job["steps"] if "run" in step)


def _gitlab_scripts(pipeline: dict[Any, Any]) -> Iterator[str]:
    for job in pipeline.values():
        if isinstance(job, dict):
            yield from job.get("script", [])


def _commands(script: str) -> Iterator[list[str]]:
    """Each `em-conformance ...` simple command of a shell script, as its words."""
    lexer = shlex.shlex(script.replace("\\\n", " "), posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    words: list[str] = []
    for token in [*lexer, ";"]:
        if set(token) <= set("();<>|&\n") or token in SHELL_WORDS:
            if words[:1] == ["em-conformance"]:
                yield words
            words = []
        else:
            words.append(token)


def _embedded(words: list[str]) -> list[str]:
    """The command against the embedded emulator: the staging options dropped."""
    argv: list[str] = []
    rest = iter(words[1:])
    for word in rest:
        if word in STAGING_ONLY:
            next(rest)
            continue
        assert not word.startswith("$"), f"{word} in {words}: the test cannot supply it"
        argv.append(word)
    return argv


def _github_published(workflow: dict[Any, Any]) -> set[str]:
    paths: set[str] = set()
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            given = step.get("with", {})
            paths.update(str(given.get("path", "")).split())
            paths.update(str(given.get("report_paths", "")).split())
    return paths


def _gitlab_published(pipeline: dict[Any, Any]) -> set[str]:
    paths: set[str] = set()
    for job in pipeline.values():
        artifacts = job.get("artifacts", {}) if isinstance(job, dict) else {}
        paths.update(artifacts.get("paths", []))
        paths.update(artifacts.get("reports", {}).get("junit", "").split())
    return paths


@pytest.fixture
def workspace(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A fresh CI workspace: no staging settings, a small example budget."""
    for name in ("EM_TARGET", "EM_USERNAME", "EM_PASSWORD", "EM_CONFIG", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("EM_MAX_EXAMPLES", "1")
    monkeypatch.setenv("EM_SEED", "11")
    monkeypatch.setenv(STORAGE_VARIABLE, str(tmp_path / "cache"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def _run_all(scripts: Iterator[str]) -> list[list[str]]:
    ran = []
    for script in scripts:
        for words in _commands(script):
            argv = _embedded(words)
            if argv[0] == "diff" and not Path(argv[1]).exists():
                # The previous rehearsal's recording: this run's recording stands in for it.
                shutil.copyfile(argv[2], argv[1])
            assert main(argv) == 0, argv
            ran.append(argv)
    return ran


def _check_runs(ran: list[list[str]]) -> None:
    runs = [argv for argv in ran if argv[0] == "run"]
    assert len(runs) == 2 and all("--level" in argv and "must" in argv for argv in runs)
    assert any("--cassette" in argv for argv in runs)
    assert [argv[0] for argv in ran].count("diff") == 1


def test_the_github_workflow_runs_as_pasted(workspace: Path) -> None:
    workflow = _load("github-actions.yml")
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "schedule" in triggers and "pull_request" in triggers
    assert workflow["env"]["EM_PASSWORD"] == "${{ secrets.EM_PASSWORD }}"
    _check_runs(_run_all(_github_scripts(workflow)))
    for path in _github_published(workflow):
        assert (workspace / path).is_file(), path


def test_the_gitlab_job_runs_as_pasted(workspace: Path) -> None:
    pipeline = _load("gitlab-ci.yml")
    rules = [rule["if"] for job in pipeline.values() if isinstance(job, dict)
             for rule in job.get("rules", [])]  # fmt: skip
    assert '$CI_PIPELINE_SOURCE == "schedule"' in rules
    _check_runs(_run_all(_gitlab_scripts(pipeline)))
    for path in _gitlab_published(pipeline):
        assert (workspace / path).is_file(), path


def test_commands_are_found_through_shell_syntax() -> None:
    script = "if [ -f a ]; then\nem-conformance diff a b --markdown m.md || status=1;\nfi"
    assert list(_commands(script)) == [["em-conformance", "diff", "a", "b", "--markdown", "m.md"]]
    line = 'em-conformance run --target "$EM_TARGET" \\\n  --level must'
    assert _embedded(next(_commands(line))) == ["run", "--level", "must"]
