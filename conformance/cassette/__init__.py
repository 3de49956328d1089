"""Cassettes: recorded exchanges as VCR-style YAML, read, written (redacted), normalised,
replayed and compared.  Making a recording or judging one is the suite's
(`conformance.suite.recording`, `conformance.suite.offline`)."""

from conformance.cassette.drift import DriftReport, compare_recordings
from conformance.cassette.format import FORMAT_VERSION, Cassette, parse_cassette, render_cassette
from conformance.cassette.matching import RequestKey
from conformance.cassette.normalization import normalize
from conformance.cassette.replay import (
    CassetteReplay,
    NoMatchingInteraction,
    Replayer,
    replay_cassette,
)
from conformance.cassette.storage import load_cassette, read_cassette, write_cassette
from conformance.protocol import negotiated_format
from conformance.redaction import Redactor, redact

__all__ = [
    "FORMAT_VERSION",
    "Cassette",
    "CassetteReplay",
    "DriftReport",
    "NoMatchingInteraction",
    "Redactor",
    "Replayer",
    "RequestKey",
    "compare_recordings",
    "load_cassette",
    "negotiated_format",
    "normalize",
    "parse_cassette",
    "read_cassette",
    "redact",
    "render_cassette",
    "replay_cassette",
    "write_cassette",
]
