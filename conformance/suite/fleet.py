"""Fleets: one run per Enterprise Manager, several at once in a bounded pool of threads.

A fleet is the servers named by repeated `--target` options or by a TOML list of
`[[targets]]` tables (`url`, `username`, `password_env` naming the variable that holds
that server's password, and any other setting for that server alone).  Each server gets
its own run, its own seed and its own output files: the names given are suffixed with the
server's host and port (`junit.xml` -> `junit-em1.corp_9398.xml`; an underscore, since a
colon is refused in GitHub artifact names and Windows file names).  The fleet exits with
the worst exit code of its servers.  The pool is threads: a run mostly waits on the
network and on task polling, so threads overlap those waits without a process each.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from conformance.errors import Error, UsageError
from conformance.exchange import Exchange
from conformance.options import option
from conformance.result import JudgedResult, StopReason
from conformance.suite.runner import run_suite
from conformance.suite.settings import (
    SETTABLE,
    Settings,
    _read_toml,
    load_settings,
    setting_name,
)

__all__ = [
    "DEFAULT_PARALLEL",
    "FleetMember",
    "FleetResult",
    "FleetRun",
    "fleet_members",
    "member_label",
    "run_fleet",
    "suffixed",
    "targets_from_config",
]

DEFAULT_PARALLEL: int = option("parallel").default
_INTERRUPTED = 130
# Keys of a `[[targets]]` table beyond the settings every run has.
_ENTRY_ONLY = {"url", "password_env"}


@dataclass(frozen=True)
class FleetMember:
    """One server of a fleet: `label` (host_port) names it in outputs and the summary."""

    label: str
    settings: Settings


@dataclass
class FleetRun:
    """How one server's run went: its result, or why it could not run."""

    member: FleetMember
    result: JudgedResult | None = None
    error: str = ""
    error_code: int = 0

    @property
    def exit_code(self) -> int:
        return self.result.exit_code if self.result is not None else self.error_code


@dataclass
class FleetResult:
    """Every server's run, in the order the servers were given."""

    runs: list[FleetRun]
    duration: float = 0.0
    interrupted: bool = False

    @property
    def exit_code(self) -> int:
        """The worst exit code of the fleet (0 < 1 non-conformant < 3 < 130 interrupted)."""
        worst = max((run.exit_code for run in self.runs), default=0)
        return max(worst, _INTERRUPTED) if self.interrupted else worst

    @property
    def failed(self) -> list[FleetRun]:
        return [run for run in self.runs if run.exit_code]


def member_label(url: str) -> str:
    """`host_port` of a target URL (the scheme's default port when none is given)."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.hostname}_{port}"


def suffixed(path: Path | None, label: str) -> Path | None:
    """`path` with the member's label before its extension: report.json -> report-LABEL.json."""
    if path is None:
        return None
    return path.with_name(f"{path.stem}-{label}{path.suffix}")


