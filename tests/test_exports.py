"""Each package's face: `__all__` is exactly what it exports (httpx's test_exported_members habit)."""

from __future__ import annotations

import importlib
from types import ModuleType

import pytest

PACKAGES = [
    "ninjahire_mcp.client",
    "ninjahire_mcp.toolkit",
    "ninjahire_mcp.views",
    "ninjahire_mcp.guards",
    "ninjahire_mcp.tools",
    "ninjahire_mcp.surface",
    "ninjahire_mcp.inbox",
    "ninjahire_mcp.http",
    "ninjahire_mcp.sandbox",
]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_what_the_package_exports(name: str) -> None:
    package = importlib.import_module(name)
    exported = {
        member
        for member, value in vars(package).items()
        # Submodules appear as attributes once imported; they are rooms, not exports.
        if not member.startswith("_") and not isinstance(value, ModuleType)
    }
    declared = set(package.__all__)
    assert declared == exported, f"{name}: in __all__ only {declared - exported}; exported only {exported - declared}"


@pytest.mark.parametrize("name", PACKAGES)
def test_every_export_is_defined_and_documented(name: str) -> None:
    package = importlib.import_module(name)
    assert package.__doc__, f"{name} says what it holds in its docstring"
    missing = [member for member in package.__all__ if not hasattr(package, member)]
    assert not missing
