"""The `em_cassette` fixture: replay a cassette into `requests` for the length of a test.

    def test_my_client_deletes_a_job(em_cassette):
        replay = em_cassette("docs-delete-job.yaml")   # a shipped cassette, or any path
        my_client.delete_job("5b89dae5-...")
        assert not replay.replayer.unused               # every recorded step was asked for

A bare file name that is not a path to an existing file is looked up among the
cassettes shipped with em-conformance.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conformance.cassette.replay import CassetteReplay

__all__ = ["em_cassette", "resolve_cassette"]


def resolve_cassette(source: str | Path) -> Path:
    """`source` if it names a file, else the shipped cassette of that name."""
    from conformance.errors import UsageError
    from conformance.spec import cassettes_dir

    path = Path(source)
    if path.is_file():
        return path
    shipped = cassettes_dir() / path.name
    if shipped.is_file():
        return shipped
    choices = ", ".join(sorted(item.name for item in cassettes_dir().glob("*.yaml")))
    raise UsageError(
        f"Expected a cassette file or a shipped cassette name; received {source!r}. Shipped: {choices}."
    )


@pytest.fixture
def em_cassette() -> Iterator[Callable[[str | Path], CassetteReplay]]:
    """Start a `responses` replay of a cassette; every replay started stops after the test."""
    from conformance.cassette.replay import replay_cassette

    started: list[CassetteReplay] = []

    def start(source: str | Path) -> CassetteReplay:
        replay = replay_cassette(resolve_cassette(source))
        replay.start()
        started.append(replay)
        return replay

    yield start
    for replay in reversed(started):
        replay.stop()
