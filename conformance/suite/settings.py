"""Settings of a suite run, from command-line options, `EM_*` variables and a TOML file.

Precedence: an option given on the command line, then its `EM_*` variable, then the
TOML file (`--config` or `EM_CONFIG`; top-level keys, or a `[tool.em-conformance]`
table so that a pyproject.toml works), then the default.  The password comes only
from `EM_PASSWORD` or a prompt: never an option, never the file.
"""

from __future__ import annotations

import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from conformance.checks import Level
from conformance.errors import UsageError

__all__ = ["FORMATS", "Settings", "load_settings", "with_seed"]

FORMATS = {"xml": ("xml",), "json": ("json",), "both": ("xml", "json")}


@dataclass(frozen=True)
class Settings:
    """Everything one run needs; `target=None` means: boot the embedded emulator."""

    target: str | None = None
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    ca_bundle: str | None = None
    insecure: bool = False
    api_version: str = "latest"
    formats: tuple[str, ...] = ("xml", "json")
    level: Level = Level.SHOULD
    max_examples: int = 20
    task_timeout: float = 60.0
    timeout: float = 30.0
    connect_timeout: float = 5.0
    max_body: int = 8 * 1024 * 1024
    junitxml: Path | None = None
    report: Path | None = None
    cassette: Path | None = None
    destructive: bool = False
    disposable_jobs: tuple[str, ...] = ()
    clone_from: str | None = None
    clone_repository: str | None = None
    faults: tuple[str, ...] = ()
    seed: int | None = None

    @property
    def embedded(self) -> bool:
        return self.target is None

    @property
    def verify(self) -> bool | str:
        return False if self.insecure else (self.ca_bundle or True)


# Converters from text (environment, TOML strings) to each field's type.
def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"expected true or false, received {value!r}")


def _list(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    return tuple(str(item).strip() for item in items if str(item).strip())


def _formats(value: Any) -> tuple[str, ...]:
    if isinstance(value, tuple) and set(value) <= {"xml", "json"}:
        return value
    text = str(value).strip().lower()
    if text not in FORMATS:
        raise ValueError(f"expected one of {', '.join(FORMATS)}, received {value!r}")
    return FORMATS[text]


def _level(value: Any) -> Level:
    return value if isinstance(value, Level) else Level.parse(str(value))


def _positive(kind: type[int] | type[float]) -> Any:
    def convert(value: Any) -> int | float:
        number = kind(value)
        if number <= 0:
            raise ValueError(f"expected a number above 0, received {value!r}")
        return number

    return convert


def _seed(value: Any) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(f"expected a whole number of 0 or more, received {value!r}")
    return number


def _path(value: Any) -> Path:
    return value if isinstance(value, Path) else Path(str(value)).expanduser()


def _text(value: Any) -> str:
    return str(value)


_CONVERT: dict[str, Any] = {
    "insecure": _bool,
    "destructive": _bool,
    "formats": _formats,
    "level": _level,
    "max_examples": _positive(int),
    "task_timeout": _positive(float),
    "timeout": _positive(float),
    "connect_timeout": _positive(float),
    "max_body": _positive(int),
    "junitxml": _path,
    "report": _path,
    "cassette": _path,
    "disposable_jobs": _list,
    "faults": _list,
    "seed": _seed,
}

# Names as the user writes them: option names, EM_* variables and TOML keys.
_ALIASES = {"format": "formats", "fault": "faults", "disposable_job": "disposable_jobs"}
_SETTABLE = tuple(f.name for f in fields(Settings) if f.name != "password")


def _key(name: str) -> str:
    plain = name.strip().lower().replace("-", "_")
    return _ALIASES.get(plain, plain)


def _convert(name: str, value: Any, source: str) -> Any:
    try:
        return _CONVERT.get(name, _text)(value)
    except ValueError as exc:
        raise UsageError(f"Invalid {name.replace('_', '-')} in {source}: {exc}.") from None


def _from_env(env: Mapping[str, str]) -> dict[str, Any]:
    found = {}
    for variable, value in env.items():
        if variable.startswith("EM_") and _key(variable[3:]) in _SETTABLE:
            found[_key(variable[3:])] = _convert(_key(variable[3:]), value, f"${variable}")
    return found


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        document = tomllib.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise UsageError(f"Cannot read config file {path}: {exc.strerror}.") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"Config file {path} is not valid TOML: {exc}.") from None
    return dict(document.get("tool", {}).get("em-conformance", document))


def _from_toml(path: Path) -> dict[str, Any]:
    found = {}
    for key, value in _read_toml(path).items():
        name = _key(key)
        if name == "targets":
            continue  # a fleet's servers: conformance.suite.fleet reads them
        if name == "password":
            raise UsageError(
                f"{path} holds a password. Remove it: the password is read only from"
                " EM_PASSWORD or asked for at a prompt."
            )
        if name not in _SETTABLE:
            choices = ", ".join(n.replace("_", "-") for n in _SETTABLE)
            raise UsageError(f"Unknown setting {key!r} in {path}; valid keys: {choices}.")
        found[name] = _convert(name, value, str(path))
    return found


def load_settings(
    options: Mapping[str, Any], env: Mapping[str, str], config: Path | None = None
) -> Settings:
    """Merge the sources; options whose value is None count as not given."""
    config = config or (_path(env["EM_CONFIG"]) if env.get("EM_CONFIG") else None)
    merged: dict[str, Any] = _from_toml(config) if config else {}
    merged |= _from_env(env)
    given = {_key(k): v for k, v in options.items() if v is not None and v != ()}
    merged |= {name: _convert(name, value, "the options") for name, value in given.items()}
    # DESIGN.md: a real server fails only on MUST rules unless asked; the emulator on all.
    merged.setdefault("level", Level.MUST if merged.get("target") else Level.SHOULD)
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
