"""Size of the tools/list result as it goes on the wire (JSON, camelCase, no nulls), in bytes.

Run: .venv/bin/python bench/tools_list_payload.py
"""

from __future__ import annotations

import json

import anyio
from mcp import Client

from ninjahire_mcp.config import Settings
from ninjahire_mcp.server import build_server


async def main() -> None:
    async with Client(build_server(Settings(api_key="unused"))) as client:
        result = await client.list_tools()
        instructions = client.instructions or ""
    payload = result.model_dump_json(by_alias=True, exclude_none=True)
    per_tool = sorted(
        (
            (len(json.dumps(tool.model_dump(mode="json", by_alias=True, exclude_none=True))), tool.name)
            for tool in result.tools
        ),
        reverse=True,
    )
    print(f"tools/list result: {len(payload.encode())} bytes for {len(result.tools)} tools")
    print(f"instructions: {len(instructions.encode())} bytes")
    for size, name in per_tool[:5]:
        print(f"  {name}: {size} bytes")


if __name__ == "__main__":
    anyio.run(main)
