"""The tool catalogue: every Ninjahire endpoint as an MCP tool, grouped in toolsets."""

from collections.abc import Iterable
from functools import cache

from ..config import ConfigError, Settings

# `calling`, `insights` and `search` add their tools to other modules' toolsets when imported.
from . import applications, calling, calls, candidates, events, insights, jobs, questions, search, webhooks  # noqa: F401
from ._context import AppState
from ._registry import Toolset, ToolSpec
from ._tool import NinjahireTool, build_tool

TOOLSETS: dict[str, Toolset] = {
    toolset.name: toolset
    for toolset in (
        jobs.toolset,
        candidates.toolset,
        applications.toolset,
        questions.toolset,
        calls.toolset,
        webhooks.toolset,
        events.toolset,
    )
}
# Served whenever the webhook inbox is on (and never without it), whatever --toolsets says.
INBOX_TOOLSETS = frozenset({events.toolset.name})

CATALOGUE: tuple[ToolSpec, ...] = tuple(spec for toolset in TOOLSETS.values() for spec in toolset.specs)


def select_specs(settings: Settings) -> tuple[ToolSpec, ...]:
    """The tools to serve: the toolsets (or an explicit list), minus exclusions, then read-only last."""
    known = {spec.name for spec in CATALOGUE}
    for option, names in (("--tools", settings.tools or frozenset()), ("--exclude-tools", settings.exclude_tools)):
        unknown = sorted(names - known)
        if unknown:
            raise ConfigError(
                f"{option}: unknown tool(s) {', '.join(unknown)}; `ninjahire-mcp tools --toolsets all` lists them."
            )
    if settings.tools is not None:
        inbox_only = sorted(
            spec.name for spec in CATALOGUE if spec.name in settings.tools and not _available(spec, settings)
        )
        if inbox_only:
            raise ConfigError(
                f"--tools: {', '.join(inbox_only)} reads the webhook inbox, which is off: set NINJAHIRE_WEBHOOK_SECRET."
            )
        chosen = [spec for spec in CATALOGUE if spec.name in settings.tools]
    else:
        chosen = [
            spec
            for spec in CATALOGUE
            if _available(spec, settings) and (spec.toolset in settings.toolsets or spec.toolset in INBOX_TOOLSETS)
        ]
    chosen = [spec for spec in chosen if spec.name not in settings.exclude_tools]
    if settings.read_only:
        chosen = [spec for spec in chosen if spec.effect.read_only]
    return tuple(chosen)


def _available(spec: ToolSpec, settings: Settings) -> bool:
    return spec.toolset not in INBOX_TOOLSETS or settings.inbox_enabled


def build_tools(specs: Iterable[ToolSpec] = CATALOGUE) -> list[NinjahireTool]:
    return [_built(spec) for spec in specs]


@cache
def _built(spec: ToolSpec) -> NinjahireTool:
    # A built tool holds no per-server state, and building one (its pydantic models) is the costly
    # part of starting a server: build each once per process.
    return build_tool(spec)


__all__ = [
    "CATALOGUE",
    "INBOX_TOOLSETS",
    "TOOLSETS",
    "AppState",
    "NinjahireTool",
    "ToolSpec",
    "build_tools",
    "select_specs",
]
