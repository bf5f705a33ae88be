"""pyproject.toml lists every package and data file explicitly: a fresh (non-editable) install must hold them all."""
from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOP_LEVEL = ("indexing", "bot", "channels")


def _setuptools() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def _packages_on_disk() -> set[str]:
    """Every folder with an __init__.py, and every folder of data files inside one (templates, static):
    Python imports it as a namespace package, and setuptools warns at install about one not listed."""
    folders = {path for top in TOP_LEVEL for path in [ROOT / top, *(ROOT / top).rglob("*")]
               if path.is_dir() and "__pycache__" not in path.parts and any(p.is_file() for p in path.iterdir())}
    return {".".join(folder.relative_to(ROOT).parts) for folder in folders}


def test_every_package_is_listed():
    assert _packages_on_disk() == set(_setuptools()["packages"])


def test_every_data_file_is_shipped():
    listed = set(_setuptools()["packages"])
    patterns = _setuptools()["package-data"]
    unshipped = []
    for package in sorted(listed):
        folder = ROOT.joinpath(*package.split("."))
        for path in folder.rglob("*"):
            if path.is_dir() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts:
                continue
            owner = ".".join(path.parent.relative_to(ROOT).parts)
            while owner not in listed:  # a data file belongs to its nearest package
                owner = owner.rpartition(".")[0]
            if owner != package:
                continue
            relative = path.relative_to(ROOT.joinpath(*package.split("."))).as_posix()
            if not any(fnmatch.fnmatch(relative, pattern) for pattern in patterns.get(package, ())):
                unshipped.append(f"{package}: {relative}")
    assert unshipped == []
