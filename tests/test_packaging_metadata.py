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


def test_every_listed_package_exists():
    config = _setuptools_config()
    mapped = config.get("package-dir", {})
    for package in config["packages"]:
        folder = ROOT / mapped.get(package, package.replace(".", "/"))
        assert folder.is_dir(), f"{package} is listed but {folder} does not exist"
