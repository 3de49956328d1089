"""Job listings come from cached bytes until the inventory changes, then afresh."""

from __future__ import annotations

import json

import pytest

from conformance.emulator import (
    EmulatorConfig,
    EnterpriseManagerEmulator,
    ManualClock,
    render,
    render_json,
)
from conformance.emulator.bodies import Body, BodyCache, Template
from conformance.emulator.inventory import JOB
from conformance.exchange import RecordedRequest, RecordedResponse
from conformance.protocol import JSON, XML
from tests.emulator.conftest import MOCK_BASE, Client, CoreDriver


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of every job listing rendered (either format), in order."""
    seen: list[str] = []
    for module in (render, render_json):
        for name in ("job_refs", "job_entities"):
            original = getattr(module, name)

            def counted(*args: object, _name: str = name, _original: object = original,
                        **kwargs: object) -> object:  # fmt: skip
                seen.append(_name)
                return _original(*args, **kwargs)  # type: ignore[operator]

            monkeypatch.setattr(module, name, counted)
    return seen


def _fresh(emulator: EnterpriseManagerEmulator, media: str, entity: bool, base: str = MOCK_BASE) -> bytes:  # fmt: skip
    """The listing rendered now, bypassing the cache."""
    state = emulator.state
    jobs, server = state.inventory.jobs(JOB), state.inventory.server
    if media == JSON:
        build = render_json.job_entities if entity else render_json.job_refs
        return json.dumps(
            build(base, jobs, server), ensure_ascii=False, separators=(",", ":")
        ).encode()
    from conformance.representations import dump_xml

    return dump_xml((render.job_entities if entity else render.job_refs)(base, jobs, server))


@pytest.mark.parametrize("media", [XML, JSON])
@pytest.mark.parametrize("entity", [False, True], ids=["refs", "entity"])
def test_a_listing_is_rendered_once_while_nothing_changes(
    core: CoreDriver, emulator: EnterpriseManagerEmulator, renders: list[str], media: str, entity: bool
) -> None:  # fmt: skip
    client = Client(core, media=media)
    path = "/jobs?format=Entity" if entity else "/jobs"
    bodies = [client.get(path).body for _ in range(3)]
    assert len(renders) == 1
    # The other format and the other shape are separate renderings.
    Client(core, media=JSON if media == XML else XML).get(path)
    client.get("/jobs" if entity else "/jobs?format=Entity")
    assert len(renders) == 3
    assert bodies == [_fresh(emulator, media, entity)] * 3


def _settle(core: CoreDriver, clock: ManualClock, client: Client, response: RecordedResponse) -> None:  # fmt: skip
    assert response.status == 202, response.body
    clock.advance(core.emulator.config.task_duration + 1)
    client.get("/")


@pytest.mark.parametrize("media", [XML, JSON])
def test_every_change_to_the_jobs_shows_in_the_next_listing(
    core: CoreDriver, clock: ManualClock, emulator: EnterpriseManagerEmulator, media: str
) -> None:
    client = Client(core, media=media)
    first = emulator.state.inventory.jobs(JOB)[0]
    before = client.get("/jobs?format=Entity").body
    _settle(core, clock, client, client.post(f"/jobs/{first.job_id}?action=toggleScheduleEnabled"))
    toggled = client.get("/jobs?format=Entity").body
    assert toggled != before and toggled == _fresh(emulator, media, entity=True)
    clone = ("<JobCloneSpec xmlns='http://www.veeam.com/ent/v1.0'><BackupJobCloneInfo>"
             "<JobName>Cloned</JobName><FolderName>f</FolderName>"
             "<RepositoryUid>urn:veeam:Repository:1</RepositoryUid></BackupJobCloneInfo></JobCloneSpec>")  # fmt: skip
    cloned = client.post(f"/jobs/{first.job_id}?action=clone", clone, **{"Content-Type": XML})
    _settle(core, clock, client, cloned)
    listed = client.get("/jobs").body
    assert b"Cloned" in listed and listed == _fresh(emulator, media, entity=False)
    _settle(core, clock, client, client.delete(f"/jobs/{first.job_id}"))
    after = client.get("/jobs").body
    assert first.job_id.encode() not in after and after == _fresh(emulator, media, entity=False)


def test_each_base_url_gets_its_own_hrefs(core: CoreDriver, emulator: EnterpriseManagerEmulator) -> None:  # fmt: skip
    client = Client(core)
    client.get("/jobs")
    other = "http://127.0.0.1:9399/api"
    response = client.send("GET", f"{other}/jobs")
    assert response.body == _fresh(emulator, XML, entity=False, base=other)


def test_reset_never_serves_the_old_inventory(
    core: CoreDriver, clock: ManualClock, emulator: EnterpriseManagerEmulator
) -> None:
    client = Client(core)
    first = emulator.state.inventory.jobs(JOB)[0]
    _settle(core, clock, client, client.delete(f"/jobs/{first.job_id}"))
    assert first.job_id.encode() not in client.get("/jobs").body
    emulator.reset()
    assert first.job_id.encode() in Client(core).get("/jobs").body


def _sized(key: str, size: int, version: int = 0) -> Template:
    return Template(key, Body("Error", lambda: None, lambda: "x" * size), version=version)  # type: ignore[arg-type, return-value]


def test_the_body_cache_keeps_within_its_entries_and_bytes() -> None:
    cache, made = BodyCache(limit=3, byte_limit=1000), []

    def serialise(body: Body) -> bytes:
        made.append(body)
        return str(body.json()).encode()

    assert cache.fill(_sized("a", 400), False, serialise) == b"x" * 400
    cache.fill(_sized("b", 400), False, serialise)
    assert cache.holds(_sized("a", 400), False) and cache.holds(_sized("b", 400), False)
    cache.fill(_sized("c", 400), False, serialise)  # 1,200 bytes: the oldest goes
    assert not cache.holds(_sized("a", 400), False) and cache.holds(_sized("c", 400), False)
    cache.fill(_sized("huge", 1001), False, serialise)  # larger than the budget: never held
    assert not cache.holds(_sized("huge", 1001), False)
    assert cache.holds(_sized("c", 400), False)
    # A new version replaces the old one under the same key; JSON is held apart from XML.
    assert cache.holds(_sized("c", 400), False) and not cache.holds(_sized("c", 400, 1), False)
    assert not cache.holds(_sized("c", 400), True)
    cache.fill(_sized("c", 300, 1), False, serialise)
    assert cache.holds(_sized("c", 300, 1), False) and not cache.holds(_sized("c", 400, 0), False)
    before = len(made)
    cache.fill(_sized("c", 300, 1), False, serialise)
    assert len(made) == before


def test_a_large_listing_is_deferred_only_until_it_is_cached() -> None:
    clock = ManualClock()
    core = CoreDriver(
        MOCK_BASE, clock, EnterpriseManagerEmulator(EmulatorConfig(clock=clock, jobs=300))
    )
    token = Client(core).token
    listing = RecordedRequest.build("GET", f"{MOCK_BASE}/jobs", {"X-RestSvcSessionId": token})
    first = core.emulator.begin(listing)
    assert first.deferred
    body = first.finish().body
    second = core.emulator.begin(listing)
    assert not second.deferred and second.finish().body == body
    assert body.count(b"<Ref ") == 300
