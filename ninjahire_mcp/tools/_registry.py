"""The tool catalogue's entries: which toolset a tool belongs to and what it does to the world.

Handlers stay plain async functions; what a host needs to know about them (annotations, toolset,
how to verify a write whose outcome is unknown) is declared beside them here, once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from mcp.types import ToolAnnotations

Handler = TypeVar("Handler", bound=Callable[..., Awaitable[Any]])


@dataclass(frozen=True)
class Effect:
    """The three MCP behaviour hints that follow from what a call does to the tenant's data."""

    read_only: bool
    destructive: bool
    idempotent: bool


READ = Effect(read_only=True, destructive=False, idempotent=True)
CREATE = Effect(read_only=False, destructive=False, idempotent=False)
# PATCH and PUT overwrite what was there (destructive) but repeating them changes nothing more.
OVERWRITE = Effect(read_only=False, destructive=True, idempotent=True)
DELETE = Effect(read_only=False, destructive=True, idempotent=True)
# A phone call cannot be taken back, and a second call phones the person again.
IRREVERSIBLE = Effect(read_only=False, destructive=True, idempotent=False)
# Turning a switch on: nothing is lost, and doing it twice is the same as once.
ENABLE = Effect(read_only=False, destructive=False, idempotent=True)


@dataclass(frozen=True)
class ToolSpec:
    handler: Callable[..., Awaitable[Any]]
    toolset: str
    title: str
    effect: Effect
    # True where the tool reaches past the tenant's records: it phones a person, or sends candidate
    # data to a URL. Everything else reads or writes records inside the tenant's Ninjahire account.
    open_world: bool = False
    # For writes: how the agent can tell whether a request whose outcome is unknown took effect.
    # `{argument}` placeholders are filled from the call's arguments.
    check_first: str | None = None

    @property
    def name(self) -> str:
        return self.handler.__name__

    @property
    def annotations(self) -> ToolAnnotations:
        return ToolAnnotations(
            title=self.title,
            read_only_hint=self.effect.read_only,
            destructive_hint=self.effect.destructive,
            idempotent_hint=self.effect.idempotent,
            open_world_hint=self.open_world,
        )


@dataclass
class Toolset:
    """A named group of tools; its `tool` decorator records each handler's catalogue entry."""

    name: str
    specs: list[ToolSpec] = field(default_factory=list)

    def tool(
        self, title: str, effect: Effect, *, open_world: bool = False, check_first: str | None = None
    ) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.specs.append(ToolSpec(handler, self.name, title, effect, open_world, check_first))
            return handler

        return register
