"""The layers go one way: ui -> services -> store, domain (ARCHITECTURE.md).

Fails when desktop.domain, desktop.store or desktop.services imports Qt
(any PySide6 module) or desktop.ui, and when a lower layer imports a higher
one. Checked twice: statically over every file (also catches imports inside
functions that a test run might never reach) and by importing every module
in a fresh interpreter (catches imports made indirectly or by name).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QT = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "PySide2")
UI = ("desktop.ui", "desktop.app")
# What each layer must never import (prefixes of module names).
FORBIDDEN = {
    "desktop.domain": (*QT, *UI, "desktop.services", "desktop.store", "peewee", "sqlite3"),
    "desktop.store": (*QT, *UI, "desktop.services"),
    "desktop.services": (*QT, *UI),
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported_names(source: str, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, absolute module name) for every import, relative ones resolved."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            # "from desktop import ui" imports desktop.ui: check each name too.
            found.append((node.lineno, prefix))
            found += [(node.lineno, f"{prefix}.{alias.name}") for alias in node.names]
    return found


def _violations(source: str, module: str, is_package: bool = False) -> list[str]:
    layer = next((layer for layer in FORBIDDEN if module.startswith(layer)), None)
    if layer is None:
        return []
    bad = []
    for line, name in _imported_names(source, module, is_package):
        for prefix in FORBIDDEN[layer]:
            if name == prefix or name.startswith(prefix + "."):
                bad.append(f"{module}:{line} imports {name}")
    return bad


def _layer_files() -> list[Path]:
    files = []
    for layer in FORBIDDEN:
        files += sorted((ROOT / layer.replace(".", "/")).rglob("*.py"))
    return files


def test_the_scan_finds_the_layers():
    names = {_module_name(p) for p in _layer_files()}
    assert {"desktop.domain.vocabulary", "desktop.store.database", "desktop.services.demo"} <= names


@pytest.mark.parametrize(
    ("source", "module"),
    [
        ("from PySide6.QtWidgets import QWidget", "desktop.store.x"),
        ("import PySide6", "desktop.domain.x"),
        ("def f():\n    from PySide6 import QtCore", "desktop.services.x"),
        ("from ..ui import main_window", "desktop.services.x"),
        ("from desktop import ui", "desktop.store.x"),
        ("import desktop.ui.mentors.mentors_page", "desktop.domain.x"),
        ("from ...ui.widgets import x", "desktop.store.migrations.v9"),
        ("from desktop.store.models import Mentor", "desktop.domain.x"),
        ("import peewee", "desktop.domain.x"),
        ("from ..services import secrets", "desktop.store.x"),
    ],
)
def test_the_checker_catches(source, module):
    assert _violations(source, module)


@pytest.mark.parametrize(
    ("source", "module"),
    [
        ("from desktop.domain.vocabulary import MentorCategory", "desktop.store.x"),
        ("from ..store.models import Mentor", "desktop.services.x"),
        ("from .models import Mentor", "desktop.store.x"),
        ("import keyring", "desktop.services.x"),
        ("from desktop.paths import DataPaths", "desktop.services.x"),
    ],
)
def test_the_checker_allows(source, module):
    assert _violations(source, module) == []


def test_no_layer_file_imports_upwards():
    bad = []
    for path in _layer_files():
        bad += _violations(
            path.read_text(encoding="utf-8"), _module_name(path), path.name == "__init__.py"
        )
    assert bad == []


_IMPORT_ALL = """
import importlib, json, pkgutil, sys
layers = json.loads(sys.argv[1])
imported = []
for layer in layers:
    package = importlib.import_module(layer)
    imported.append(layer)
    for info in pkgutil.walk_packages(package.__path__, layer + "."):
        importlib.import_module(info.name)
        imported.append(info.name)
