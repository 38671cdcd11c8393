"""A restart while a call is on its way: SIGTERM lets the calls in flight finish and reach their callers
(streamable HTTP in both protocol eras, and SSE), tells a caller whose call outlasts the timeout that it may
have happened, and refuses what arrives meanwhile with 503. The server runs live, as an operator runs it,
against an emulator that takes its time to place a call."""

from __future__ import annotations

import json
import signal
import subprocess
from collections.abc import Awaitable, Callable, Iterator
from contextlib import AbstractAsyncContextManager, contextmanager
from fnmatch import fnmatchcase

import anyio
import httpx2
import pytest
from mcp import Client, MCPError
from mcp.client.sse import sse_client
from mcp.types import CallToolResult, ElicitResult
from starlette.applications import Starlette

from ninjahire_mcp.sandbox import create_app
from ninjahire_mcp.surface.events import EVENTS_URI

from ..support.api import API_KEY, records
from ..support.serving import server_process, serving

pytestmark = pytest.mark.subprocess
# Far beyond any answer these tests wait for: a stream that ends (or never does) fails the test, not hangs it.
HANG_GUARD = 30


# What each tool the tests call sends to the API (the emulator records a request on arrival).
SENDS = {"instant_call": ("POST", "/v1/applications/*/instant-call"), "get_jobs": ("GET", "/v1/jobs")}


@contextmanager
def slow_api(seconds: float, tool: str = "instant_call") -> Iterator[tuple[str, Starlette]]:
    """The emulator, taking `seconds` to answer the first request `tool` sends."""
    method, path = SENDS[tool]
    app = create_app(faults=[{"kind": "latency", "method": method, "path": path, "seconds": seconds}])
    with serving(app) as url:
        yield url, app


def sent(api: Starlette, tool: str = "instant_call") -> int:
    method, path = SENDS[tool]
    return sum(1 for r in api.state.emulator.request_log if r.method == method and fnmatchcase(r.path, path))


async def drain_begun(url: str) -> None:
    """Until the server says it is no longer healthy: from then on, it is draining."""
    async with httpx2.AsyncClient(timeout=HANG_GUARD) as probe:
        while (await probe.get(f"{url}/healthz")).status_code != 503:
            await anyio.sleep(0.02)


