"""The wheel must contain every package: pyproject lists them explicitly
(because resources/ is mapped into desktop._resources), so a new subpackage
that is not listed would work from a checkout and be missing when installed."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setuptools_config() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)["tool"]["setuptools"]


def _packages_on_disk() -> set[str]:
    return {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "desktop").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }


def test_every_subpackage_is_listed_in_pyproject():
    listed = set(_setuptools_config()["packages"])
    on_disk = _packages_on_disk()
    assert {"desktop", "desktop.store", "desktop.domain"} <= on_disk  # the scan works
    missing = sorted(on_disk - listed)
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {missing}"


def _folder_of(package: str, mapped: dict[str, str]) -> Path:
    """Where setuptools finds ``package``: under its nearest mapped parent."""
    parts = package.split(".")
    for cut in range(len(parts), 0, -1):
        parent = ".".join(parts[:cut])
        if parent in mapped:
            return ROOT / mapped[parent] / Path(*parts[cut:])
    return ROOT / Path(*parts)


def test_every_listed_package_exists():
    config = _setuptools_config()
    mapped = config.get("package-dir", {})
    for package in config["packages"]:
        folder = _folder_of(package, mapped)
        assert folder.is_dir(), f"{package} is listed but {folder} does not exist"


def test_every_shipped_resource_folder_is_a_listed_package():
    """A resource folder left out of the list "would be ignored" (setuptools
    warns at every install, and will drop it); the screenshots are for the
    README, not the app."""
    listed = set(_setuptools_config()["packages"])
    folders = {
        f"desktop._resources.{folder.name}"
        for folder in (ROOT / "resources").iterdir()
        if folder.is_dir() and folder.name != "screenshots"
    }
    assert folders, "the scan works"
    assert sorted(folders - listed) == []


def test_the_licence_is_an_spdx_string():
    """A TOML table is deprecated: setuptools warns at every install."""
    with (ROOT / "pyproject.toml").open("rb") as handle:
        project = tomllib.load(handle)["project"]
    assert project["license"] == "GPL-3.0-or-later"