def targets_from_config(path: Path | None) -> list[dict[str, Any]]:
    """The `[[targets]]` tables of a TOML config file (none without a file)."""
    if path is None:
        return []
    entries = _read_toml(path).get("targets", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise UsageError(f"{path}: `targets` must be a list of tables ([[targets]] url = ...).")
    return [dict(entry) for entry in entries]


def _password(entry: Mapping[str, Any], env: Mapping[str, str], url: str) -> str:
    variable = str(entry.get("password_env") or "EM_PASSWORD")
    password = env.get(variable)
    if not password:
        raise UsageError(
            f"Set {variable}: it holds the password for {url} (a fleet never prompts;"
            " give each server its own variable with password_env in [[targets]])."
        )
    return password


def _entry_options(entry: Mapping[str, Any], where: str) -> dict[str, Any]:
    options = {}
    for key, value in entry.items():
        name = setting_name(key)
        if key in _ENTRY_ONLY:
            continue
        if name is None or name == "target":
            keys = {option(field).name for field in SETTABLE}
            choices = ", ".join(sorted({"url", "password_env", *keys} - {"target"}))
            raise UsageError(f"Unknown key {key!r} in {where}; valid keys: {choices}.")
        options[name] = value
    return options


def _member(
    entry: Mapping[str, Any],
    options: Mapping[str, Any],
    env: Mapping[str, str],
    config: Path | None,
) -> FleetMember:
    url = str(entry.get("url") or "")
    if not url:
        raise UsageError("Every [[targets]] table needs a url (https://em:9398/api).")
    merged = {**options, **_entry_options(entry, f"the [[targets]] table of {url}"), "target": url}
    settings = load_settings(merged, {**env, "EM_PASSWORD": _password(entry, env, url)}, config)
    label = member_label(settings.target or url)
    return FleetMember(
        label,
        replace(
            settings,
            report=suffixed(settings.report, label),
            junitxml=suffixed(settings.junitxml, label),
            cassette=suffixed(settings.cassette, label),
        ),
    )


def fleet_members(
    entries: Sequence[Mapping[str, Any]],
    options: Mapping[str, Any],
    env: Mapping[str, str],
    config: Path | None = None,
) -> list[FleetMember]:
    """Each server's settings: its table over the shared options, outputs suffixed."""
    members = [_member(entry, options, env, config) for entry in entries]
    labels = [member.label for member in members]
    twice = sorted({label for label in labels if labels.count(label) > 1})
    if twice:
        raise UsageError(f"{', '.join(twice)} listed twice; give each server once.")
    return members


Progress = Callable[[str, str], None]
Watch = Callable[[str, Exchange], None]


def _stopper(label: str, progress: Progress | None, stop: threading.Event) -> Callable[[str], None]:
    """The progress of one member; once the fleet is stopped, the next flow boundary
    interrupts that run the way Ctrl-C does (logouts, then judging what was recorded)."""

    def report(line: str) -> None:
        if stop.is_set() and line.startswith("["):
            raise KeyboardInterrupt
        if progress is not None:
            progress(label, line)

    return report


def _run_one(
    member: FleetMember, progress: Progress | None, watch: Watch | None, stop: threading.Event
) -> FleetRun:
    if stop.is_set():
        return FleetRun(member, error="not run: the fleet was stopped", error_code=_INTERRUPTED)
    seen = (lambda exchange: watch(member.label, exchange)) if watch is not None else None
    try:
        result = run_suite(member.settings, _stopper(member.label, progress, stop), seen)
    except Error as exc:
        return FleetRun(member, error=str(exc), error_code=exc.exit_code)
    except KeyboardInterrupt:
        return FleetRun(member, error=StopReason.INTERRUPTED, error_code=_INTERRUPTED)
    except Exception as exc:  # one server's bug must not take the fleet's report with it
        return FleetRun(member, error=f"internal error ({type(exc).__name__}: {exc})", error_code=2)
    return FleetRun(member, result)


def run_fleet(
    members: Sequence[FleetMember],
    parallel: int = DEFAULT_PARALLEL,
    progress: Progress | None = None,
    watch: Watch | None = None,
    stop: threading.Event | None = None,
) -> FleetResult:
    """Run every member, at most `parallel` at a time; setting `stop` ends the runs at
    their next flow boundary and starts no more."""
    stop = stop or threading.Event()
    started = time.monotonic()
    workers = max(1, min(parallel, len(members)))
    interrupted = False
    with ThreadPoolExecutor(workers, thread_name_prefix="em-fleet") as pool:
        futures = [pool.submit(_run_one, m, progress, watch, stop) for m in members]
        try:
            runs = [future.result() for future in futures]
        except KeyboardInterrupt:  # Ctrl-C or SIGTERM in the main thread: stop them all
            stop.set()
            interrupted = True
            runs = [future.result() for future in futures]
    return FleetResult(runs, time.monotonic() - started, interrupted)
