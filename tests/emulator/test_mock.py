"""The `responses` mock: a context manager and a decorator over the same core."""

from __future__ import annotations

import pytest
import requests

from conformance.emulator import EmulatorConfig, EnterpriseManagerEmulator
from conformance.emulator.mock import mock_enterprise_manager
from conformance.errors import UsageError
from tests.emulator.conftest import basic


def test_context_manager_yields_the_emulator() -> None:
    with mock_enterprise_manager() as em:
        assert isinstance(em, EnterpriseManagerEmulator)
        logon = requests.post("https://em.test:9398/api/sessionMngr/?v=latest",
                              headers={"Authorization": basic("administrator")})  # fmt: skip
        assert logon.status_code == 201
        assert logon.cookies["X-RestSvcSessionId"] == logon.headers["X-RestSvcSessionId"]
        assert requests.get("https://em.test:9398/nothing-here").status_code == 404
        assert len(em.journal) == 2
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get("https://em.test:9398/api/", timeout=1)


def test_other_hosts_are_not_served() -> None:
    with (
        mock_enterprise_manager("https://em.local:9398/api"),
        pytest.raises(requests.exceptions.ConnectionError),
    ):
        requests.get("https://other.local:9398/api/")


MOCK = mock_enterprise_manager(
    "http://legacy-em:9399/api", EmulatorConfig(jobs=2, faults=["json-bom"])
)


@MOCK
def test_decorator_with_config() -> None:
    response = requests.get("http://legacy-em:9399/api/", headers={"Accept": "application/json"})
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert b'"Href":"http://legacy-em:9399/api/logonSessions"' in response.content
    assert len(MOCK.emulator.journal) >= 1


def test_decorated_functions_keep_their_signature() -> None:
    @mock_enterprise_manager()
    def probe(path: str) -> int:
        return requests.get(f"https://em.test:9398/api{path}").status_code

    assert probe("/") == 200
    assert probe.__name__ == "probe"


def test_bad_base_url_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="Expected an http"):
        mock_enterprise_manager("ftp://em")
