"""The whole loop, locally: instant_call -> the sandbox call ends -> the sandbox POSTs a signed webhook
-> the inbox (served by uvicorn on loopback) stores it -> the agent is notified and reads it.

Also the sandbox's side on its own: what it sends, signed how, once per call, and again on failure.
"""

from __future__ import annotations

import inspect
import json
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client
from starlette.applications import Starlette

from ninjahire_mcp.config import Settings
from ninjahire_mcp.inbox import WEBHOOK_PATH, EventFilter, EventStore, Inbox
from ninjahire_mcp.sandbox import SANDBOX_API_KEY, WebhookPusher, create_app
from ninjahire_mcp.server import build_server
from ninjahire_mcp.surface.events import EVENTS_URI

from ..support.api import call, records
from ..support.clock import Clock as EmulatorClock
from ..support.serving import served
from ..support.webhooks import SECRET, inbox_app, signature

MODES = ["auto", "legacy"]


def pending_application(app: Starlette) -> dict[str, Any]:
    """An application never called yet, straight from the emulator's state."""
    emulator = app.state.emulator
    return next(a for a in emulator.applications.values() if not emulator.calls_by_application.get(a["id"]))


async def until(condition: Callable[[], Any], *, within: float = 10.0) -> Any:
    """`condition()` (awaited if need be) once it is truthy; polls briefly, fails after `within` s."""
    with anyio.fail_after(within):
        while True:
            found = condition()
            if inspect.isawaitable(found):
                found = await found
            if found:
                return found
            await anyio.sleep(0.02)


@pytest.fixture
async def inbox(tmp_path: Path) -> AsyncIterator[Inbox]:
    inbox = Inbox(secret=SECRET, store=EventStore(tmp_path / "events.sqlite3"))  # real clock: real timestamps
    yield inbox
    await inbox.close()


@pytest.mark.parametrize("mode", MODES)
async def test_an_instant_call_s_end_arrives_as_an_event_the_agent_reads(inbox: Inbox, mode: str) -> None:
    async with served(inbox_app(inbox)) as inbox_url:
        hook = f"{inbox_url}{WEBHOOK_PATH}"
        sandbox = create_app(call_duration=0.2, webhook_url=hook, webhook_secret=SECRET)
        settings = Settings(sandbox=True, confirm=False, webhook_secret=SECRET, sandbox_webhook_url=hook)
        server = build_server(settings, transport=httpx2.ASGITransport(app=sandbox), inbox=inbox)
        application = pending_application(sandbox)

        async with Client(server, mode=mode) as client:
            assert "get_webhook_events" in {tool.name for tool in (await client.list_tools()).tools}
            placed = await call(client, "instant_call", application_id=application["id"])
            call_id = placed["call_id"]

            async def arrived() -> list[dict[str, Any]]:
                return records(await call(client, "get_webhook_events", call_id=call_id))

            (event,) = await until(arrived)
            resource = json.loads((await client.read_resource(EVENTS_URI)).contents[0].text)

    assert event["event_type"] == "call_activity"
    assert event["application_id"] == application["id"]
    payload = event["payload"]
    assert payload["call_id"] == call_id and payload["type"] == "post_call_screening"
    assert payload["call_status"] in ("call_completed", "call_failed")
    assert payload["job_id"] == application["job_id"] and payload["candidate_id"] == application["candidate_id"]
    assert [e["call_id"] for e in resource["events"]] == [call_id]


async def test_a_2026_listener_is_told_when_the_call_s_event_arrives(inbox: Inbox) -> None:
    async with served(inbox_app(inbox)) as inbox_url:
        hook = f"{inbox_url}{WEBHOOK_PATH}"
        sandbox = create_app(call_duration=0.2, webhook_url=hook, webhook_secret=SECRET)
        settings = Settings(sandbox=True, confirm=False, webhook_secret=SECRET, sandbox_webhook_url=hook)
        server = build_server(settings, transport=httpx2.ASGITransport(app=sandbox), inbox=inbox)
        async with Client(server) as client, client.listen(resource_subscriptions=[EVENTS_URI]) as listening:
            placed = await call(client, "instant_call", application_id=pending_application(sandbox)["id"])
            with anyio.fail_after(10):
                told = await listening.__anext__()  # nobody polls: the push alone wakes the agent
            events = records(await call(client, "get_webhook_events"))
    assert told.uri == EVENTS_URI
    assert [event["call_id"] for event in events] == [placed["call_id"]]


# ---- the sandbox's deliveries on their own --------------------------------------------------


class Receiver:
    """A MockTransport handler standing in for the receiving end."""

    def __init__(self, *statuses: int) -> None:
        self.statuses = list(statuses)
        self.requests: list[httpx2.Request] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        request.read()
        self.requests.append(request)
        return httpx2.Response(self.statuses.pop(0) if self.statuses else 200)


