"""Public names of a feature package, imported only when first used.

A feature package's ``__init__.py`` lists its public names and the module
each lives in. Other packages import them from the package
(``from desktop.ui.mail import open_compose``); the module is imported on
that first use, so listing a name costs start-up nothing."""

from __future__ import annotations

import importlib
from collections.abc import Callable


def lazy_exports(package: str, names: dict[str, str]) -> Callable[[str], object]:
    """A module ``__getattr__`` for ``package`` serving ``names`` (public
    name -> module inside the package)."""

    def __getattr__(name: str) -> object:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{module}"), name)

    return __getattr__
