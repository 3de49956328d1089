"""`pytest --em-target URL` against a real server (an emulator on a socket): read-only
unless asked, destructive items skipped, and the password in no output or file."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from conformance._plugin._suite_items import destructive
from conformance.checks import REGISTRY, api_path
from conformance.emulator.server import EmulatorServer

from ._inner import EMBEDDED_ONLY, EXAMPLES, output, run
from .conftest import SECRET, USERNAME

pytest_plugins = ["pytester"]

RULES = REGISTRY.rules()
DESTRUCTIVE = [rule.id for rule in RULES if destructive(rule)]


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EM_PASSWORD", SECRET)


def _target(server: EmulatorServer, *args: str) -> tuple[str, ...]:
    return ("--em-target", server.base_url, "--em-username", USERNAME, *args)


def test_destructive_items_are_skipped_without_em_destructive(
    pytester: pytest.Pytester, em_real_server: EmulatorServer
) -> None:
    args = _target(em_real_server, "--em-level", "should", "--em-max-examples", EXAMPLES, "-rs")
    result = run(pytester, *args)
    skipped = len(DESTRUCTIVE) + len(EMBEDDED_ONLY)
    result.assert_outcomes(passed=len(RULES) - skipped, skipped=skipped)
    result.stdout.fnmatch_lines(
        [f"SKIPPED [[]{len(DESTRUCTIVE)}[]] *: em_destructive: needs --em-destructive*"]
    )
    deletes = [
        api_path(entry.exchange.request.url)
        for entry in em_real_server.emulator.journal.entries()
        if entry.exchange.request.method == "DELETE"
    ]
    # A read-only run logs its own sessions out and deletes nothing else.
    assert deletes and all(path.lower().startswith("/logonsessions/") for path in deletes)


def test_em_destructive_with_a_job_to_clone_runs_the_destructive_items(
    pytester: pytest.Pytester, em_real_server: EmulatorServer
) -> None:
    inventory = em_real_server.emulator.state.inventory
    seeded = {job.job_id for job in inventory.jobs("job")}
    source = next(job.job_id for job in inventory.jobs("job") if job.job_type == "Backup")
    args = _target(em_real_server, "--em-destructive", "--em-clone-from", source)
    result = run(pytester, *args, "--em-max-examples", "1", "-k", "EM-DEL-001 or EM-TASK-008")
    result.assert_outcomes(passed=2, deselected=len(RULES) - 2)
    assert seeded <= {job.job_id for job in inventory.jobs("job")}  # only clones were deleted


def test_em_destructive_deselects_with_m(
    pytester: pytest.Pytester, em_real_server: EmulatorServer
) -> None:
    args = _target(em_real_server, "--em-max-examples", "1", "--em-format", "json")
    result = run(pytester, *args, "-m", "not em_destructive")
    result.assert_outcomes(
        passed=len([r for r in RULES if r.level.value != "SHOULD" and not destructive(r)])
        - len(EMBEDDED_ONLY),
        skipped=len([r for r in RULES if r.level.value == "SHOULD" and not destructive(r)])
        + len(EMBEDDED_ONLY),
        deselected=len(DESTRUCTIVE),
    )


def _secrets() -> list[str]:
    basic = base64.b64encode(f"{USERNAME}:{SECRET}".encode()).decode()
    return [SECRET, basic]


def _assert_clean(result: pytest.RunResult, *files: Path) -> None:
    texts = [output(result), *(path.read_text("utf-8") for path in files)]
    for text in texts:
        assert "Traceback" not in text
        for secret in _secrets():
            assert secret not in text


def test_the_password_appears_in_no_output_or_file(
    pytester: pytest.Pytester, em_real_server: EmulatorServer
) -> None:
    files = ["junit.xml", "report.json", "run.yaml"]
    result = run(
        pytester, *_target(em_real_server, "--em-max-examples", "1", "--em-format", "json"),
        "-v", "-rA", "--log-level=DEBUG", "--junitxml=junit.xml", "--em-report=report.json",
        "--em-cassette=run.yaml",
    )  # fmt: skip
    assert result.ret == pytest.ExitCode.OK
    _assert_clean(result, *(pytester.path / name for name in files))


def test_a_refused_logon_fails_the_unjudged_items_briefly(
    pytester: pytest.Pytester, em_real_server: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EM_PASSWORD", SECRET[::-1])
    result = run(pytester, *_target(em_real_server, "-k", "EM-LOGON-002 or EM-NEG-001"))
    # GET / answered before the logon was refused, so EM-NEG-001 could be judged.
    result.assert_outcomes(failed=1, passed=1, deselected=len(RULES) - 2)
    refused = "The target refused the logon of 'administrator' (401). Check --username*"
    result.stdout.fnmatch_lines(
        [f"EM-LOGON-002 not judged: the run stopped: {refused}", f"STOPPED: {refused}"]
    )
    _assert_clean(result)
    assert SECRET[::-1] not in output(result)
