"""The Tasks extension through the MCP client: a client that declares `io.modelcontextprotocol/tasks` gets a
task handle from a confirmed instant_call and from wait_for_call, tasks/get gives `working` and then the
screening report, tasks/cancel stops the waiting (never the call, and says so); a client that does not
declare it, and every 2025-era connection, sees today's results; another caller cannot see the task.

The server's clock is held: its waits sleep only when the test lets time pass, so `working` is seen before
the call ends (the emulator's call lasts 60 s of the same clock)."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, Literal

import anyio
import httpx2
import pytest
from mcp import Client, MCPError
from mcp.client.extension import ClaimContext, ClientExtension, ResultClaim, advertise
from mcp.client.streamable_http import streamable_http_client
from mcp.types import CallToolResult, ElicitRequest, ElicitResult, InputRequiredResult
from mcp_types import Request, Result
from pydantic import ConfigDict, TypeAdapter

from ninjahire_mcp.config import Settings
from ninjahire_mcp.http import build_http_app
from ninjahire_mcp.sandbox import create_app
from ninjahire_mcp.server import build_server
from ninjahire_mcp.toolkit import Timing

from ..support.api import call, records
from ..support.clock import Clock
from ..support.sandbox import llm_job
from ..support.serving import serving

TASKS = "io.modelcontextprotocol/tasks"
CALL_DURATION = 60.0
ANSWER = TypeAdapter(dict[str, Any])


class TaskHandle(Result):
    """A CreateTaskResult as the client receives it: the Task's fields, kept as sent."""

    model_config = ConfigDict(extra="allow")
    result_type: Literal["task"] = "task"

    @property
    def task(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


async def _not_resolved_here(_handle: TaskHandle, _ctx: ClaimContext) -> CallToolResult:
    raise AssertionError("the tests read the handle themselves (session.call_tool(allow_claimed=True))")


class DeclaresTasks(ClientExtension):
    """The client side of the extension: declares it on each 2026-era request, and parses a task handle."""

    identifier = TASKS

    def claims(self) -> list[ResultClaim[Any]]:
        return [ResultClaim(result_type="task", model=TaskHandle, resolve=_not_resolved_here)]


class TaskRequest(Request[dict[str, Any], str]):
    name_param = "taskId"  # the spec's Mcp-Name header over HTTP


async def task_method(client: Client, method: str, task_id: str) -> dict[str, Any]:
    return await client.session.send_request(TaskRequest(method=method, params={"taskId": task_id}), ANSWER)


async def call_as_task(client: Client, tool: str, **arguments: Any) -> dict[str, Any]:
    handle = await client.session.call_tool(tool, arguments, allow_claimed=True)
    assert isinstance(handle, TaskHandle), handle
    return handle.task


class HeldClock(Clock):
    """The server's and the emulator's clock: a sleep waits until the test lets time pass, then moves it."""

    def __init__(self) -> None:
        super().__init__()
        self.passing = anyio.Event()

    async def sleep(self, seconds: float) -> None:
        await self.passing.wait()
        self.now += seconds


@pytest.fixture
def clock() -> HeldClock:
    return HeldClock()


@pytest.fixture
def server_for(clock: HeldClock) -> Callable[..., Any]:
    def build(**settings: Any) -> Any:
        emulator = httpx2.ASGITransport(app=create_app(call_duration=CALL_DURATION, clock=clock))
        timing = Timing(monotonic=clock, sleep=clock.sleep)
        return build_server(Settings(sandbox=True, **settings), transport=emulator, timing=timing)

    return build


async def pending_application(client: Client, index: int = 0) -> str:
    job = await llm_job(client)
    applications = records(await call(client, "get_applications", job_id=job["id"], size=100))
    return str([a for a in applications if a["screening_status"] == "pending"][index]["id"])


async def confirmed_call_as_task(client: Client, application_id: str) -> dict[str, Any]:
    """instant_call as the confirm flow has it: the preview is an ordinary result, its token places the call."""
    preview = await client.call_tool("instant_call", {"application_id": application_id})
    assert isinstance(preview, CallToolResult) and not preview.is_error
    assert preview.structured_content is not None and preview.structured_content["status"] == "confirmation_required"
    token = preview.structured_content["confirm_token"]
    return await call_as_task(client, "instant_call", application_id=application_id, confirm_token=token)


async def until_ended(client: Client, task_id: str) -> dict[str, Any]:
    for _ in range(500):
        task = await task_method(client, "tasks/get", task_id)
        if task["status"] != "working":
            return task
        await anyio.sleep(0.01)
    raise AssertionError(f"task {task_id} still working: {task}")


def call_id_in(message: str) -> str:
    found = re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", message)
    assert found, message
    return found.group(0)


def without_meta(result: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in result.items() if key != "_meta"}


# ---- a declaring client ------------------------------------------------------------------------------------


async def test_a_confirmed_instant_call_is_a_task_whose_result_is_the_screening_report(
    clock: HeldClock, server_for: Callable[..., Any]
) -> None:
    server = server_for()
    async with Client(server, extensions=[DeclaresTasks()]) as client:
        assert client.protocol_version == "2026-07-28"
        handle = await confirmed_call_as_task(client, await pending_application(client))
        assert handle["status"] == "working" and len(handle["taskId"]) >= 32
        assert handle["ttlMs"] == 86_400_000 and handle["pollIntervalMs"] == 5000
        assert handle["createdAt"].endswith("Z") and handle["lastUpdatedAt"].endswith("Z")
        call_id = call_id_in(handle["statusMessage"])  # the agent learns which call was placed

        working = await task_method(client, "tasks/get", handle["taskId"])
        assert working["resultType"] == "complete" and working["status"] == "working" and "result" not in working
        # Nothing is ever asked of the client during the task: an update is acknowledged, and changes nothing.
        assert without_meta(await task_method(client, "tasks/update", handle["taskId"])) == {"resultType": "complete"}

        clock.passing.set()
        ended = await until_ended(client, handle["taskId"])

    assert ended["status"] == "completed" and "has ended" in ended["statusMessage"]
    assert clock.now - 1000.0 >= CALL_DURATION  # waited, in the background, for the whole call
    async with Client(server) as plain:  # what wait_for_call gives once the call has ended
        report = await plain.call_tool("wait_for_call", {"call_id": call_id})
    expected = report.model_dump(by_alias=True, mode="json", exclude_none=True)
    assert without_meta(ended["result"]) == without_meta(expected)
    shown = json.loads(ended["result"]["content"][0]["text"])
    assert shown["call_status"] in ("call_completed", "call_failed") and "next" not in shown


async def test_wait_for_call_is_a_task_that_keeps_waiting_past_the_wait_limit(
    clock: HeldClock, server_for: Callable[..., Any]
) -> None:
    server = server_for(confirm=False)  # the call placed at once: this test is about the wait
    async with Client(server) as plain:
        started = await call(plain, "instant_call", application_id=await pending_application(plain))
    async with Client(server, extensions=[DeclaresTasks()]) as client:
        handle = await call_as_task(client, "wait_for_call", call_id=started["call_id"], timeout_s=10)
        assert handle["status"] == "working" and started["call_id"] in handle["statusMessage"]
        clock.passing.set()
        ended = await until_ended(client, handle["taskId"])
    report = json.loads(ended["result"]["content"][0]["text"])
    assert ended["status"] == "completed" and not ended["result"]["isError"]
    assert report["call_status"] != "call_in_progress" and "next" not in report
    assert clock.now - 1000.0 >= CALL_DURATION > 45  # longer than one wait (NINJAHIRE_WAIT_LIMIT) may last


@pytest.mark.parametrize(("answer", "task"), [("accept", True), ("decline", False)])
async def test_with_elicitation_the_task_exists_only_once_the_person_said_yes(
    server_for: Callable[..., Any], answer: str, task: bool
) -> None:
    async def never(_ctx: Any, _params: Any) -> ElicitResult:
        raise AssertionError("the test answers the question itself")

    # An elicitation callback declares form elicitation: the server may ask instead of previewing.
    async with Client(server_for(), extensions=[DeclaresTasks()], elicitation_callback=never) as client:
        application = await pending_application(client)
        arguments = {"application_id": application}
        # The 2026-era question is a round of its own: an ordinary InputRequiredResult, no task yet.
        question = await client.session.call_tool(
            "instant_call", arguments, allow_input_required=True, allow_claimed=True
        )
        assert isinstance(question, InputRequiredResult) and question.input_requests
        (key, asked), *_ = question.input_requests.items()
        assert isinstance(asked, ElicitRequest) and "Do you confirm?" in asked.params.message
        said = ElicitResult(action="accept", content={"confirm": True}) if task else ElicitResult(action="decline")
        result = await client.session.call_tool(
            "instant_call",
            arguments,
            input_responses={key: said},
            request_state=question.request_state,
            allow_input_required=True,
            allow_claimed=True,
        )
    if task:
        assert isinstance(result, TaskHandle) and result.task["status"] == "working"
    else:
        assert isinstance(result, CallToolResult) and "Nothing was done" in result.content[0].text


async def test_cancel_stops_the_waiting_says_the_call_goes_on_and_how_to_follow_it(
    clock: HeldClock, server_for: Callable[..., Any]
) -> None:
    server = server_for()
    async with Client(server, extensions=[DeclaresTasks()]) as client:
        handle = await confirmed_call_as_task(client, await pending_application(client))
        call_id = call_id_in(handle["statusMessage"])
        ack = await task_method(client, "tasks/cancel", handle["taskId"])
        notice = ack["_meta"]["co.ninjahire/notice"]
        assert ack["resultType"] == "complete"
        assert "NOT stopped" in notice and f"get_call(call_id='{call_id}')" in notice and "wait_for_call" in notice

        clock.passing.set()  # time passes: the call goes on and ends, the cancelled task stays cancelled
        for _ in range(20):
            await anyio.sleep(0.01)
        cancelled = await task_method(client, "tasks/get", handle["taskId"])
        again = await task_method(client, "tasks/cancel", handle["taskId"])
    assert cancelled["status"] == "cancelled" and "result" not in cancelled
    assert "NOT stopped" in cancelled["statusMessage"]
    assert "already ended (cancelled)" in again["_meta"]["co.ninjahire/notice"]
    async with Client(server) as plain:
        call_now = await call(plain, "get_call", call_id=call_id)
    # The clock stood still (no wait slept once time could pass), and nobody hung up: the call is in progress.
    assert clock.now == 1000.0 and call_now["call_status"] == "call_in_progress"


@pytest.mark.parametrize(
    "arguments",
    [{"call_id": "call-1"}, {"call_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "timeout_s": 0}, {"cal_id": "x"}],
    ids=["not-a-uuid", "timeout-out-of-bounds", "misspelt"],
)
async def test_arguments_the_tool_refuses_are_refused_at_once_not_as_a_task(arguments: dict[str, Any]) -> None:
    async with Client(build_server(Settings(sandbox=True)), extensions=[DeclaresTasks()]) as client:
        result = await client.session.call_tool("wait_for_call", arguments, allow_claimed=True)
    assert isinstance(result, CallToolResult) and result.is_error


async def test_an_unknown_task_is_invalid_params() -> None:
    async with Client(build_server(Settings(sandbox=True)), extensions=[DeclaresTasks()]) as client:
        for method, verb in (("tasks/get", "retrieve"), ("tasks/cancel", "cancel"), ("tasks/update", "update")):
            with pytest.raises(MCPError) as raised:
                await task_method(client, method, "no-such-task")
            assert raised.value.error.code == -32602
            assert raised.value.error.message == f"Failed to {verb} task: Task not found"


async def test_a_task_past_its_ttl_has_expired(clock: HeldClock) -> None:
    emulator = httpx2.ASGITransport(app=create_app(call_duration=CALL_DURATION, clock=clock))
    timing = Timing(wall=clock, monotonic=clock, sleep=clock.sleep)
    server = build_server(Settings(sandbox=True, confirm=False), transport=emulator, timing=timing)
    async with Client(server, extensions=[DeclaresTasks()]) as client:
        placed = await call(client, "get_screening_results", size=1)  # a call that has ended long ago
        handle = await call_as_task(client, "wait_for_call", call_id=records(placed)[0]["call_id"])
        clock.now += handle["ttlMs"] / 1000 + 1
        with pytest.raises(MCPError) as raised:
            await task_method(client, "tasks/get", handle["taskId"])
        with pytest.raises(MCPError) as forgotten:  # and then it is gone
            await task_method(client, "tasks/get", handle["taskId"])
    assert raised.value.error.code == -32602 and raised.value.error.message.endswith("Task has expired")
    assert forgotten.value.error.message.endswith("Task not found")


async def test_the_server_advertises_the_extension() -> None:
    async with Client(build_server(Settings(sandbox=True))) as client:
        capabilities = client.server_capabilities
    assert capabilities is not None and capabilities.extensions == {TASKS: {}, "io.modelcontextprotocol/ui": {}}


# ---- clients that do not declare it: no change ------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "extensions"),
    [("auto", []), ("legacy", []), ("legacy", [advertise(TASKS)])],
    ids=["2026-not-declared", "2025", "2025-declared-in-initialize"],
)
async def test_a_client_without_the_extension_sees_todays_results(
    clock: HeldClock, server_for: Callable[..., Any], mode: str, extensions: list[ClientExtension]
) -> None:
    # SEP-2663: on 2025-era connections the extension is not defined, even when initialize names it.
    clock.passing.set()
    async with Client(server_for(wait_limit=300, confirm=False), mode=mode, extensions=extensions) as client:
        placed = await call(client, "instant_call", application_id=await pending_application(client))
        assert set(placed) >= {"call_id", "next"} and "wait_for_call" in placed["next"]
        waited = await client.call_tool("wait_for_call", {"call_id": placed["call_id"], "timeout_s": 300})
        assert isinstance(waited, CallToolResult) and not waited.is_error
        assert json.loads(waited.content[0].text)["call_status"] != "call_in_progress"
        with pytest.raises(MCPError) as raised:
            await task_method(client, "tasks/get", "any")
    # 2026 era without the declaration: missing capability; 2025 era: the method does not exist there.
    assert raised.value.error.code == (-32021 if mode == "auto" else -32601)


# ---- whose task it is --------------------------------------------------------------------------------------


@asynccontextmanager
async def http_client(url: str, key: str) -> AsyncIterator[Client]:
    async with (
        httpx2.AsyncClient(headers={"X-Ninjahire-Api-Key": key}, timeout=30) as http,
        Client(streamable_http_client(f"{url}/mcp", http_client=http), extensions=[DeclaresTasks()]) as client,
    ):
        yield client


async def test_another_caller_can_neither_read_nor_cancel_the_task() -> None:
    settings = Settings(sandbox=True, transport="streamable-http")
    with serving(build_http_app(settings, build_server(settings))) as url:
        async with http_client(url, "key-of-ann") as ann:
            handle = await confirmed_call_as_task(ann, await pending_application(ann))
        async with http_client(url, "key-of-bob") as bob:
            for method in ("tasks/get", "tasks/cancel"):
                with pytest.raises(MCPError) as raised:
                    await task_method(bob, method, handle["taskId"])
                assert raised.value.error.code == -32602 and raised.value.error.message.endswith("Task not found")
        async with http_client(url, "key-of-ann") as ann_again:  # a new connection, the same credentials
            task = await task_method(ann_again, "tasks/get", handle["taskId"])
    assert task["taskId"] == handle["taskId"] and task["status"] in ("working", "completed")
