"""The tool catalogue: every Ninjahire endpoint as an MCP tool, grouped in toolsets."""

from collections.abc import Iterable
from functools import cache

from . import applications, calls, candidates, jobs, questions, webhooks
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
    )
}

CATALOGUE: tuple[ToolSpec, ...] = tuple(spec for toolset in TOOLSETS.values() for spec in toolset.specs)


def build_tools(specs: Iterable[ToolSpec] = CATALOGUE) -> list[NinjahireTool]:
    return [_built(spec) for spec in specs]


@cache
def _built(spec: ToolSpec) -> NinjahireTool:
    # A built tool holds no per-server state, and building one (its pydantic models) is the costly
    # part of starting a server: build each once per process.
    return build_tool(spec)


__all__ = ["CATALOGUE", "TOOLSETS", "AppState", "NinjahireTool", "ToolSpec", "build_tools"]
