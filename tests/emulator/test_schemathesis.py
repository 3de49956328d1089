"""schemathesis 4 against the real server, with the project's OpenAPI and its default checks.

The schema is loaded at import (schemathesis' lazy `from_fixture` loader does not work
with pytest 9) and the server's base URL is given per call. Authentication goes through
an auth provider, so schemathesis knows which header carries it (and leaves it out on
purpose for its auth checks); cases are generated before the server exists, so the
provider writes a placeholder that each test swaps for a fresh token.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings

from conformance.emulator.server import EmulatorServer
from conformance.spec import OPENAPI_FILE, specs_dir
from tests.emulator.conftest import basic

pytestmark = pytest.mark.em_slow

TOKEN_HEADER = "X-RestSvcSessionId"
PLACEHOLDER = "token-of-the-test"

schema = schemathesis.openapi.from_path(specs_dir() / OPENAPI_FILE)
schema.config.generation.update(max_examples=15)
STATUSES: Counter[tuple[str, int]] = Counter()


@schema.auth(refresh_interval=None)
class SessionAuth:
    """Basic credentials on the logon operation, the session token everywhere else."""

    def get(self, case: schemathesis.Case, context: Any) -> str:
        return PLACEHOLDER

    def set(self, case: schemathesis.Case, data: str, context: Any) -> None:
        if case.operation.definition.raw.get("operationId") == "CreateLogonSession":
            case.headers = {**(case.headers or {}), "Authorization": basic("administrator")}
        else:
            case.headers = {**(case.headers or {}), TOKEN_HEADER: data}


@pytest.fixture
def token(em_emulator: EmulatorServer) -> Iterator[str]:
    response = requests.post(f"{em_emulator.base_url}/sessionMngr/?v=latest",
                             headers={"Authorization": basic("administrator")}, timeout=10)  # fmt: skip
    assert response.status_code == 201
    yield response.headers[TOKEN_HEADER]
    for entry in em_emulator.emulator.journal.entries():
        STATUSES[(entry.exchange.request.method, entry.exchange.response.status)] += 1


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_openapi_conformance(
    case: schemathesis.Case, em_emulator: EmulatorServer, token: str
) -> None:
    if (case.headers or {}).get(TOKEN_HEADER) == PLACEHOLDER:
        case.headers = {**(case.headers or {}), TOKEN_HEADER: token}
    response = case.call_and_validate(base_url=em_emulator.base_url, timeout=10)
    assert response.status_code < 500


def test_schemathesis_reached_the_real_answers() -> None:
    """Guard against a vacuous run: authenticated calls succeeded, not only 401s."""
    if not STATUSES:
        pytest.skip("runs after test_openapi_conformance (not selected)")
    for outcome in [
        ("GET", 200),
        ("POST", 201),
        ("GET", 404),
        ("DELETE", 404),
        ("POST", 400),
        ("GET", 401),
    ]:
        assert STATUSES[outcome] > 0, (outcome, STATUSES)


class _Workflow(schema.as_state_machine()):  # type: ignore[misc]
    """Sequences that follow the OpenAPI links: logon -> logon session, delete -> task."""

    base_url = ""
    token = ""

    def before_call(self, case: schemathesis.Case) -> None:
        # JSON, so the links' `$response.body#/SessionId` pointers can be followed.
        headers = {**(case.headers or {}), "Accept": "application/json"}
        if headers.get(TOKEN_HEADER) == PLACEHOLDER:
            headers[TOKEN_HEADER] = self.token
        case.headers = headers

    def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
        return {"base_url": self.base_url, "timeout": 10}


def test_stateful_links(em_emulator: EmulatorServer, token: str) -> None:
    _Workflow.base_url, _Workflow.token = em_emulator.base_url, token
    _Workflow.run(settings=settings(max_examples=20, stateful_step_count=6, deadline=None,
                                    suppress_health_check=list(HealthCheck)))  # fmt: skip
    seen = Counter(
        (e.exchange.request.method, e.exchange.response.status)
        for e in em_emulator.emulator.journal.entries()
    )
    # The links were followed: sessions fetched and logged out by the ID from the logon body.
    assert seen[("POST", 201)] > 1 and seen[("GET", 200)] > 0 and seen[("DELETE", 204)] > 0
    assert not any(status >= 500 for _, status in seen)
