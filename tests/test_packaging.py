"""Packaging metadata, read from the files (nothing is built): the MIT licence ships with every distribution."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]

try:
    import tomllib
except ImportError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")


@pytest.fixture(scope="module")
def pyproject() -> dict:
    with open(REPO_ROOT / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)


def test_license_file_exists_and_is_mit():
    text = (REPO_ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Copyright (c) 2026 rhetoric developers" in text
    assert "Permission is hereby granted, free of charge" in text
    assert 'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND' in text


def test_pyproject_declares_the_license_for_wheel_and_sdist(pyproject):
    project = pyproject["project"]
    assert project["license"] == "MIT"  # an SPDX expression (PEP 639), not a table
    assert project["license-files"] == ["LICENSE"]  # hatch puts it in the wheel's .dist-info/licenses/
    assert "LICENSE" in pyproject["tool"]["hatch"]["build"]["targets"]["sdist"]["include"]
    # license-files as a list of globs needs a hatchling that implements PEP 639
    hatchling = next(r for r in pyproject["build-system"]["requires"] if r.startswith("hatchling"))
    assert hatchling.replace(" ", "") == "hatchling>=1.27"
