"""A real emulator server and a logon token for the property-based tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from conformance.emulator import EmulatorConfig
from conformance.emulator.server import EmulatorServer

CREDENTIALS = ("administrator", "Veeam123!")


def logon(base_url: str) -> str:
    response = requests.post(f"{base_url}/sessionMngr/?v=latest", auth=CREDENTIALS, timeout=10)
    response.raise_for_status()
    return response.headers["X-RestSvcSessionId"]


def job_ids(base_url: str, token: str) -> list[str]:
    headers = {"X-RestSvcSessionId": token, "Accept": "application/json"}
    refs = requests.get(f"{base_url}/jobs", headers=headers, timeout=10).json()["Refs"]
    return [ref["UID"].rsplit(":", 1)[-1] for ref in refs]


@pytest.fixture
def em_server(request: pytest.FixtureRequest) -> Iterator[EmulatorServer]:
    faults = getattr(request, "param", ())
    with EmulatorServer(EmulatorConfig(faults=faults, task_duration=0.05)) as server:
        yield server
