"""CLI subcommands beyond the core three, one module each.

Every module here defines ``register(commands)`` that adds its subparser (with
``set_defaults(handler=...)``); ``channels.cli`` discovers them, so adding a command
never means editing the core CLI.
"""
from __future__ import annotations

import importlib
import pkgutil


def register_all(commands) -> None:
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(commands)
