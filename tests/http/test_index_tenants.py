"""Over HTTP with per-request keys, each tenant's screening index is its own: one file per key, named by a hash
of it, and one tenant's question never reads what another's filled."""

from __future__ import annotations

import json
from pathlib import Path

import httpx2

from ninjahire_mcp.config import Settings
from ninjahire_mcp.http import build_http_app
from ninjahire_mcp.index import tenant_name
from ninjahire_mcp.sandbox import create_app
from ninjahire_mcp.server import build_server

from ..support.serving import serving
from .test_app import mcp_client


async def test_each_key_searches_its_own_index_file(tmp_path: Path) -> None:
    emulator = create_app()
    log = emulator.state.emulator.request_log
    settings = Settings(transport="streamable-http", base_url="http://sandbox.test", index=str(tmp_path))
    app = build_http_app(settings, build_server(settings, transport=httpx2.ASGITransport(app=emulator)))
    sent: dict[str, list[int]] = {"nh_tenant_a": [], "nh_tenant_b": []}
    with serving(app) as url:
        for key in ("nh_tenant_a", "nh_tenant_b", "nh_tenant_a", "nh_tenant_b"):
            async with mcp_client(url, headers={"x-ninjahire-api-key": key}) as client:
                before = len(log)
                found = await client.call_tool("search_screening", {"query": "nights"})
                assert not found.is_error and json.loads(found.content[0].text)["total_matches"] > 0
                sent[key].append(len(log) - before)
                assert {r.api_key for r in log[before:]} <= {key}  # read with the asker's key alone
    # Each tenant's first question fills its own index; its second reuses it; neither used the other's.
    assert sent["nh_tenant_a"][0] > 0 and sent["nh_tenant_b"][0] > 0
    assert sent["nh_tenant_a"][1] == 0 and sent["nh_tenant_b"][1] == 0
    files = sorted(file.name for file in tmp_path.glob("*.sqlite3"))
    assert files == sorted(f"{tenant_name(key)}.sqlite3" for key in sent)
    assert not any(key in "".join(files) for key in sent)
