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
    # The MCP App view (surface/apps.py) a host renders this tool's result in: its name, as in `view_uri`.
    view: str | None = None
    # An app-only tool serves a view (more rows, the next transcript page) and is not for the model: hosts
    # keep it out of the model's tool list (`_meta.ui.visibility: ["app"]`).
    app_only: bool = False

    @property
    def name(self) -> str:
        return self.handler.__name__

    @property
    def meta(self) -> dict[str, Any] | None:
        """The tool's `_meta`: the MCP Apps entry (`ui`) when it feeds a view."""
        if self.view is None:
            return None
        ui: dict[str, Any] = {"resourceUri": view_uri(self.view)}
        if self.app_only:
            ui["visibility"] = ["app"]
        return {"ui": ui}

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
    view: str | None = None,
    app_only: bool = False,
) -> Callable[[Handler], ToolSpec]:
    """Declare a handler's catalogue entry: `@tool("Get job", READ, output=JOB)` above `async def get_job(...)`.
    `view="scorecard"` names the MCP App its result is shown in; `app_only=True` keeps it from the model."""
    if app_only and view is None:
        raise ValueError("an app-only tool serves a view: name it (view=...)")

    def declare(handler: Handler) -> ToolSpec:
        return ToolSpec(handler, title, effect, open_world, check_first, output, view=view, app_only=app_only)

    return declare


def view_uri(view: str) -> str:
    """The `ui://` resource of a view: one scheme for the tools that name it and the extension that serves it."""
    return f"ui://ninjahire/{view}.html"


def toolset(name: str, specs: Sequence[ToolSpec]) -> tuple[ToolSpec, ...]:
    """The entries of one toolset, in the order they are served."""
    return tuple(dataclasses.replace(spec, toolset=name) for spec in specs)
