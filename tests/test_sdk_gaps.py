"""The SDK's private parts that `sdk_gaps` relies on are still there: an SDK upgrade that moves one
fails here, naming the adapter to mend, instead of somewhere far from the cause."""

from __future__ import annotations

from typing import Any

from mcp import Client
from mcp.server import MCPServer
from mcp.server.mcpserver import Context

from ninjahire_mcp import sdk_gaps
from ninjahire_mcp.config import Settings
from ninjahire_mcp.server import build_server


async def test_every_private_part_the_adapters_use_is_still_there() -> None:
    server = build_server(Settings(sandbox=True))
    probe: MCPServer[Any] = MCPServer("probe")
    found: list[list[str]] = []

    @probe.tool()
    async def gaps(ctx: Context) -> str:
        found.append(sdk_gaps.missing(server, ctx.session))
        return "checked"

    # A 2025-era connection: its requests share a connection object, as the subscribers' bookkeeping needs.
    async with Client(probe, mode="legacy") as client:
        await client.call_tool("gaps", {})
    assert found == [[]], f"the SDK changed under sdk_gaps.py: {found}"
