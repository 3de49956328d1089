"""Settings of a suite run, from command-line options, `EM_*` variables and a TOML file.

Every option, its default and its spellings are declared once, in `conformance.options`.
Precedence: an option given on the command line, then its `EM_*` variable, then the
TOML file (`--config` or `EM_CONFIG`; top-level keys, or a `[tool.em-conformance]`
table so that a pyproject.toml works), then the default.  The password comes only
from `EM_PASSWORD` or a prompt: never an option, never the file.
"""

from __future__ import annotations

import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from conformance.checks import Level
from conformance.errors import UsageError
from conformance.options import FORMATS, OPTIONS, Option, option

__all__ = ["FORMATS", "SETTABLE", "Settings", "load_settings", "setting_name", "with_seed"]

# The `Settings` fields a user may set, by option (the password is read apart).
_SETTING_OPTIONS: dict[str, Option] = {
    entry.field: entry for entry in OPTIONS if entry.field is not None
}
SETTABLE = tuple(_SETTING_OPTIONS)


def _converted(entry: Option, value: Any) -> Any:
    value = entry.convert(value)
    return Level.parse(str(value)) if entry.name == "level" else value


def _default(name: str, remote: bool = False) -> Any:
    """The table's default of `name`, as a `Settings` value."""
    entry = option(name)
    value = entry.default_for(remote)
    return value if value is None else _converted(entry, value)


_LEVEL: Level = _default("level")


@dataclass(frozen=True)
class Settings:
    """Everything one run needs; `target=None` means: boot the embedded emulator.
    Each default is the option table's (`conformance.options`)."""

    target: str | None = None
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    ca_bundle: str | None = None
    insecure: bool = False
    api_version: str = _default("api_version")
    formats: tuple[str, ...] = _default("formats")
    level: Level = _LEVEL
    max_examples: int = _default("max_examples")
    task_timeout: float = _default("task_timeout")
    poll_fraction: float = _default("poll_fraction")
    timeout: float = _default("timeout")
    connect_timeout: float = _default("connect_timeout")
    max_body: int = _default("max_body")
    junitxml: Path | None = None
    report: Path | None = None
    cassette: Path | None = None
    destructive: bool = False
    disposable_jobs: tuple[str, ...] = _default("disposable_jobs")
    clone_from: str | None = None
    clone_repository: str | None = None
    faults: tuple[str, ...] = _default("faults")
    seed: int | None = None

    @property
    def embedded(self) -> bool:
        return self.target is None

    @property
    def verify(self) -> bool | str:
        return False if self.insecure else (self.ca_bundle or True)


def setting_name(name: str) -> str | None:
    """The `Settings` field a user's spelling names (`max-examples`, `EM_FORMAT`'s
    `format`, the old `formats`), or None when it names no setting."""
    try:
        return option(name).field
    except KeyError:
        return None


def _convert(name: str, value: Any, source: str) -> Any:
    entry = _SETTING_OPTIONS[name]
    try:
        return _converted(entry, value)
    except ValueError as exc:
        raise UsageError(f"Invalid {entry.name} in {source}: {str(exc).rstrip('.')}.") from None


