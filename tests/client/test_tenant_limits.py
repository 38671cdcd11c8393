"""A caller's key gets a bounded share of the upstream connections: one tenant's stalled requests leave the
rest of the pool to the others, and a request that cannot get a slot in time says so and sends nothing.

The upstream is the emulator on loopback (so the real connection pool is in play), holding every request
of one tenant until the test lets them go: who finished before whom is the evidence, never a duration.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from ninjahire_mcp.client import APITimeoutError, KeyBusyError, NinjahireClient
from ninjahire_mcp.config import ConfigError, Settings
from ninjahire_mcp.defaults import DEFAULT_MAX_CONNECTIONS, default_share
from ninjahire_mcp.http import build_http_app
from ninjahire_mcp.sandbox import create_app
from ninjahire_mcp.server import build_server

from ..support.api import INSTANT_RETRY
from ..support.serving import served

SLOW, QUICK = "nh_tenant_slow_0123456789", "nh_tenant_quick_0123456789"
SHARE = default_share(DEFAULT_MAX_CONNECTIONS)
# More of the slow tenant's requests than the whole pool holds: before shares, they took every connection.
STALLED = DEFAULT_MAX_CONNECTIONS + 20


class HoldingUpstream:
    """The emulator, holding each request of the slow tenant until `release` is set."""

    def __init__(self) -> None:
        self.emulator = create_app()
        self.release = anyio.Event()
        self.held = 0  # the slow tenant's requests that reached the API so far

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and Headers(scope=scope).get("authorization") == f"Bearer {SLOW}":
            self.held += 1
            await self.release.wait()
        await self.emulator(scope, receive, send)

    async def until_held(self, count: int) -> None:
        with anyio.fail_after(60):
            while self.held < count:
                await anyio.sleep(0.01)

    async def until_no_more_arrive(self) -> None:
        """Until a while passes with no new request of the slow tenant: the rest wait in the server."""
        last, quiet = -1, 0
        with anyio.fail_after(60):
            while quiet < 10:
                await anyio.sleep(0.05)
                quiet, last = (quiet + 1 if self.held == last else 0), self.held


class CountingPosts:
    """The MCP app, counting the requests the slow tenant has posted to it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.posted = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            self.posted += Headers(scope=scope).get("x-ninjahire-api-key") == SLOW
        await self.app(scope, receive, send)

    async def until_posted(self, count: int) -> None:
        with anyio.fail_after(60):
            while self.posted < count:
                await anyio.sleep(0.01)


@asynccontextmanager
async def mcp_client(url: str, api_key: str) -> AsyncIterator[Client]:
    # Room for every call at once between the test and the server: the pool under test is the server's.
    limits = httpx2.Limits(max_connections=None)
    async with (
        httpx2.AsyncClient(headers={"x-ninjahire-api-key": api_key}, timeout=60, limits=limits) as http,
        Client(streamable_http_client(f"{url}/mcp", http_client=http)) as client,
    ):
        yield client


async def test_a_tenant_whose_requests_stall_leaves_the_pool_to_another_tenant() -> None:
    upstream = HoldingUpstream()
    finished: list[int] = []
    async with served(upstream) as url, NinjahireClient(api_key=None, base_url=url) as client:
        slow, quick = client.with_api_key(SLOW), client.with_api_key(QUICK)

        async def stall(n: int) -> None:
            await slow.jobs.list(page=1, size=1)
            finished.append(n)

        async with anyio.create_task_group() as group:
            for n in range(STALLED):
                group.start_soon(stall, n)
            await upstream.until_held(SHARE)
            try:
                with anyio.fail_after(20):  # before shares: queued behind the slow tenant's requests for good
                    page = await quick.jobs.list(page=1, size=1)
                assert not finished  # the quick tenant was answered while every slow request still waited
                assert upstream.held == SHARE  # the slow tenant reached the API on its share, no more
                assert client.shares.in_flight(SLOW) == SHARE
            finally:
                upstream.release.set()
    assert page.data
    assert len(finished) == STALLED  # the slow tenant's requests beyond its share waited, then went through


async def test_the_pool_opens_no_more_connections_than_max_connections() -> None:
    upstream = HoldingUpstream()
    async with (
        served(upstream) as url,
        NinjahireClient(api_key=SLOW, base_url=url, max_connections=3) as client,
        anyio.create_task_group() as group,
    ):
        for _ in range(6):  # the client's own key: no share of its own, only the pool bounds it
            group.start_soon(partial(client.jobs.list, page=1, size=1))
        await upstream.until_held(3)
        await upstream.until_no_more_arrive()
        held = upstream.held
        upstream.release.set()
    assert held == 3


async def test_over_http_one_tenant_s_stalled_calls_do_not_hold_up_another_tenant_s_call() -> None:
    upstream = HoldingUpstream()
    results: list[bool] = []
    async with served(upstream) as api_url:
        # No key: each caller brings one. A timeout that no wait in this test comes near, on a loaded machine.
        settings = Settings(transport="streamable-http", base_url=api_url, timeout=300)
        app = CountingPosts(build_http_app(settings, build_server(settings)))  # the network transport, its pool
        async with served(app, lifespan="on") as url, mcp_client(url, SLOW) as slow, mcp_client(url, QUICK) as quick:

            async def stall(n: int) -> None:
                result = await slow.call_tool("get_jobs", {"size": 1, "source_id": f"slow-{n}"})
                results.append(result.is_error)

            async with anyio.create_task_group() as group:
                posted = app.posted
                for n in range(STALLED):
                    group.start_soon(stall, n)
                # Every slow call in the server, each on the API or waiting: for a connection, or for its share.
                await app.until_posted(posted + STALLED)
                await upstream.until_held(SHARE)
                await upstream.until_no_more_arrive()
                try:
                    with anyio.fail_after(20):
                        answer = await quick.call_tool("get_jobs", {"size": 1})
                    assert not results
                    assert upstream.held == SHARE
                finally:
                    upstream.release.set()
    assert not answer.is_error, answer.content
    assert json.loads(answer.content[0].text)["rows"]
    assert results == [False] * STALLED