print(json.dumps({"imported": imported, "modules": sorted(sys.modules)}))
"""


def test_importing_every_layer_module_loads_no_qt_and_no_ui():
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_ALL, json.dumps(list(FORBIDDEN))],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert len(report["imported"]) == len(_layer_files())
    loaded = [
        name
        for name in report["modules"]
        if any(name == p or name.startswith(p + ".") for p in (*QT, *UI))
    ]
    assert loaded == []


# --- the store owns every query; features meet through public names ---------------

UI_ROOT = ROOT / "desktop" / "ui"
UI_FORBIDDEN = ("peewee", "desktop.store.models", "playhouse")
# ORM calls a service must leave to the store.
ORM_CALLS = {
    "select", "create", "get_by_id", "get_or_none", "insert", "insert_many", "update",
    "delete", "delete_by_id", "atomic", "execute_sql", "bulk_create",
}  # fmt: skip


def _ui_files() -> list[Path]:
    return sorted(UI_ROOT.rglob("*.py"))


def _feature_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[:2] == ["desktop", "ui"] else None


def _ui_violations(source: str, module: str, is_package: bool = False) -> list[str]:
    """A UI module imports no ORM, opens no transaction, and reaches another
    feature package (or common/) only through the package's public names."""
    bad = []
    own = _feature_of(module)
    for line, name in _imported_names(source, module, is_package):
        if any(name == p or name.startswith(p + ".") for p in UI_FORBIDDEN):
            bad.append(f"{module}:{line} imports {name}")
        other = _feature_of(name)
        if other is not None and other != own and len(name.split(".")) > 4:
            bad.append(f"{module}:{line} reaches into {name} (import from desktop.ui.{other})")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr == "atomic":
            bad.append(f"{module}:{node.lineno} opens a transaction")
    return bad


def _service_orm_calls(source: str, module: str) -> list[str]:
    """``Model.select()``-style calls (a capitalised name) in a service."""
    bad = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ORM_CALLS
            and isinstance(node.func.value, ast.Name)
            and (node.func.value.id[:1].isupper() or node.func.value.id == "database_proxy")
        ):
            bad.append(f"{module}:{node.lineno} calls {node.func.value.id}.{node.func.attr}")
    return bad


@pytest.mark.parametrize(
    ("source", "module"),
    [
        ("import peewee as pw", "desktop.ui.mail.outbox_page"),
        ("from desktop.store.models import Mentor", "desktop.ui.mentors.mentors_page"),
        ("from desktop.store import models", "desktop.ui.today.today_page"),
        ("def f(db):\n    with db.atomic():\n        pass", "desktop.ui.mail.account_dialog"),
        ("from desktop.ui.common.guard import guarded", "desktop.ui.mail.outbox_page"),
        ("from desktop.ui.mail.compose_dialog import open_compose", "desktop.ui.shell.main_window"),
        ("from ..programs.assignment_dialog import x", "desktop.ui.requests.requests_page"),
    ],
)
def test_the_ui_checker_catches(source, module):
    assert _ui_violations(source, module)


@pytest.mark.parametrize(
    ("source", "module"),
    [
        ("from desktop.ui.common import guarded", "desktop.ui.mail.outbox_page"),
        ("from desktop.ui.mail import open_compose", "desktop.ui.shell.main_window"),
        ("from .compose_dialog import open_compose", "desktop.ui.mail.outbox_page"),
        ("from desktop.ui.common.page import Page", "desktop.ui.common.widgets"),
        ("from desktop.store import outbox", "desktop.ui.mail.outbox_page"),
    ],
)
def test_the_ui_checker_allows(source, module):
    assert _ui_violations(source, module) == []


def test_the_service_checker_catches_and_allows():
    assert _service_orm_calls("Mentor.select().where(x)", "desktop.services.x")
    assert _service_orm_calls("with database_proxy.atomic():\n    pass", "desktop.services.x")
    assert _service_orm_calls("outbox.create_draft(fields)", "desktop.services.x") == []


def test_no_ui_module_touches_the_orm_or_another_features_modules():
    bad = []
    for path in _ui_files():
        bad += _ui_violations(
            path.read_text(encoding="utf-8"), _module_name(path), path.name == "__init__.py"
        )
    assert bad == []


def test_services_leave_every_query_to_the_store():
    bad = []
    for path in sorted((ROOT / "desktop" / "services").rglob("*.py")):
        bad += _service_orm_calls(path.read_text(encoding="utf-8"), _module_name(path))
    assert bad == []