def _from_env(env: Mapping[str, str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, entry in _SETTING_OPTIONS.items():
        for spelling in (entry.name, *entry.aliases):
            variable = "EM_" + spelling.replace("-", "_").upper()
            if variable in env and name not in found:
                found[name] = _convert(name, env[variable], f"${variable}")
    return found


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        document = tomllib.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise UsageError(f"Cannot read config file {path}: {exc.strerror}.") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"Config file {path} is not valid TOML: {exc}.") from None
    return dict(document.get("tool", {}).get("em-conformance", document))


def valid_keys() -> str:
    return ", ".join(entry.name for entry in _SETTING_OPTIONS.values())


def _from_toml(path: Path) -> dict[str, Any]:
    found = {}
    for key, value in _read_toml(path).items():
        if key == "targets":
            continue  # a fleet's servers: conformance.suite.fleet reads them
        if key.lower() == "password":
            raise UsageError(
                f"{path} holds a password. Remove it: the password is read only from"
                " EM_PASSWORD or asked for at a prompt."
            )
        name = setting_name(key)
        if name is None:
            raise UsageError(f"Unknown setting {key!r} in {path}; valid keys: {valid_keys()}.")
        found[name] = _convert(name, value, str(path))
    return found


def load_settings(
    options: Mapping[str, Any], env: Mapping[str, str], config: Path | None = None
) -> Settings:
    """Merge the sources; options whose value is None count as not given.  `options` are
    keyed by any spelling of an option (`format`, `formats`, `max-examples`)."""
    if config is None and env.get("EM_CONFIG"):
        config = option("config").convert(env["EM_CONFIG"])
    merged: dict[str, Any] = _from_toml(config) if config else {}
    merged |= _from_env(env)
    for key, value in options.items():
        name = setting_name(key)
        if value is not None and value != () and name is not None:
            merged[name] = _convert(name, value, "the options")
    # DESIGN.md: a real server fails only on MUST rules unless asked; the emulator on all.
    merged.setdefault("level", _default("level", remote=bool(merged.get("target"))))
    settings = replace(Settings(), **merged, password=env.get("EM_PASSWORD") or None)
    return validate(settings)


def with_seed(settings: Settings) -> Settings:
    """`settings` with a seed: the one given, or a fresh one that the summary prints, so
    that `--seed N` replays the run (probe IDs, clone names, polling jitter, and on the
    embedded emulator its IDs and clock)."""
    if settings.seed is not None:
        return settings
    return replace(settings, seed=secrets.randbelow(1_000_000))


def _job_id(value: str) -> str:
    """A job ID as the path wants it: `urn:veeam:Job:<GUID>` is accepted for the GUID."""
    return value.rsplit(":", 1)[-1] if value.lower().startswith("urn:veeam:") else value


def _normal_target(target: str) -> str:
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(
            f"Invalid --target {target!r}: expected a URL like https://em.example:9398/api."
        )
    if parts.username or parts.password:
        raise UsageError("Put no credentials in --target; use --username and EM_PASSWORD.")
    path = parts.path.rstrip("/")
    return f"{parts.scheme}://{parts.netloc}{path or '/api'}"


def validate(settings: Settings) -> Settings:
    """Check combinations; every message says what to do instead."""
    if settings.target is not None:
        settings = replace(settings, target=_normal_target(settings.target))
        _validate_remote(settings)
    elif settings.insecure or settings.ca_bundle:
        raise UsageError("--insecure and --ca-bundle apply only with --target.")
    if settings.insecure and settings.ca_bundle:
        raise UsageError("Give either --ca-bundle FILE or --insecure, not both.")
    if settings.ca_bundle and not Path(settings.ca_bundle).is_file():
        raise UsageError(f"--ca-bundle {settings.ca_bundle}: no such file. Give a PEM file.")
    if (settings.disposable_jobs or settings.clone_from) and not settings.destructive:
        raise UsageError("--disposable-job and --clone-from need --destructive as well.")
    clone_from = _job_id(settings.clone_from) if settings.clone_from else None
    return replace(
        settings,
        disposable_jobs=tuple(map(_job_id, settings.disposable_jobs)),
        clone_from=clone_from,
    )


def _validate_remote(settings: Settings) -> None:
    if settings.faults:
        raise UsageError("--fault applies to the embedded emulator only; drop --target.")
    if not settings.username:
        raise UsageError("Give --username (or EM_USERNAME) to log on to the target.")
    if settings.destructive and not (settings.disposable_jobs or settings.clone_from):
        raise UsageError(
            "--destructive needs --disposable-job ID or --clone-from ID: the suite deletes"
            " only jobs it created or was given."
        )
