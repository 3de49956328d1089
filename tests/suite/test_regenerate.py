"""The shipped cassettes are what `python -m conformance.suite.regenerate` writes today.

They are reference material (client authors replay them, `diff` compares against them),
so a change to the emulator or the flows that alters them must come with regenerated
files. The documented and client families are compared byte for byte; the emulator's
recordings, whose property-based requests depend on the Hypothesis release installed,
must show no drift in the product's own comparison and the same steps in every other flow.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from conformance.cassette import read_cassette
from conformance.cassette.drift import compare_recordings
from conformance.exchange import Exchange
from conformance.spec import cassettes_dir
from conformance.suite.regenerate import main

# Flows whose requests Hypothesis draws: their count may differ between its releases.
_DRAWN = {"flow:property-based", "flow:id-probes"}
_HINT = "run `python -m conformance.suite.regenerate` and commit the cassettes"


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("regenerated")
    assert main(["--out", str(out)]) == 0
    return out


def _steps(exchanges: list[Exchange]) -> Counter[tuple[str, str]]:
    flows = (next((t for t in e.tags if t.startswith("flow:")), "") for e in exchanges)
    return Counter(
        (flow, e.label) for flow, e in zip(flows, exchanges, strict=True) if flow not in _DRAWN
    )


@pytest.mark.parametrize("family", ["docs-", "client-"])
def test_documented_and_client_cassettes_are_current(regenerated: Path, family: str) -> None:
    written = sorted(regenerated.glob(f"{family}*.yaml"))
    assert written
    for path in written:
        assert path.read_bytes() == (cassettes_dir() / path.name).read_bytes(), _HINT


def test_emulator_recordings_are_current(regenerated: Path) -> None:
    written = sorted(regenerated.glob("emulator-*.yaml"))
    assert written
    for path in written:
        shipped = read_cassette(cassettes_dir() / path.name)
        fresh = read_cassette(path)
        report = compare_recordings(shipped, fresh)
        assert not report.drifted, f"{path.name}: {report.findings}; {_HINT}"
        assert _steps(fresh) == _steps(shipped), f"{path.name}: {_HINT}"
