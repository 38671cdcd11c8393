"""The approval card: where the client renders MCP Apps views, a gated tool's preview carries no token for the
model, only a handle in the result's `_meta` for the view, and only the app-only `approve` tool redeems it:
once, for that exact call, under every guard the tool has (the duplicate-call check, the daily budget)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import httpx2
import pytest
from mcp import Client
from mcp.client.extension import advertise
from mcp.server.apps import APP_MIME_TYPE, EXTENSION_ID
from mcp.types import CallToolResult, ElicitResult
from starlette.applications import Starlette

from ninjahire_mcp.config import ALL_TOOLSETS, Settings
from ninjahire_mcp.guards import ConfirmationBook, TokenRefused
from ninjahire_mcp.sandbox import create_app
from ninjahire_mcp.server import build_server
from ninjahire_mcp.toolkit import Timing

from ..support.api import call, records
from ..support.clock import Clock

MODES = ["auto", "legacy"]
RENDERS_VIEWS = advertise(EXTENSION_ID, {"mimeTypes": [APP_MIME_TYPE]})
Connect = Callable[..., AbstractAsyncContextManager[Client]]


@pytest.fixture
def emulator() -> Starlette:
    return create_app(call_duration=60, clock=lambda: 0.0)  # calls stay in progress: time never passes


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def connect(emulator: Starlette, clock: Clock) -> Connect:
    @asynccontextmanager
    async def connected(mode: str = "auto", views: bool = True, **settings: Any) -> AsyncIterator[Client]:
        async def never(_ctx: Any, _params: Any) -> ElicitResult:
            raise AssertionError("a client that renders views is not asked: the card is the question")

        server = build_server(
            Settings(sandbox=True, toolsets=frozenset(ALL_TOOLSETS), **settings),
            transport=httpx2.ASGITransport(app=emulator),
            timing=Timing(wall=clock),
        )
        async with Client(
            server,
            mode=mode,
            extensions=[RENDERS_VIEWS] if views else [],
            elicitation_callback=never if views else None,
        ) as client:
            yield client

    return connected


def calls_placed(emulator: Starlette) -> list[str]:
    return [r.path for r in emulator.state.emulator.request_log if r.method == "POST" and "instant-call" in r.path]


def handle_of(result: CallToolResult) -> str:
    handle = (result.meta or {})["ninjahire/approval"]["handle"]
    assert isinstance(handle, str)
    return handle


async def pending_applications(client: Client, count: int) -> list[str]:
    rows = records(await call(client, "get_applications", size=50))
    return [row["id"] for row in rows if row["screening_status"] == "pending"][:count]


@pytest.mark.parametrize("mode", MODES)
async def test_the_card_gives_the_model_no_token_and_the_button_places_exactly_one_call(
    connect: Connect, emulator: Starlette, mode: str
) -> None:
    async with connect(mode) as client:
        (application,) = await pending_applications(client, 1)
        card = await client.call_tool("instant_call", {"application_id": application})
        # What the model reads: the preview, and no way to act on it.
        shown = json.loads(card.content[0].text)
        assert shown == card.structured_content and shown["status"] == "awaiting_approval"
        assert "token" not in card.content[0].text and "Do not call instant_call again" in shown["next"]
        details = shown["details"]
        assert details["candidate"] and details["job"] and details["phone"].startswith("+*")
        assert details["calling_window"].count(":") == 4
        handle = handle_of(card)
        assert handle not in card.content[0].text
        assert (card.meta or {})["ninjahire/approval"]["tool"] == "instant_call"
        # The model calling again gets another card, not a call.
        again = await client.call_tool("instant_call", {"application_id": application})
        assert again.structured_content["status"] == "awaiting_approval" and handle_of(again) != handle
        assert calls_placed(emulator) == []

        placed = await call(client, "approve", handle=handle)
        assert placed["status"] == "initiated" and placed["call_id"] and "wait_for_call" in placed["next"]
        pressed_twice = await client.call_tool("approve", {"handle": handle})
    assert pressed_twice.is_error and "already used" in pressed_twice.content[0].text
    assert calls_placed(emulator) == [f"/v1/applications/{application}/instant-call"]


@pytest.mark.parametrize("mode", MODES)
async def test_a_handle_is_no_confirm_token_and_a_made_up_one_approves_nothing(
    connect: Connect, emulator: Starlette, mode: str
) -> None:
    async with connect(mode) as client:
        (application,) = await pending_applications(client, 1)
        handle = handle_of(await client.call_tool("instant_call", {"application_id": application}))
        as_token = await client.call_tool("instant_call", {"application_id": application, "confirm_token": handle})
        invented = await client.call_tool("approve", {"handle": "A" * 32})
    assert as_token.is_error and "Nothing was done" in as_token.content[0].text
    assert invented.is_error and "Nothing was done" in invented.content[0].text
    assert calls_placed(emulator) == []


async def test_a_card_pressed_after_a_call_was_placed_meets_the_duplicate_call_guard(
    connect: Connect, emulator: Starlette
) -> None:
    async with connect() as client:
        (application,) = await pending_applications(client, 1)
        first = handle_of(await client.call_tool("instant_call", {"application_id": application}))
        second = handle_of(await client.call_tool("instant_call", {"application_id": application}))
        await call(client, "approve", handle=first)
        refused = await client.call_tool("approve", {"handle": second})
    assert refused.is_error and "already in progress" in refused.content[0].text
    assert len(calls_placed(emulator)) == 1


async def test_cards_pressed_beyond_the_daily_budget_place_no_more_calls(connect: Connect, emulator: Starlette) -> None:
    async with connect(max_calls_per_day=1) as client:
        first, second = await pending_applications(client, 2)
        cards = [handle_of(await client.call_tool("instant_call", {"application_id": a})) for a in (first, second)]
        await call(client, "approve", handle=cards[0])
        refused = await client.call_tool("approve", {"handle": cards[1]})
    assert refused.is_error and "daily" in refused.content[0].text.lower()
    assert calls_placed(emulator) == [f"/v1/applications/{first}/instant-call"]


async def test_a_card_expires_with_the_confirmation_lifetime(
    connect: Connect, emulator: Starlette, clock: Clock
) -> None:
    async with connect() as client:
        (application,) = await pending_applications(client, 1)
        handle = handle_of(await client.call_tool("instant_call", {"application_id": application}))
        clock.now += 301
        late = await client.call_tool("approve", {"handle": handle})
    assert late.is_error and "expired" in late.content[0].text
    assert calls_placed(emulator) == []


@pytest.mark.parametrize("mode", MODES)
async def test_every_gated_tool_previews_as_a_card_and_acts_only_when_pressed(
    connect: Connect, emulator: Starlette, mode: str
) -> None:
    async with connect(mode) as client:
        jobs = records(await call(client, "get_jobs", size=50))
        job = next(j for j in jobs if j["title"] == "LLM Engineer")["id"]
        if (await call(client, "get_job_scheduling", job_id=job))["scheduling"]:
            await call(client, "set_job_scheduling", job_id=job, scheduling=False)  # off needs no one's say-so
        card = await client.call_tool("set_job_scheduling", {"job_id": job, "scheduling": True})
        assert card.structured_content["status"] == "awaiting_approval"
        assert (await call(client, "get_job_scheduling", job_id=job))["scheduling"] is False
        await call(client, "approve", handle=handle_of(card))
        assert (await call(client, "get_job_scheduling", job_id=job))["scheduling"] is True

        added = await call(client, "add_question", job_id=job, question_text="Which evals?", source_id="Q-CARD")
        card = await client.call_tool("delete_question", {"job_id": job, "question_id": added["id"]})
        assert card.structured_content["status"] == "awaiting_approval"
        await call(client, "approve", handle=handle_of(card))
        remaining = await call(client, "get_questions", job_id=job)
    assert added["id"] not in json.dumps(remaining)


async def test_a_client_without_views_keeps_the_token_path(connect: Connect, emulator: Starlette) -> None:
    async with connect(views=False) as client:
        (application,) = await pending_applications(client, 1)
        preview = await client.call_tool("instant_call", {"application_id": application})
    assert preview.structured_content["status"] == "confirmation_required"
    assert "ninjahire/approval" not in (preview.meta or {})


async def test_an_approval_is_bound_to_its_caller() -> None:
    # In a shared deployment each request brings its own Ninjahire key: a card's handle is its caller's only.
    book = ConfirmationBook(ttl=300)
    handle = book.hold("instant_call", {"application_id": "a", "_caller": "ann"}, {"application_id": "a"}, "ann")
    with pytest.raises(TokenRefused, match="another caller"):
        book.take(handle, "bob")
    assert book.take(handle, "ann").arguments == {"application_id": "a"}
