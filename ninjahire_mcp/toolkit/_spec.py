"""What a host must know about each tool: its title, what it does to the world, and its toolset.

A handler is a plain async function; `@tool(...)` declares its entry beside it and returns the entry
(nothing is registered anywhere). The catalogue (`tools/__init__.py`) lists the entries in order and
stamps each with its toolset.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from mcp.types import ToolAnnotations

Handler = Callable[..., Awaitable[Any]]


@dataclass(frozen=True)
class Effect:
    """The three MCP behaviour hints that follow from what a call does to the tenant's data."""

    read_only: bool
    destructive: bool
    idempotent: bool


READ = Effect(read_only=True, destructive=False, idempotent=True)
CREATE = Effect(read_only=False, destructive=False, idempotent=False)
# What was stored is lost (a PATCH or PUT overwrites it, a DELETE removes it), but doing it again
# changes nothing more.
DESTRUCTIVE = Effect(read_only=False, destructive=True, idempotent=True)
# A phone call cannot be taken back, and a second call phones the person again.
IRREVERSIBLE = Effect(read_only=False, destructive=True, idempotent=False)
# Turning a switch on: nothing is lost, and doing it twice is the same as once.
ENABLE = Effect(read_only=False, destructive=False, idempotent=True)


@dataclass(frozen=True)
class ToolSpec:
    handler: Handler
    title: str
    effect: Effect
    # True where the tool reaches past the tenant's records: it phones a person, or sends candidate
    # data to a URL. Everything else reads or writes records inside the tenant's Ninjahire account.
    open_world: bool = False
    # For writes: how the agent can tell whether a request whose outcome is unknown took effect.
    # `{argument}` placeholders are filled from the call's arguments.
    check_first: str | None = None
    # The schema of what a successful call returns (views/_schemas.py): its structuredContent. A tool that
    # may answer with a preview first (it takes confirm_token) advertises the preview's shape beside it.
    output: dict[str, Any] | None = dataclasses.field(default=None, hash=False, compare=False)
    # Stamped by the catalogue (`toolset(...)`), not by the handler's module.
    toolset: str = ""

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


def tool(
    title: str,
    effect: Effect,
    *,
    output: dict[str, Any] | None = None,
    open_world: bool = False,
    check_first: str | None = None,
) -> Callable[[Handler], ToolSpec]:
    """Declare a handler's catalogue entry: `@tool("Get job", READ, output=JOB)` above `async def get_job(...)`."""

    def declare(handler: Handler) -> ToolSpec:
        return ToolSpec(handler, title, effect, open_world, check_first, output)

    return declare


def toolset(name: str, specs: Sequence[ToolSpec]) -> tuple[ToolSpec, ...]:
    """The entries of one toolset, in the order they are served."""
    return tuple(dataclasses.replace(spec, toolset=name) for spec in specs)
