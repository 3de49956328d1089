"""A suite run against an emulator server started by the test, as against a real one."""

from __future__ import annotations

import os

from conformance.emulator.server import EmulatorServer
from conformance.suite import JudgedResult, load_settings, run_suite


def run_remote(server: EmulatorServer, *jobs: str, level: str | None = None) -> JudgedResult:
    """A run with --target at `server` (EM_PASSWORD, EM_SEED from the environment);
    destructive when `jobs` are given, each one as a --disposable-job."""
    options = {
        "target": server.base_url,
        "username": "administrator",
        "destructive": True if jobs else None,
        "disposable_job": list(jobs),
        "level": level,
    }
    return run_suite(load_settings(options, dict(os.environ)))
