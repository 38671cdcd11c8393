"""The webhook loop as a user runs it: one `ninjahire-mcp --sandbox --transport http` process whose
sandbox posts signed webhooks to that same server's /webhooks/ninjahire, stored in SQLite, read by the
agent over MCP, and still there after a restart."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from ninjahire_mcp.inbox import WEBHOOK_PATH

from ..support.api import records
from ..support.serving import free_port, server_process
from ..support.webhooks import SECRET, call_event, delivery

pytestmark = pytest.mark.subprocess
TOKEN = "mcp-token-for-the-inbox-test"


async def call(url: str, tool: str, **arguments: Any) -> Any:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    async with httpx2.AsyncClient(headers=headers) as http, Client(streamable_http_client(url, http_client=http)) as c:
        result = await c.call_tool(tool, arguments)
    assert not result.is_error, result.content[0].text
    return json.loads(result.content[0].text)


def test_an_instant_call_s_webhook_reaches_the_served_inbox_and_survives_a_restart(tmp_path: Path) -> None:
    port = free_port()
    database = tmp_path / "events.sqlite3"
    env = {
        "NINJAHIRE_MCP_TOKEN": TOKEN,
        "NINJAHIRE_WEBHOOK_SECRET": SECRET,
        "NINJAHIRE_WEBHOOK_DB": str(database),
        "NINJAHIRE_SANDBOX_WEBHOOK_URL": f"http://127.0.0.1:{port}{WEBHOOK_PATH}",
    }
    with server_process("--sandbox", "--no-confirm", env=env, port=port) as (process, url):
        mcp_url = f"{url}/mcp"

        async def loop() -> tuple[str, dict[str, Any]]:
            application = records(await call(mcp_url, "get_applications", size=50))[0]
            placed = await call(mcp_url, "instant_call", application_id=application["id"])
            with anyio.fail_after(40):  # the sandbox's calls last 8 s, then the push
                while not (events := records(await call(mcp_url, "get_webhook_events", call_id=placed["call_id"]))):
                    await anyio.sleep(0.5)
            (event,) = events
            return application["id"], event

        application_id, event = anyio.run(loop)
        # The webhook route is not behind the MCP token; a forged delivery is refused by its signature.
        forged_delivery = delivery(call_event(), secret="not-the-secret", timestamp=time.time())
        forged = httpx2.post(f"{url}{WEBHOOK_PATH}", **forged_delivery)
        process.terminate()
        process.wait(timeout=20)
    assert event["application_id"] == application_id and event["event_type"] == "call_activity"
    assert event["payload"]["call_status"] in ("call_completed", "call_failed")
    assert forged.status_code == 401
    assert oct(database.stat().st_mode & 0o777) == "0o600"

    with server_process("--sandbox", env=env, port=free_port()) as (_process, url):
        again = anyio.run(lambda: call(f"{url}/mcp", "get_webhook_events"))
    assert [e["call_id"] for e in records(again)] == [event["call_id"]]


def test_the_start_up_line_says_where_webhooks_go_and_unsigned_ones_are_refused(tmp_path: Path) -> None:
    env = {"NINJAHIRE_WEBHOOK_SECRET": SECRET, "NINJAHIRE_WEBHOOK_DB": str(tmp_path / "e.sqlite3")}
    with server_process("--sandbox", env=env) as (process, url):
        unsigned = httpx2.post(f"{url}{WEBHOOK_PATH}", content=b"{}", headers={"Content-Type": "application/json"})
        time.sleep(0.1)
        process.terminate()
        _out, err = process.communicate(timeout=20)
    assert unsigned.status_code == 401
    assert f"webhooks at {WEBHOOK_PATH}" in err and SECRET not in err
