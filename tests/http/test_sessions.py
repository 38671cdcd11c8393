"""A session belongs to the credentials that opened it: another user who holds its id (same MCP token,
another Ninjahire key) finds no such session, cannot answer the owner's pending question nor end it,
and the id never appears in the server's log. SSE sessions are capped as streamable ones are."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client
from mcp.types import ElicitResult

from ninjahire_mcp.config import Settings
from ninjahire_mcp.http import build_http_app
from ninjahire_mcp.sandbox import create_app
from ninjahire_mcp.server import build_server

from ..support.api import records
from ..support.serving import server_process, serving

TOKEN = "mcp_shared_team_token"
OWNER = {"authorization": f"Bearer {TOKEN}", "x-ninjahire-api-key": "nh_key_owner"}
# Others who hold the owner's session id: the same MCP token with another key, or with none.
INTRUDERS = [
    {"authorization": f"Bearer {TOKEN}", "x-ninjahire-api-key": "nh_key_intruder"},
    {"authorization": f"Bearer {TOKEN}"},
]
POST_HEADERS = {
    "content-type": "application/json",
    "accept": "application/json, text/event-stream",
    "mcp-protocol-version": "2025-11-25",
}
INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "probe", "version": "1"}},
}
PING = {"jsonrpc": "2.0", "id": 2, "method": "ping"}
UNKNOWN_SESSION = "0123456789abcdef0123456789abcdef"


def shared_server(emulator: Any, **overrides: Any) -> Any:
    """One server for a team: one MCP token, each user's own Ninjahire key on each request."""
    settings = Settings(base_url="http://sandbox.test", auth_token=TOKEN, **overrides)
    return build_http_app(settings, build_server(settings, transport=httpx2.ASGITransport(app=emulator)))


@asynccontextmanager
async def owner_client(url: str, transport: str, on_elicit: Any) -> AsyncIterator[tuple[Client, list[str]]]:
    """The owner's MCP client (2025 era: sessions), and its session id once it has one."""
    ids: list[str] = []
    if transport == "sse":
        connection = sse_client(f"{url}/sse", headers=OWNER, on_session_created=ids.append)
        async with Client(connection, mode="legacy", elicitation_callback=on_elicit) as client:
            yield client, ids
        return

    async def note(response: httpx2.Response) -> None:
        if "mcp-session-id" in response.headers and not ids:
            ids.append(response.headers["mcp-session-id"])

    async with (
        httpx2.AsyncClient(headers=OWNER, timeout=30, event_hooks={"response": [note]}) as http,
        Client(
            streamable_http_client(f"{url}/mcp", http_client=http), mode="legacy", elicitation_callback=on_elicit
        ) as client,
    ):
        yield client, ids


async def post_to_session(
    url: str, transport: str, session_id: str, headers: dict[str, str], message: dict[str, Any]
) -> httpx2.Response:
    async with httpx2.AsyncClient(timeout=10) as http:
        if transport == "sse":
            return await http.post(f"{url}/messages/?session_id={session_id}", headers=headers, json=message)
        return await http.post(
            f"{url}/mcp", headers={**POST_HEADERS, **headers, "mcp-session-id": session_id}, json=message
        )


def placed_calls(emulator: Any) -> list[Any]:
    return [r for r in emulator.state.emulator.request_log if r.method == "POST" and r.path.endswith("/instant-call")]


@pytest.mark.parametrize("intruder", INTRUDERS, ids=["another key", "no key"])
@pytest.mark.parametrize("transport", ["streamable-http", "sse"])
async def test_someone_else_holding_the_session_id_cannot_answer_the_owner_s_pending_question(
    transport: str, intruder: dict[str, str]
) -> None:
    emulator = create_app(call_duration=60, clock=lambda: 0.0)
    with serving(shared_server(emulator, transport=transport)) as url:
        tried: dict[str, httpx2.Response] = {}
        asked: list[str] = []

        async def on_elicit(context: Any, params: Any) -> ElicitResult:
            # While the owner's person is being asked "Phone …?", the intruder answers yes for them.
            asked.append(params.message)
            yes = {
                "jsonrpc": "2.0",
                "id": context.request_id,
                "result": {"action": "accept", "content": {"confirm": True}},
            }
            tried["answer"] = await post_to_session(url, transport, ids[0], intruder, yes)
            tried["unknown"] = await post_to_session(url, transport, UNKNOWN_SESSION, intruder, yes)
            return ElicitResult(action="decline")  # and the person says no

        async with owner_client(url, transport, on_elicit) as (client, ids):
            listed = json.loads((await client.call_tool("get_applications", {"size": 100})).content[0].text)
            pending = next(a for a in records(listed) if a["screening_status"] == "pending")
            result = await client.call_tool("instant_call", {"application_id": pending["id"]})
            still = await client.call_tool("get_jobs", {"size": 1})  # the owner's session is untouched

    assert len(asked) == 1
    assert tried["answer"].status_code == 404, tried["answer"].text
    # Exactly as a session that does not exist: nothing tells the intruder it is there.
    assert (tried["answer"].status_code, tried["answer"].text) == (tried["unknown"].status_code, tried["unknown"].text)
    assert placed_calls(emulator) == []  # the owner's person said no, and that is what counted
    assert "not_done" in result.content[0].text or result.is_error
    assert not still.is_error


