"""The console's work pages, one module each with a ``router``: every module in this package
is mounted by :func:`broadcaster.web.app.mount_console` (so pages are added without touching
the others)."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def page_modules() -> list[ModuleType]:
    """Every page module of this package, by name."""
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "router"):
            found.append(module)
    return found
