"""The SDK's private parts that `sdk_gaps` relies on are still there: an SDK upgrade that moves one
fails here, naming the adapter to mend, instead of somewhere far from the cause."""

from __future__ import annotations

import signal
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
import pytest
import uvicorn
from mcp import Client
from mcp.server import MCPServer
from mcp.server.mcpserver import Context
from sse_starlette import EventSourceResponse
from sse_starlette.sse import AppStatus
from starlette.types import Message

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


@pytest.fixture
def sse_starlette_state() -> Iterator[None]:
    """sse-starlette's switches and the SIGTERM handler are process-wide: as they were, after the test."""
    saved = (AppStatus.should_exit, AppStatus.enable_automatic_graceful_drain, signal.getsignal(signal.SIGTERM))
    yield
    AppStatus.should_exit, AppStatus.enable_automatic_graceful_drain, handler = saved
    signal.signal(signal.SIGTERM, handler)


async def test_held_sse_streams_outlive_uvicorn_s_exit_and_end_when_told(sse_starlette_state: None) -> None:
    # uvicorn told to exit, as by SIGTERM: sse-starlette sees it both through its patch of `handle_exit` and
    # through the server behind the signal handler. (This server never serves: only its flag is read.)
    exiting = uvicorn.Server(uvicorn.Config(app=lambda scope, receive, send: None))
    signal.signal(signal.SIGTERM, exiting.handle_exit)
    sdk_gaps.hold_sse_streams_at_exit()
    exiting.handle_exit(signal.SIGTERM, None)
    assert exiting.should_exit and not AppStatus.should_exit

    answer_ready = anyio.Event()
    sent: list[bytes] = []

    async def events() -> AsyncIterator[dict[str, str]]:
        yield {"event": "message", "data": "asked"}
        await answer_ready.wait()
        yield {"event": "message", "data": "answered"}
        await anyio.sleep_forever()

    async def receive() -> Message:
        await anyio.sleep_forever()
        raise AssertionError("unreachable")

    async def send(message: Message) -> None:
        sent.append(message.get("body", b""))

    with anyio.fail_after(10):
        async with anyio.create_task_group() as group:
            group.start_soon(EventSourceResponse(events(), ping=600), {"type": "http", "method": "GET"}, receive, send)
            await anyio.sleep(1.0)  # twice sse-starlette's poll: a stream it would end is ended by now
            answer_ready.set()
            while not any(b"answered" in body for body in sent):
                await anyio.sleep(0.01)
            sdk_gaps.end_sse_streams()  # the group ends only once the stream has
    assert sent[-1] == b""  # a clean end of the stream, not one cut off


async def test_listeners_end_with_the_spec_s_graceful_close() -> None:
    server = build_server(Settings(sandbox=True))
    async with Client(server) as client, client.listen(tools_list_changed=True) as changes:
        sdk_gaps.end_listen_streams(server)
        with anyio.fail_after(10):
            told = [change async for change in changes]  # SubscriptionLost if the stream just dropped
    assert told == []
