"""The one loader for the data files shipped with the package: specs and cassettes.

In a wheel the files live in `conformance/_data/`; in a source checkout they are the
top-level `specs/` and `cassettes/` folders.  Nothing else in the package opens them.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any, cast

__all__ = [
    "OPENAPI_FILE",
    "XSD_FILE",
    "cassettes_dir",
    "data_dir",
    "json_schema_path",
    "load_json_schema",
    "load_openapi",
    "specs_dir",
]

OPENAPI_FILE = "enterprise-manager.openapi.yaml"
XSD_FILE = "enterprise-manager.xsd"

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The folder holding the shipped data set `name` ("specs" or "cassettes")."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"data folder {name!r} is missing from the installation")


def specs_dir() -> Path:
    return data_dir("specs")


def cassettes_dir() -> Path:
    return data_dir("cassettes")


def json_schema_path(resource: str) -> Path:
    return specs_dir() / "json" / f"{resource}.schema.json"


@functools.cache
def load_openapi() -> dict[str, Any]:
    """The OpenAPI description as a dict (parsed once per process)."""
    text = (specs_dir() / OPENAPI_FILE).read_text(encoding="utf-8")
    import yaml  # only the OpenAPI document needs YAML: not loaded at start-up

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml where built with it
    return cast(dict[str, Any], yaml.load(text, Loader=loader))  # noqa: S506 (a safe loader)


@functools.cache
def load_json_schema(resource: str) -> dict[str, Any]:
    return cast(dict[str, Any], json.loads(json_schema_path(resource).read_text("utf-8")))
