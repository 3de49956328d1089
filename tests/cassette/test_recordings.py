"""The suite's flows recorded against the emulator: judged offline, replayed, compared.

Each recording is one embedded run of every flow, saved as a cassette and read back:
offline verdicts must be the live ones, for the faithful emulator and for every fault
profile; a test client replays the recorded delete; and the camelCase regression shows
up in `diff` as every renamed key.  Every run has the same seed: the embedded emulator
runs on a virtual clock, so two runs with one seed record the same exchanges.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conformance.cassette import read_cassette, replay_cassette, write_cassette
from conformance.cassette.drift import compare_recordings, pairs
from conformance.checks import Outcome, Verdict, judge
from conformance.emulator import FAULTS
from conformance.exchange import Exchange
from conformance.representations import parse_json
from conformance.result import JudgedResult
from conformance.suite.offline import check_cassette
from tests._runs import SEED, embedded_run, other_seed_run
from tests.suite.clients.replay_client import ClientNoticed, delete_job

PASSWORD = "Veeam123!"  # the emulator's default administrator password


def live(formats: tuple[str, ...], faults: tuple[str, ...] = ()) -> JudgedResult:
    return embedded_run(formats, faults)


def live_again(seed: int) -> JudgedResult:
    """Another faithful run in both formats (the same seed: another run all the same)."""
    return embedded_run(attempt=1) if seed == SEED else other_seed_run(seed)


def by_rule(verdicts: list[Verdict] | tuple[Verdict, ...]) -> dict[str, set[Outcome]]:
    found: dict[str, set[Outcome]] = {}
    for verdict in verdicts:
        found.setdefault(verdict.rule.id, set()).add(verdict.outcome)
    return found


def saved(tmp_path: Path, name: str, exchanges: list[Exchange], normalize: bool = False) -> Path:
    path = tmp_path / name
    write_cassette(path, exchanges, normalize=normalize)
    return path


@pytest.mark.parametrize("fmt", ["xml", "json"])
@pytest.mark.parametrize("normalize", [False, True], ids=["as-recorded", "normalized"])
def test_flows_recorded_against_the_emulator_pass_offline(
    tmp_path: Path, raw_secrets: set[str], fmt: str, normalize: bool
) -> None:
    raw_secrets.add(PASSWORD)
    result = live((fmt,))
    assert result.conformant and not result.stopped
    offline = check_cassette(saved(tmp_path, f"{fmt}.yaml", result.exchanges, normalize))
    assert not [v.message() for v in offline.verdicts if v.failed]
    assert by_rule(offline.verdicts) == by_rule(result.verdicts)


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_each_fault_fails_the_same_rules_offline_as_live(
    tmp_path: Path, raw_secrets: set[str], fault: str, em_fault_run: Callable[[str], JudgedResult]
) -> None:
    raw_secrets.add(PASSWORD)
    result = em_fault_run(fault)  # the very run tests/suite/test_faults.py judges live
    recorded = read_cassette(saved(tmp_path, f"{fault}.yaml", result.exchanges))
    live_failures = {v.rule.id for v in result.verdicts if v.failed}
    assert live_failures, f"the fault {fault} went unnoticed live"
    assert {v.rule.id for v in judge(recorded) if v.failed} == live_failures


def _accepted_deletes(exchanges: list[Exchange]) -> list[Exchange]:
    return [
        e for e in exchanges
        if e.request.method == "DELETE" and "/api/jobs/" in e.request.url and e.response.status in (200, 202)
    ]  # fmt: skip


def _deleted_job(exchanges: list[Exchange]) -> str:
    """A job the recorded flows deleted; where a fault stopped them before any delete,
    the faithful run's (the client then stops before it asks anyway)."""
    deletes = _accepted_deletes(exchanges) or _accepted_deletes(live(("json",)).exchanges)
    return deletes[0].request.path.rsplit("/", 1)[-1]


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_a_test_client_replays_the_recorded_delete(tmp_path: Path, fmt: str) -> None:
    path = saved(tmp_path, f"{fmt}.yaml", live((fmt,)).exchanges)
    exchanges = read_cassette(path)
    with replay_cassette(path) as replay:
        state = delete_job("https://replayed.example:9398/api", _deleted_job(exchanges), fmt)
    assert state == "Finished"
    assert [e.request.method for e in replay.journal][:2] == ["POST", "DELETE"]
    assert all(e.request.url.startswith("https://replayed.example:9398/") for e in replay.journal)


