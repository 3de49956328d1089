"""Where the command line keeps caches: a per-user cache directory, never the working
directory (a CI job's workspace, or wherever the user happened to be)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import MutableMapping
from pathlib import Path

__all__ = ["STORAGE_VARIABLE", "cache_home", "keep_hypothesis_out_of_cwd"]

# Hypothesis reads this variable the first time it needs storage; unset, it writes
# `.hypothesis/` (constants and charmap caches, even with database=None) into the working
# directory. hypothesis.configuration.storage_directory documents the variable.
STORAGE_VARIABLE = "HYPOTHESIS_STORAGE_DIRECTORY"


def cache_home(env: MutableMapping[str, str]) -> Path:
    """The per-user cache directory: $XDG_CACHE_HOME, %LOCALAPPDATA% or ~/.cache."""
    base = env.get("XDG_CACHE_HOME") or env.get("LOCALAPPDATA")
    if base:
        return Path(base) / "em-conformance"
    try:
        return Path.home() / ".cache" / "em-conformance"
    except RuntimeError:  # no home directory (a bare container user): a temporary one
        return Path(tempfile.gettempdir()) / "em-conformance-cache"


def keep_hypothesis_out_of_cwd(env: MutableMapping[str, str] | None = None) -> None:
    """Point Hypothesis's storage at the per-user cache, unless the user chose a place."""
    env = os.environ if env is None else env
    if not env.get(STORAGE_VARIABLE):
        env[STORAGE_VARIABLE] = str(cache_home(env) / "hypothesis")
