"""Serving over HTTP: both transports, health, DNS-rebinding protection, access tokens, session ids,
and one server for many users, each with their own Ninjahire key."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client

from ninjahire_mcp.config import Settings
from ninjahire_mcp.http import build_http_app
from ninjahire_mcp.sandbox import create_app
from ninjahire_mcp.server import build_server

from ..support.serving import serving

MODES = ["auto", "legacy"]
INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "probe", "version": "1"}},
}
POST_HEADERS = {"content-type": "application/json", "accept": "application/json, text/event-stream"}


def http_settings(**overrides: Any) -> Settings:
    return Settings(**{"sandbox": True, "transport": "streamable-http", **overrides})


def app_for(settings: Settings, **server_options: Any) -> Any:
    return build_http_app(settings, build_server(settings, **server_options))


@asynccontextmanager
async def mcp_client(url: str, mode: str = "auto", headers: dict[str, str] | None = None) -> AsyncIterator[Client]:
    async with (
        httpx2.AsyncClient(headers=headers or {}, timeout=30) as http,
        Client(streamable_http_client(f"{url}/mcp", http_client=http), mode=mode) as client,
    ):
        yield client


@pytest.mark.parametrize("mode", MODES)
async def test_streamable_http_serves_the_same_tools_prompts_and_resources(mode: str) -> None:
    async with Client(build_server(Settings(sandbox=True))) as in_memory:
        expected_tools = {tool.name for tool in (await in_memory.list_tools()).tools}
        expected_prompts = {prompt.name for prompt in (await in_memory.list_prompts()).prompts}
    with serving(app_for(http_settings())) as url:
        async with mcp_client(url, mode) as client:
            tools = {tool.name for tool in (await client.list_tools()).tools}
            prompts = {prompt.name for prompt in (await client.list_prompts()).prompts}
            guide = await client.read_resource("ninjahire://guide")
            found = await client.call_tool("find_jobs", {"query": "LLM"})
            assert (client.instructions or "").startswith("SANDBOX MODE")
    assert tools == expected_tools and prompts == expected_prompts
    assert guide.contents and not found.is_error and "LLM Engineer" in found.content[0].text


async def test_sse_serves_the_same_tools() -> None:
    settings = Settings(sandbox=True, transport="sse")
    with serving(app_for(settings)) as url:
        async with Client(sse_client(f"{url}/sse")) as client:
            tools = {tool.name for tool in (await client.list_tools()).tools}
            result = await client.call_tool("get_jobs", {"size": 2})
    assert "get_jobs" in tools and "rank_applicants" in tools
    assert not result.is_error and json.loads(result.content[0].text)["size"] == 2


async def test_healthz_says_version_and_mode_and_nothing_secret() -> None:
    settings = Settings(api_key="nh_live_secret", transport="streamable-http", auth_token="mcp_secret")
    with serving(app_for(settings)) as url:
        response = httpx2.get(f"{url}/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": "0.1.0", "mode": "live", "transport": "streamable-http",
                               "stateless": False}  # fmt: skip
    assert "secret" not in response.text


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"host": "evil.example.com"}, 421),
        ({"origin": "http://evil.example.com"}, 403),
        ({"origin": "https://evil.example.com:443"}, 403),
        ({"origin": "http://localhost:6274"}, 200),  # the MCP Inspector on loopback
        ({}, 200),
    ],
)
def test_forged_host_and_origin_are_refused_on_loopback(headers: dict[str, str], status: int) -> None:
    with serving(app_for(http_settings())) as url:
        response = httpx2.post(f"{url}/mcp", headers={**POST_HEADERS, **headers}, json=INIT)
    assert response.status_code == status, response.text


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"host": "mcp.example.com"}, 200),
        ({"host": "mcp.example.com:8443"}, 200),
        ({"host": "evil.example.com"}, 421),
        ({"host": "mcp.example.com", "origin": "https://mcp.example.com"}, 200),
        ({"host": "mcp.example.com", "origin": "https://app.example.com"}, 200),
        ({"host": "mcp.example.com", "origin": "https://evil.example.com"}, 403),
    ],
)
def test_an_allow_list_protects_every_bind_address(headers: dict[str, str], status: int) -> None:
    settings = http_settings(host="0.0.0.0", allowed_hosts=("mcp.example.com",),
                             allowed_origins=("https://mcp.example.com", "https://app.example.com"))  # fmt: skip
    with serving(app_for(settings), host="0.0.0.0") as url:
        response = httpx2.post(f"{url}/mcp", headers={**POST_HEADERS, **headers}, json=INIT)
    assert response.status_code == status, response.text


@pytest.mark.parametrize("transport", ["streamable-http", "sse"])
def test_a_token_guards_every_mcp_endpoint_and_leaves_health_open(transport: str) -> None:
    settings = Settings(sandbox=True, transport=transport, auth_token="mcp_s3cret")
    paths = ["/mcp"] if transport == "streamable-http" else ["/sse", "/messages/?session_id=00"]
    with serving(app_for(settings)) as url:
        for path in paths:
            for auth in (None, "Bearer wrong", "mcp_s3cret", "Bearer mcp_s3cret2", "Basic mcp_s3cret", "Bearer"):
                headers = {**POST_HEADERS, **({"authorization": auth} if auth else {})}
                response = httpx2.post(f"{url}{path}", headers=headers, json=INIT)
                assert response.status_code == 401, (path, auth)
                assert response.headers["www-authenticate"].startswith("Bearer")
        health = httpx2.get(f"{url}/healthz")
    assert health.status_code == 200


@pytest.mark.parametrize(("mode", "scheme"), [("auto", "Bearer"), ("legacy", "Bearer"), ("auto", "bearer")])
async def test_the_right_token_is_let_through(mode: str, scheme: str) -> None:
    with serving(app_for(http_settings(auth_token="mcp_s3cret"))) as url:
        async with mcp_client(url, mode, {"authorization": f"{scheme} mcp_s3cret"}) as client:
            result = await client.call_tool("get_jobs", {"size": 1})
    assert not result.is_error


@pytest.mark.parametrize("transport", ["streamable-http", "sse"])
def test_session_ids_carry_128_random_bits(transport: str) -> None:
    with serving(app_for(http_settings(transport=transport))) as url:
        ids = [_new_session_id(url, transport) for _ in range(48)]
    assert len(set(ids)) == 48 and all(re.fullmatch("[0-9a-f]{32}", i) for i in ids)
    # uuid4 (122 random bits) always has 4 as its 13th hex digit and 8, 9, a or b as its 17th: with
    # 128 random bits, 48 ids all keeping either by chance has a probability below 1e-28.
    assert {i[12] for i in ids} != {"4"} and not {i[16] for i in ids} <= set("89ab")


def _new_session_id(url: str, transport: str) -> str:
    if transport == "streamable-http":
        return httpx2.post(f"{url}/mcp", headers=POST_HEADERS, json=INIT).headers["mcp-session-id"]
    # SSE: the first event names the endpoint to post to, with the session id in its query.
    with httpx2.stream("GET", f"{url}/sse", headers={"accept": "text/event-stream"}) as stream:
        endpoint = next(line for line in stream.iter_lines() if line.startswith("data:"))
    return endpoint.split("session_id=", 1)[1].strip()


@pytest.mark.parametrize("mode", MODES)
async def test_without_a_server_key_each_request_brings_its_own(mode: str) -> None:
    emulator = create_app()
    settings = Settings(transport="streamable-http", base_url="http://sandbox.test")
    with serving(app_for(settings, transport=httpx2.ASGITransport(app=emulator))) as url:
        async with mcp_client(url, mode) as anonymous:
            listed = await anonymous.list_tools()  # listing needs no key
            refused = await anonymous.call_tool("get_jobs", {})
        async with mcp_client(url, mode, {"x-ninjahire-api-key": "nh_tenant_a"}) as tenant:
            allowed = await tenant.call_tool("get_jobs", {"size": 1})
    assert listed.tools
    assert refused.is_error and "X-Ninjahire-Api-Key" in refused.content[0].text
    assert not allowed.is_error
    keys = [record.api_key for record in emulator.state.emulator.request_log]
    assert keys == ["nh_tenant_a"]  # the refused call sent nothing


async def test_a_server_that_holds_a_key_serves_that_tenant_and_ignores_the_header() -> None:
    emulator = create_app()
    settings = Settings(api_key="nh_server", transport="streamable-http", base_url="http://sandbox.test")
    with serving(app_for(settings, transport=httpx2.ASGITransport(app=emulator))) as url:
        async with mcp_client(url, headers={"x-ninjahire-api-key": "nh_intruder"}) as client:
            await client.call_tool("get_jobs", {"size": 1})
    assert [record.api_key for record in emulator.state.emulator.request_log] == ["nh_server"]


async def test_two_users_many_interleaved_calls_each_under_their_own_key() -> None:
    emulator = create_app()
    settings = Settings(transport="streamable-http", base_url="http://sandbox.test")
    calls_each = 150
    with serving(app_for(settings, transport=httpx2.ASGITransport(app=emulator))) as url:

        async def user(name: str, mode: str) -> None:
            async with (
                mcp_client(url, mode, {"x-ninjahire-api-key": f"nh_key_{name}"}) as client,
                anyio.create_task_group() as group,
            ):
                for n in range(calls_each):
                    group.start_soon(client.call_tool, "get_jobs", {"size": 1, "source_id": f"{name}-{n}"})

        async with anyio.create_task_group() as group:
            group.start_soon(user, "alice", "auto")
            group.start_soon(user, "bob", "legacy")

    seen = [r for r in emulator.state.emulator.request_log if "source_id=" in r.query]
    assert len(seen) == 2 * calls_each
    for record in seen:
        owner = record.query.split("source_id=")[1].split("-")[0]
        assert record.api_key == f"nh_key_{owner}", record


async def test_resources_and_completions_read_with_the_caller_s_key() -> None:
    from mcp import MCPError
    from mcp.types import ResourceTemplateReference

    emulator = create_app()
    settings = Settings(transport="streamable-http", base_url="http://sandbox.test")
    template = ResourceTemplateReference(type="ref/resource", uri="ninjahire://jobs/{job_id}")
    with serving(app_for(settings, transport=httpx2.ASGITransport(app=emulator))) as url:
        async with mcp_client(url, headers={"x-ninjahire-api-key": "nh_key_carol"}) as client:
            completion = await client.complete(template, {"name": "job_id", "value": "LLM"})
            job = await client.read_resource(f"ninjahire://jobs/{completion.completion.values[0]}")
        async with mcp_client(url) as anonymous:
            nothing = await anonymous.complete(template, {"name": "job_id", "value": "LLM"})
            with pytest.raises(MCPError, match="X-Ninjahire-Api-Key"):
                await anonymous.read_resource(f"ninjahire://jobs/{completion.completion.values[0]}")
    assert "LLM Engineer" in job.contents[0].text and nothing.completion.values == []
    assert {record.api_key for record in emulator.state.emulator.request_log} == {"nh_key_carol"}


async def test_each_tenant_has_its_own_call_budget_and_cool_down() -> None:
    emulator = create_app(call_duration=60, clock=lambda: 0.0)
    settings = Settings(transport="streamable-http", base_url="http://sandbox.test", confirm=False, max_calls_per_day=1)
    with serving(app_for(settings, transport=httpx2.ASGITransport(app=emulator))) as url:
        placed = []
        for tenant, index in (("nh_tenant_a", 0), ("nh_tenant_a", 1), ("nh_tenant_b", 2)):
            async with mcp_client(url, "auto", {"x-ninjahire-api-key": tenant}) as client:
                page = json.loads((await client.call_tool("get_applications", {"size": 100})).content[0].text)
                ids = [row[page["columns"].index("id")] for row in page["rows"]]
                status = [row[page["columns"].index("screening_status")] for row in page["rows"]]
                pending = [i for i, s in zip(ids, status, strict=True) if s == "pending"]
                result = await client.call_tool("instant_call", {"application_id": pending[index]})
                placed.append((tenant, result.is_error, result.content[0].text))
    assert placed[0][1] is False  # tenant A's one call of the day
    assert placed[1][1] is True and "daily call budget" in placed[1][2]  # A's budget is spent...
    assert placed[2][1] is False, placed[2][2]  # ...and B's is its own
