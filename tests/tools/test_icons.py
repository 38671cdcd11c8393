"""What a host shows beside the server and its tools: an icon each (per toolset), embedded and inert; and how
long a client may keep the lists (2026 era)."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ElementTree

import pytest
from mcp import Client

from ninjahire_mcp.config import ALL_TOOLSETS, Settings
from ninjahire_mcp.server import build_server

SVG = "{http://www.w3.org/2000/svg}"


def drawing(src: str) -> ElementTree.Element:
    """The SVG of a data URI, parsed; it must be a plain drawing: no script, style, link or foreign content."""
    prefix = "data:image/svg+xml;base64,"
    assert src.startswith(prefix)
    svg = base64.b64decode(src.removeprefix(prefix), validate=True)
    assert len(svg) < 600  # small: it travels in every tools/list
    root = ElementTree.fromstring(svg)
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert tags <= {"svg", "path", "circle", "rect"}, tags
    assert not any(name.startswith("on") or "href" in name for e in root.iter() for name in e.attrib)
    return root


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_the_server_and_every_tool_carry_an_icon_of_their_toolset(mode: str) -> None:
    settings = Settings(sandbox=True, toolsets=frozenset(ALL_TOOLSETS))
    async with Client(build_server(settings), mode=mode) as client:
        assert client.server_info is not None and client.server_info.icons
        drawing(client.server_info.icons[0].src)
        tools = (await client.list_tools()).tools
    for tool in tools:
        assert tool.icons and len(tool.icons) == 1, tool.name
        icon = tool.icons[0]
        assert icon.mime_type == "image/svg+xml" and icon.sizes == ["any"]
        drawing(icon.src)
    # One picture per toolset: calls share the phone, jobs the briefcase.
    assert len({tool.icons[0].src for tool in tools if tool.name in ("instant_call", "get_call")}) == 1
    assert len({tool.icons[0].src for tool in tools if tool.name in ("get_jobs", "get_call")}) == 2


async def test_the_lists_say_a_client_may_keep_them_for_an_hour_and_resources_reads_say_nothing() -> None:
    async with Client(build_server(Settings(sandbox=True))) as client:
        tools = await client.list_tools()
        prompts = await client.list_prompts()
        resources = await client.list_resources()
        guide = await client.read_resource("ninjahire://guide")
    for listed in (tools, prompts, resources):
        assert (listed.ttl_ms, listed.cache_scope) == (3_600_000, "public")
    assert guide.ttl_ms == 0 and guide.cache_scope == "private"  # tenant data is read fresh