@pytest.mark.parametrize("intruder", INTRUDERS, ids=["another key", "no key"])
def test_only_the_owner_can_use_or_end_a_streamable_session(intruder: dict[str, str]) -> None:
    with serving(shared_server(create_app(), transport="streamable-http")) as url:
        opened = httpx2.post(f"{url}/mcp", headers={**POST_HEADERS, **OWNER}, json=INIT)
        session = {**POST_HEADERS, "mcp-session-id": opened.headers["mcp-session-id"]}
        httpx2.post(
            f"{url}/mcp", headers={**session, **OWNER}, json={"jsonrpc": "2.0", "method": "notifications/initialized"}
        )
        unknown = httpx2.delete(f"{url}/mcp", headers={**session, **intruder, "mcp-session-id": UNKNOWN_SESSION})
        used = httpx2.post(f"{url}/mcp", headers={**session, **intruder}, json=PING)
        ended = httpx2.delete(f"{url}/mcp", headers={**session, **intruder})
        owner_uses = httpx2.post(f"{url}/mcp", headers={**session, **OWNER}, json=PING)
        owner_ends = httpx2.delete(f"{url}/mcp", headers={**session, **OWNER})
        afterwards = httpx2.post(f"{url}/mcp", headers={**session, **OWNER}, json=PING)
    assert unknown.status_code == 404
    assert (used.status_code, used.text) == (ended.status_code, ended.text) == (unknown.status_code, unknown.text)
    assert owner_uses.status_code == 200 and '"result"' in owner_uses.text
    assert owner_ends.status_code == 200 and afterwards.status_code == 404


async def test_sse_sessions_beyond_the_cap_are_refused_with_503_until_one_ends() -> None:
    settings = Settings(sandbox=True, transport="sse", max_sse_sessions=2)
    with serving(build_http_app(settings, build_server(settings))) as url:
        async with httpx2.AsyncClient(timeout=10) as http:

            async def open_stream(stack: list[Any]) -> httpx2.Response:
                response = await http.send(http.build_request("GET", f"{url}/sse"), stream=True)
                stack.append(response)
                return response

            streams: list[httpx2.Response] = []
            first, second = await open_stream(streams), await open_stream(streams)
            refused = await open_stream(streams)
            await refused.aread()
            await first.aclose()
            with anyio.fail_after(10):
                while True:  # the ended stream's place frees as its session winds down
                    again = await open_stream(streams)
                    if again.status_code == 200:
                        break
                    await again.aclose()
                    await anyio.sleep(0.05)
            for response in streams:
                await response.aclose()
    assert first.status_code == second.status_code == 200
    assert refused.status_code == 503
    assert "at most 2 SSE sessions" in refused.json()["error"]["message"]


def _ids_in(text: str, session_ids: list[str]) -> list[str]:
    """The session ids `text` shows, in any spelling (hex, dashed, upper case)."""
    flat = re.sub(r"[-{}]", "", text).lower()
    return [sid for sid in session_ids if sid.replace("-", "").lower() in flat]


OpenAndClose = Callable[[str], Awaitable[list[str]]]


async def _streamable_sessions(url: str) -> list[str]:
    ids: list[str] = []
    for _ in range(2):
        async with owner_client(url, "streamable-http", None) as (client, seen):
            await client.call_tool("get_jobs", {"size": 1})
            ids += seen
    # An ended session's id, sent again (a client that missed the end): the refusal names no id.
    await post_to_session(url, "streamable-http", ids[0], OWNER, PING)
    return ids


async def _sse_sessions(url: str) -> list[str]:
    ids: list[str] = []
    for _ in range(2):
        async with owner_client(url, "sse", None) as (client, seen):
            await client.call_tool("get_jobs", {"size": 1})
            ids += seen
    await post_to_session(url, "sse", ids[0], OWNER, PING)
    await post_to_session(url, "sse", ids[1], INTRUDERS[0], PING)
    return ids


@pytest.mark.subprocess
@pytest.mark.parametrize(("transport", "scenario"), [("http", _streamable_sessions), ("sse", _sse_sessions)])
def test_no_session_id_is_logged_even_at_debug(transport: str, scenario: OpenAndClose) -> None:
    args = ("--sandbox", "--transport", transport, "--log-level", "DEBUG", "--auth-token", TOKEN)
    with server_process(*args) as (process, url):
        ids = anyio.run(scenario, url)
        process.terminate()
        _out, err = process.communicate(timeout=20)
    assert len(ids) == 2 and err.count("\n") > 10  # it did log, at DEBUG
    assert _ids_in(err, ids) == []
