"""Fixtures of the plugin's tests: a clean environment, and a real emulator server to
stand in for a real Enterprise Manager (the "real target").

`pytester` is enabled in each test module (`pytest_plugins`), as in
tests/emulator/test_plugin.py: pytest refuses `pytest_plugins` in a conftest.py below
the rootdir's.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from conformance.emulator import PORTAL_ADMINISTRATOR, EmulatorConfig, User
from conformance.emulator.server import EmulatorServer

USERNAME = "administrator"
# Not the emulator's default password, so a leak cannot hide behind a documented value.
SECRET = "Pl4gin-S3cret!"


@pytest.fixture(autouse=True)
def _no_em_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's EM_* variables must not reach the inner pytest runs."""
    for name in [name for name in os.environ if name.startswith("EM_")]:
        monkeypatch.delenv(name)


@pytest.fixture
def em_real_server() -> Iterator[EmulatorServer]:
    """An emulator on a real socket whose administrator's password is `SECRET`."""
    config = EmulatorConfig(users=(User(USERNAME, SECRET, PORTAL_ADMINISTRATOR),))
    with EmulatorServer(config) as server:
        yield server