@contextmanager
def live_server(
    api_url: str, transport: str, shutdown_timeout: float, *, confirm: bool = False, **env: str
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    env |= {"NINJAHIRE_API_KEY": API_KEY, "NINJAHIRE_BASE_URL": api_url}
    args = ["--transport", transport, "--shutdown-timeout", f"{shutdown_timeout:g}"]
    with server_process(*args, *([] if confirm else ["--no-confirm"]), env=env) as served:
        yield served


def connect(url: str, era: str) -> AbstractAsyncContextManager[Client]:
    if era == "sse":
        return Client(sse_client(f"{url}/sse"))
    return Client(f"{url}/mcp", mode="legacy" if era == "2025" else "auto")


async def call_across_sigterm(
    client: AbstractAsyncContextManager[Client],
    process: subprocess.Popen[str],
    api: Starlette,
    *,
    tool: str = "instant_call",
    meanwhile: Callable[[Client], Awaitable[object]] | None = None,
) -> CallToolResult | BaseException:
    """Call `tool` (instant_call: place a call), send SIGTERM while its request is at the API, and return what
    the client got for it (an exception when the answer never came). `meanwhile(client)` runs once the signal
    is sent, the call still in flight."""
    got: list[CallToolResult | BaseException] = []
    with anyio.fail_after(HANG_GUARD):
        async with client as connected:
            arguments = {}
            if tool == "instant_call":
                listed = await connected.call_tool("get_applications", {"size": 1})
                arguments["application_id"] = records(json.loads(listed.content[0].text))[0]["id"]

            async def place() -> None:
                try:
                    got.append(await connected.call_tool(tool, arguments))
                except Exception as error:  # the answer that never came
                    got.append(error)

            async with anyio.create_task_group() as group:
                group.start_soon(place)
                while not sent(api, tool):
                    await anyio.sleep(0.02)
                process.send_signal(signal.SIGTERM)
                if meanwhile is not None:
                    await meanwhile(connected)
    return got[0]


def answer(result: CallToolResult | BaseException) -> tuple[bool, str]:
    """Whether the tool's answer is an error, and its text; fails the test when no answer came."""
    assert isinstance(result, CallToolResult), f"the call's answer was lost in the shutdown: {result!r}"
    return result.is_error, "".join(str(getattr(block, "text", "")) for block in result.content)


def instant_call_across_sigterm(era: str, *, api_seconds: float, shutdown_timeout: float) -> tuple[bool, str, int]:
    """An instant_call whose POST takes `api_seconds` at the API, SIGTERM sent while it is there: whether the
    answer is an error, its text, and how many POSTs reached the API. The server must exit 0."""
    transport = "sse" if era == "sse" else "streamable-http"
    with (
        slow_api(seconds=api_seconds) as (api_url, api),
        live_server(api_url, transport, shutdown_timeout=shutdown_timeout) as (process, url),
    ):
        result = anyio.run(lambda: call_across_sigterm(connect(url, era), process, api))
        assert process.wait(timeout=HANG_GUARD) == 0
        placed = sent(api)
    return (*answer(result), placed)


@pytest.mark.parametrize("era", ["2025", "2026", "sse"])
def test_a_call_in_flight_at_sigterm_is_answered_with_its_result_and_placed_once(era: str) -> None:
    is_error, text, placed = instant_call_across_sigterm(era, api_seconds=2, shutdown_timeout=10)
    assert not is_error, text
    assert json.loads(text)["call_id"]  # the API's answer, as the tool gives it
    assert placed == 1


@pytest.mark.parametrize("era", ["2025", "2026", "sse"])
def test_a_call_outlasting_the_shutdown_timeout_is_answered_that_it_may_have_happened(era: str) -> None:
    is_error, text, _placed = instant_call_across_sigterm(era, api_seconds=3, shutdown_timeout=1)
    assert is_error
    assert text.startswith("OUTCOME UNKNOWN") and "may already have happened" in text
    assert "get_screening_results" in text  # how to check before trying again


def test_a_read_outlasting_the_shutdown_timeout_is_answered_that_it_changed_nothing() -> None:
    with slow_api(seconds=3, tool="get_jobs") as (api_url, api), live_server(api_url, "sse", 1) as (process, url):
        result = anyio.run(lambda: call_across_sigterm(connect(url, "sse"), process, api, tool="get_jobs"))
        assert process.wait(timeout=HANG_GUARD) == 0
    is_error, text = answer(result)
    assert is_error and "before this call finished; it changed nothing. Call it again." in text


def test_a_request_arriving_while_calls_drain_is_refused_with_503_and_told_to_retry() -> None:
    with slow_api(seconds=3) as (api_url, api), live_server(api_url, "streamable-http", 10) as (process, url):
        refused: list[httpx2.Response] = []

        async def scenario() -> CallToolResult | BaseException:
            async with httpx2.AsyncClient(timeout=HANG_GUARD) as http:

                async def post_a_request(_client: Client) -> None:
                    await drain_begun(url)
                    request = {"jsonrpc": "2.0", "id": 7, "method": "tools/list", "params": {}}
                    headers = {"Accept": "application/json, text/event-stream", "MCP-Protocol-Version": "2025-11-25"}
                    refused.append(await http.post(f"{url}/mcp", json=request, headers=headers))

                return await call_across_sigterm(connect(url, "2025"), process, api, meanwhile=post_a_request)

        result = anyio.run(scenario)
        assert process.wait(timeout=HANG_GUARD) == 0
    assert json.loads(answer(result)[1])["call_id"]  # the call in flight still finished
    [response] = refused
    assert response.status_code == 503 and response.headers["retry-after"]
    error = response.json()["error"]
    assert response.json()["id"] == 7 and "shutting down" in error["message"] and "again" in error["message"]


def test_the_person_s_answer_to_a_call_s_question_still_reaches_it_during_the_drain() -> None:
    # 2025 era: the server asks "Phone …?" inside the call, and the answer comes back in a POST of its own.
    with slow_api(seconds=0) as (api_url, api), live_server(api_url, "streamable-http", 10, confirm=True) as served:
        process, url = served

        async def answer_once_draining(_context: object, _params: object) -> ElicitResult:
            process.send_signal(signal.SIGTERM)
            await drain_begun(url)
            return ElicitResult(action="accept", content={"confirm": True})

        async def scenario() -> CallToolResult:
            with anyio.fail_after(HANG_GUARD):
                async with Client(f"{url}/mcp", mode="legacy", elicitation_callback=answer_once_draining) as client:
                    listed = await client.call_tool("get_applications", {"size": 1})
                    application = records(json.loads(listed.content[0].text))[0]["id"]
                    return await client.call_tool("instant_call", {"application_id": application})

        result = anyio.run(scenario)
        assert process.wait(timeout=HANG_GUARD) == 0
        placed = sent(api)
    is_error, text = answer(result)
    assert not is_error and json.loads(text)["call_id"], text
    assert placed == 1


def test_a_request_on_an_sse_session_while_calls_drain_is_refused_on_its_stream() -> None:
    # An SSE client reads every answer from its stream: a refused POST would only end its writer.
    with slow_api(seconds=3) as (api_url, api), live_server(api_url, "sse", 10) as (process, url):
        refused: list[BaseException] = []

        async def list_tools(client: Client) -> None:
            await drain_begun(url)
            with pytest.raises(MCPError) as raised:
                await client.list_tools()
            refused.append(raised.value)

        result = anyio.run(lambda: call_across_sigterm(connect(url, "sse"), process, api, meanwhile=list_tools))
        assert process.wait(timeout=HANG_GUARD) == 0
    assert json.loads(answer(result)[1])["call_id"]  # the call in flight still finished
    [error] = refused
    assert "shutting down" in str(error) and "Send this request again" in str(error)


def test_a_listener_is_told_its_stream_ends_and_does_not_hold_the_shutdown() -> None:
    # A 2026-era listener waits for news, not for an answer: waiting for it would take the whole timeout.
    inbox = {"NINJAHIRE_WEBHOOK_SECRET": "whsec_shutdown_test"}
    with slow_api(seconds=0) as (api_url, _), live_server(api_url, "streamable-http", 60, **inbox) as (process, url):

        async def scenario() -> list[object]:
            with anyio.fail_after(HANG_GUARD):
                async with Client(f"{url}/mcp") as client, client.listen(resource_subscriptions=[EVENTS_URI]) as events:
                    process.send_signal(signal.SIGTERM)
                    return [event async for event in events]  # ends without SubscriptionLost: a graceful close

        told = anyio.run(scenario)
        assert process.wait(timeout=HANG_GUARD) == 0
    assert told == []
