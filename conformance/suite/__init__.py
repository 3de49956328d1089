"""The suite: settings, the target (remote or the embedded emulator) and the runner;
`run_suite` returns the `JudgedResult` every command fills."""

from __future__ import annotations

from conformance.result import FlowRecord, JudgedResult
from conformance.suite.runner import run_suite
from conformance.suite.settings import FORMATS, Settings, load_settings

__all__ = ["FORMATS", "FlowRecord", "JudgedResult", "Settings", "load_settings", "run_suite"]