async def start_call(app: Starlette) -> str:
    transport = httpx2.ASGITransport(app=app)
    headers = {"Authorization": f"Bearer {SANDBOX_API_KEY}"}
    async with httpx2.AsyncClient(transport=transport, base_url="http://sandbox.test", headers=headers) as api:
        response = await api.post(f"/v1/applications/{pending_application(app)['id']}/instant-call")
        assert response.status_code in (200, 201), response.text
        call_id = str(response.json()["call_id"])
        # Read it while in progress and after: the end is announced once, however often it is read.
        for _ in range(3):
            await api.get(f"/v1/calls/{call_id}")
    return call_id


def pusher_for(app: Starlette, receiver: Receiver, clock: Callable[[], float] = time.time) -> WebhookPusher:
    pusher = WebhookPusher(
        "http://receiver.test/hook",
        SECRET,
        tenant_id=app.state.emulator.tenant_id,
        interval=0.01,
        transport=httpx2.MockTransport(receiver),
        clock=clock,
    )
    app.state.emulator.on_call_finished = pusher.call_finished
    return pusher


async def test_the_sandbox_signs_each_ended_call_once_as_the_documentation_says() -> None:
    clock = EmulatorClock()
    app = create_app(clock=clock, call_duration=8.0)
    receiver = Receiver()
    pusher = pusher_for(app, receiver)
    async with pusher.running(app.state.emulator):
        call_id = await start_call(app)
        await anyio.sleep(0.1)
        assert receiver.requests == []  # still in progress by the emulator's clock
        clock.now += 8.0  # nobody reads the call: the delivery loop sees it end
        await until(lambda: bool(receiver.requests))
        await anyio.sleep(0.1)

    (request,) = receiver.requests
    body = request.content
    assert request.headers["content-type"] == "application/json"
    assert request.headers["x-ninjahire-signature"] == signature(body)
    assert abs(int(request.headers["x-ninjahire-timestamp"]) - time.time()) < 5
    payload = json.loads(body)
    # JSON.stringify form: what is signed is what is sent.
    assert body == json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    assert payload["event"] == "call_activity" and payload["type"] == "post_call_screening"
    assert payload["call_id"] == call_id and payload["tenant_id"] == app.state.emulator.tenant_id
    assert payload["call_status"] in ("call_completed", "call_failed") and payload["ended_at"]
    assert pusher.delivered == 1


async def test_a_failed_delivery_is_tried_again_then_given_up() -> None:
    wall = [1000.0]
    clock = EmulatorClock()
    app = create_app(clock=clock, call_duration=1.0)
    receiver = Receiver(500, 503)
    pusher = pusher_for(app, receiver, clock=lambda: wall[0])
    async with pusher.running(app.state.emulator):
        await start_call(app)
        clock.now += 1.0
        await until(lambda: len(receiver.requests) == 1)
        wall[0] += 2.0  # the first pause is 2 s (of the pusher's clock)
        await until(lambda: len(receiver.requests) == 2)
        wall[0] += 4.0
        await until(lambda: pusher.delivered == 1)
    assert len(receiver.requests) == 3
    assert len({request.content for request in receiver.requests}) == 1

    gives_up = create_app(clock=clock, call_duration=0.0)
    receiver = Receiver(*[500] * 10)
    pusher = pusher_for(gives_up, receiver, clock=lambda: wall[0])
    pusher.attempts = 2
    async with pusher.running(gives_up.state.emulator):
        await start_call(gives_up)
        await until(lambda: len(receiver.requests) == 1)
        wall[0] += 100.0
        await until(lambda: len(receiver.requests) == 2)
        wall[0] += 100.0
        await anyio.sleep(0.1)
    assert len(receiver.requests) == 2 and pusher.delivered == 0


async def test_without_a_url_and_a_secret_the_sandbox_sends_nothing() -> None:
    app = create_app()
    assert app.state.webhook_pusher is None
    assert create_app(webhook_url="http://x.test/h").state.webhook_pusher is None
    assert (
        repr(create_app(webhook_url="http://x.test/h", webhook_secret=SECRET).state.webhook_pusher).count(SECRET) == 0
    )


async def test_served_on_its_own_the_sandbox_delivers_from_its_lifespan(inbox: Inbox) -> None:
    # As `ninjahire-mcp sandbox` serves it: uvicorn runs the app's lifespan, which runs the deliveries.
    async with served(inbox_app(inbox)) as inbox_url:
        sandbox = create_app(call_duration=0.1, webhook_url=f"{inbox_url}{WEBHOOK_PATH}", webhook_secret=SECRET)
        async with served(sandbox, lifespan="on") as sandbox_url:
            headers = {"Authorization": "Bearer any-key"}
            async with httpx2.AsyncClient(base_url=sandbox_url, headers=headers) as api:
                started = await api.post(f"/v1/applications/{pending_application(sandbox)['id']}/instant-call")
            call_id = started.json()["call_id"]

            async def stored() -> Any:
                events, _ = await inbox.events(EventFilter(call_id=call_id))
                return events

            (event,) = await until(stored)
    assert event.payload["call_id"] == call_id