async def test_a_call_that_cannot_get_a_slot_in_time_is_not_sent_and_names_the_setting() -> None:
    release = anyio.Event()
    seen: list[str | None] = []

    async def answer(request: httpx2.Request) -> httpx2.Response:
        seen.append(request.headers.get("authorization"))
        if request.headers.get("authorization") == f"Bearer {SLOW}":
            await release.wait()
        return httpx2.Response(200, json={"data": [], "count": 0})

    settings = Settings(transport="streamable-http", base_url="http://api.test", timeout=0.2, max_connections_per_key=1)
    app = build_http_app(settings, build_server(settings, transport=httpx2.MockTransport(answer)))
    async with (
        served(app, lifespan="on") as url,
        mcp_client(url, SLOW) as slow,
        mcp_client(url, QUICK) as quick,
        anyio.create_task_group() as group,
    ):
        group.start_soon(slow.call_tool, "get_jobs", {"size": 1})
        with anyio.fail_after(20):
            while not seen:
                await anyio.sleep(0.01)
        try:
            refused = await slow.call_tool("get_jobs", {"size": 2})
            other = await quick.call_tool("get_jobs", {"size": 1})  # another key's slots are its own
        finally:
            release.set()
    text = refused.content[0].text
    assert refused.is_error and "was not sent" in text and "NINJAHIRE_MAX_CONNECTIONS_PER_KEY=1" in text, text
    assert SLOW not in text and SLOW[:12] not in text
    assert not other.is_error
    assert seen == [f"Bearer {SLOW}", f"Bearer {QUICK}"]  # the refused call sent nothing


async def test_a_busy_share_raises_a_typed_error_and_forgets_the_key_once_idle() -> None:
    release = anyio.Event()

    async def answer(request: httpx2.Request) -> httpx2.Response:
        await release.wait()
        return httpx2.Response(200, json={"data": [], "count": 0})

    transport = httpx2.MockTransport(answer)
    async with NinjahireClient(api_key=None, transport=transport, timeout=0.2, max_connections_per_key=1) as client:
        tenant = client.with_api_key(SLOW)
        async with anyio.create_task_group() as group:
            group.start_soon(tenant.jobs.get, "6ba7b810-9dad-11d1-80b4-00c04fd430c8")
            with anyio.fail_after(20):
                while not client.shares.in_flight(SLOW):
                    await anyio.sleep(0.01)
            with pytest.raises(KeyBusyError) as caught:
                await tenant.jobs.list(page=1, size=1)
            release.set()
        assert caught.value.may_have_reached_server is False and caught.value.share == 1
        assert "busy_keys=0" in repr(client.shares)  # a key's slots are kept only while it has requests


async def test_a_pool_busy_for_the_whole_timeout_names_the_setting_that_sizes_it() -> None:
    def answer(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.PoolTimeout("no connection free")

    transport = httpx2.MockTransport(answer)
    async with NinjahireClient(api_key=None, transport=transport, timeout=12, retry=INSTANT_RETRY) as client:
        with pytest.raises(APITimeoutError) as caught:
            await client.with_api_key(QUICK).jobs.list(page=1, size=1)
    assert "every upstream connection (NINJAHIRE_MAX_CONNECTIONS) stayed busy for 12 s" in str(caught.value)
    assert caught.value.may_have_reached_server is False


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"NINJAHIRE_MAX_CONNECTIONS": "0"}, "NINJAHIRE_MAX_CONNECTIONS must be between 1 and 10000 connections"),
        ({"NINJAHIRE_MAX_CONNECTIONS_PER_KEY": "many"}, "NINJAHIRE_MAX_CONNECTIONS_PER_KEY must be a whole number"),
    ],
)
def test_a_connection_limit_that_is_no_positive_number_names_its_variable(env: dict[str, str], says: str) -> None:
    with pytest.raises(ConfigError, match=says):
        Settings.from_env(env)


def test_a_key_s_share_larger_than_the_pool_is_refused_with_the_fix() -> None:
    settings = Settings.from_env({"NINJAHIRE_MAX_CONNECTIONS": "20", "NINJAHIRE_MAX_CONNECTIONS_PER_KEY": "30"})
    with pytest.raises(ConfigError) as caught:
        settings.check()
    assert str(caught.value) == (
        "NINJAHIRE_MAX_CONNECTIONS_PER_KEY (30) cannot exceed NINJAHIRE_MAX_CONNECTIONS (20): "
        "lower the first or raise the second."
    )


def test_a_key_s_share_follows_the_pool_when_not_given() -> None:
    assert Settings().connections_per_key == SHARE == 25
    assert Settings(max_connections=8).connections_per_key == 2
    assert Settings(max_connections=8, max_connections_per_key=8).connections_per_key == 8