@pytest.mark.parametrize(
    ("fault", "noticed"),
    [
        ("camelcase-json", "no Href"),
        ("json-bom", "not JSON"),
        ("delete-returns-200", "not 202"),
        ("missing-task-href", "no Href"),
    ],
)
def test_a_replayed_fault_is_noticed_by_the_test_client(
    tmp_path: Path, fault: str, noticed: str
) -> None:
    path = saved(tmp_path, f"{fault}.yaml", live(("json",), (fault,)).exchanges)
    job = _deleted_job(read_cassette(path))
    with replay_cassette(path), pytest.raises(ClientNoticed, match=noticed):
        delete_job("https://replayed.example:9398/api", job, "json")


def _renamed_keys(old: Any, new: Any, path: str = "$", new_path: str = "$") -> set[tuple[str, str]]:
    """(old path, new path) of every object key whose spelling changed only in case."""
    found: set[tuple[str, str]] = set()
    if isinstance(old, dict) and isinstance(new, dict):
        spelled = {key.casefold(): key for key in new}
        for key, value in old.items():
            twin = spelled.get(key.casefold())
            if twin is None:
                continue
            if twin != key:
                found.add((f"{path}.{key}", f"{new_path}.{twin}"))
            found |= _renamed_keys(value, new[twin], f"{path}.{key}", f"{new_path}.{twin}")
    elif isinstance(old, list) and isinstance(new, list):
        for old_item, new_item in zip(old, new, strict=False):
            found |= _renamed_keys(old_item, new_item, f"{path}[]", f"{new_path}[]")
    return found


def _json(exchange: Exchange) -> Any:
    return parse_json(exchange.response.body) if "json" in exchange.response.media_type else None


def test_diff_shows_every_key_the_camelcase_regression_renamed(tmp_path: Path) -> None:
    old = read_cassette(saved(tmp_path, "old.yaml", live(("json",)).exchanges, normalize=True))
    new = read_cassette(
        saved(tmp_path, "new.yaml", live(("json",), ("camelcase-json",)).exchanges, normalize=True)
    )
    expected: set[tuple[int, str, str]] = set()
    for _, old_index, new_index in pairs(old, new):
        if old_index is not None and new_index is not None and _json(old[old_index]) is not None:
            renamed = _renamed_keys(_json(old[old_index]), _json(new[new_index]))
            expected |= {(old_index, old_path, new_path) for old_path, new_path in renamed}
    report = compare_recordings(old, new)
    shown = {(d.old_index, d.old, d.new) for d in report.drifts if d.kind == "key renamed"}
    assert len(expected) > 100
    assert shown == expected
    assert {"$.Links[].Href", "$.SessionId", "$.UserName"} <= {old_path for _, old_path, _ in shown}


def test_two_faithful_runs_show_no_drift(tmp_path: Path) -> None:
    first = read_cassette(
        saved(tmp_path, "a.yaml", live(("xml", "json")).exchanges, normalize=True)
    )
    second = read_cassette(saved(tmp_path, "b.yaml", live_again(SEED).exchanges, normalize=True))
    report = compare_recordings(first, second)
    assert not report.drifted, report.drifts[:5]


def _as_sent_and_received(result: JudgedResult) -> list[tuple[object, ...]]:
    """Each exchange as recorded (the client has replaced session tokens by placeholders),
    but for the emulator's port (a free one each run), the `Date` header (wall time) and
    the time a response took."""
    origin = result.subject.name.removesuffix("/api")

    def local(text: str) -> str:
        return text.replace(origin, "http://emulator")

    return [
        (
            e.label, e.tags, e.request.method, local(e.request.url),
            tuple((name, local(value)) for name, value in e.request.headers),
            e.request.body.replace(origin.encode(), b"http://emulator"),
            e.response.status,
            tuple((n, local(v)) for n, v in e.response.headers if n.lower() != "date"),
            e.response.body.replace(origin.encode(), b"http://emulator"),
        )
        for e in result.exchanges
    ]  # fmt: skip


def test_two_embedded_runs_with_one_seed_record_the_same_exchanges() -> None:
    first, second = live(("xml", "json")), live_again(SEED)
    first_exchanges, second_exchanges = _as_sent_and_received(first), _as_sent_and_received(second)
    assert len(first_exchanges) == len(second_exchanges)
    matched = zip(first_exchanges, second_exchanges, strict=True)
    differing = [i for i, (one, other) in enumerate(matched) if one != other]
    assert differing == [], first_exchanges[differing[0]] if differing else None


def test_another_seed_makes_up_other_ids_and_judges_alike() -> None:
    first, other = live(("xml", "json")), live_again(SEED + 1)
    urls = {e.request.path for e in first.exchanges}
    assert urls != {e.request.path for e in other.exchanges}
    assert by_rule(first.verdicts) == by_rule(other.verdicts)
