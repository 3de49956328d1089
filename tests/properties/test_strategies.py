"""Generated job IDs: varied, and never one of the protected jobs; none deletes collateral."""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conformance.emulator import EmulatorConfig, EnterpriseManagerEmulator, ManualClock
from conformance.emulator.inventory import AGENT, JOB, NAS
from conformance.exchange import RecordedRequest
from conformance.properties.strategies import job_ids, untargeted_job_ids

BASE = "https://em.test:9398/api"


@given(st.lists(job_ids(), min_size=50, max_size=50))
@settings(max_examples=5, database=None)
def test_job_ids_are_varied(ids: list[str]) -> None:
    assert len(set(ids)) > 10


@given(untargeted_job_ids(["ABC", "def"]))
def test_untargeted_ids_avoid_the_protected(candidate: str) -> None:
    assert candidate.strip().lower() not in {"abc", "def"}


def _emulator() -> tuple[EnterpriseManagerEmulator, ManualClock, str]:
    clock = ManualClock()
    emulator = EnterpriseManagerEmulator(EmulatorConfig(clock=clock))
    response = emulator.handle(
        RecordedRequest.build(
            "POST",
            f"{BASE}/sessionMngr/?v=latest",
            {"Authorization": "Basic YWRtaW5pc3RyYXRvcjpWZWVhbTEyMyE="},
        )
    )
    return emulator, clock, response.header("X-RestSvcSessionId") or ""


def every_job_id(emulator: EnterpriseManagerEmulator) -> set[str]:
    inventory = emulator.state.inventory
    return {job.job_id for kind in (JOB, NAS, AGENT) for job in inventory.jobs(kind)}


EMULATOR, CLOCK, TOKEN = _emulator()
SEEDED = every_job_id(EMULATOR)


@given(untargeted_job_ids(SEEDED))
@settings(max_examples=150, database=None, suppress_health_check=[HealthCheck.too_slow])
def test_an_untargeted_delete_deletes_nothing_and_never_answers_5xx(job_id: str) -> None:
    before = every_job_id(EMULATOR)
    request = RecordedRequest.build(
        "DELETE", f"{BASE}/jobs/{quote(job_id, safe='')}", {"X-RestSvcSessionId": TOKEN}
    )
    response = EMULATOR.handle(request)
    CLOCK.advance(60)
    assert response.status < 500
    assert response.status != 202
    assert every_job_id(EMULATOR) == before == SEEDED
