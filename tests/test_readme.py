"""The README's exit-code table says what the code does: the same codes, in step with
`run --help` and with the codes the runner and the command line return."""

from __future__ import annotations

import re
import signal
from pathlib import Path

from conformance._cli.run import EPILOG
from conformance.errors import TargetError, UsageError
from conformance.result import _STOP_EXIT

ROOT = Path(__file__).resolve().parents[1]


def _readme_codes() -> dict[int, str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("Exit codes (all commands", 1)[1].split("\n\n", 2)[1]
    rows = re.findall(r"^\| (\d+) \| (.+) \|$", section, re.MULTILINE)
    return {int(code): meaning for code, meaning in rows}


def _help_codes() -> set[int]:
    return {int(code) for code in re.findall(r"^\s+(\d+)\s", EPILOG, re.MULTILINE)} | {
        int(code) for code in re.findall(r";\s+(\d+) stopped", EPILOG)
    }


def test_the_readme_lists_every_exit_code_of_run_help() -> None:
    assert set(_readme_codes()) == _help_codes() == {0, 1, 2, 3, 130, 143}


def test_the_exit_codes_are_the_ones_the_code_returns() -> None:
    returned = {0, 1, UsageError.exit_code, TargetError.exit_code, *_STOP_EXIT.values()}
    returned.add(128 + signal.SIGTERM)  # the command line's answer to a SIGTERM
    assert returned == set(_readme_codes())


def test_the_tox_environments_in_the_readme_exist() -> None:
    tox = (ROOT / "tox.ini").read_text()
    named = set(re.findall(r"^tox -e (\w+)", (ROOT / "README.md").read_text(), re.MULTILINE))
    assert named == set(re.findall(r"^\[testenv:(\w+)\]", tox, re.MULTILINE))


def test_the_readme_counts_are_the_catalogues() -> None:
    # Hand-written in the prose; a new rule or fault must update them.
    from conformance.checks import REGISTRY
    from conformance.emulator.fault_catalogue import CLIENT_FAULTS, FAULTS

    text = (ROOT / "README.md").read_text()
    server, client = re.search(
        r"(\d+) switchable fault profiles that each break named rules, and (\d+) client-facing",
        text.replace("\n  ", " "),
    ).groups()  # type: ignore[union-attr]
    assert (int(server), int(client)) == (len(FAULTS), len(CLIENT_FAULTS))
    rules = re.search(r"\((\d+) rules, \d+ flow runs\)", text)
    assert rules is not None and int(rules[1]) == len(REGISTRY.rules())
