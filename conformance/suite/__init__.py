"""The suite: settings, the target (remote or the embedded emulator) and the runner."""

from __future__ import annotations

from conformance.suite.runner import FlowRecord, RunResult, run_suite
from conformance.suite.settings import FORMATS, Settings, load_settings

__all__ = ["FORMATS", "FlowRecord", "RunResult", "Settings", "load_settings", "run_suite"]
