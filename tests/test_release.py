"""The wheel carries the data files and both entry points."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("em_conformance-*.whl")
    return zipfile.ZipFile(path)


def test_specs_are_in_the_wheel(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    shipped = {
        p.relative_to(ROOT / "specs").as_posix() for p in (ROOT / "specs").rglob("*") if p.is_file()
    }
    assert shipped, "specs/ is empty"
    assert {f"conformance/_data/specs/{name}" for name in shipped} <= names


def test_cassettes_are_in_the_wheel(wheel: zipfile.ZipFile) -> None:
    shipped = {
        p.relative_to(ROOT / "cassettes").as_posix()
        for p in (ROOT / "cassettes").rglob("*")
        if p.is_file()
    }
    assert {f"conformance/_data/cassettes/{name}" for name in shipped} <= set(wheel.namelist())


def test_entry_points(wheel: zipfile.ZipFile) -> None:
    (entry_points,) = [n for n in wheel.namelist() if n.endswith("entry_points.txt")]
    text = wheel.read(entry_points).decode()
    assert "em-conformance = conformance.cli:main" in text
    assert "[pytest11]" in text and "conformance.plugin" in text


def test_typed_marker(wheel: zipfile.ZipFile) -> None:
    assert "conformance/py.typed" in wheel.namelist()


def test_the_licence_is_in_the_wheel(wheel: zipfile.ZipFile) -> None:
    (licence,) = [n for n in wheel.namelist() if n.endswith(".dist-info/licenses/LICENSE")]
    text = wheel.read(licence).decode()
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert text == (ROOT / "LICENSE").read_text()
    (metadata,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    assert "License-Expression: Apache-2.0" in wheel.read(metadata).decode()
