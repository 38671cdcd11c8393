"""No real-world action without a person's say-so: previews and tokens, elicitation, refusals."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.types import ElicitResult
from starlette.applications import Starlette

from ninjahire_mcp.config import ALL_TOOLSETS, Settings
from ninjahire_mcp.sandbox import create_app
from ninjahire_mcp.server import build_server

from ..support.api import APPLICATION, INSTANT_RETRY, JOB, RecordingAPI, call, records

MODES = ["auto", "legacy"]
ALL = frozenset(ALL_TOOLSETS)
Connect = Callable[..., AbstractAsyncContextManager[Client]]


@pytest.fixture
def emulator() -> Starlette:
    return create_app(call_duration=60, clock=lambda: 0.0)  # calls stay in progress: time never passes


@pytest.fixture
def connect(emulator: Starlette) -> Connect:
    @asynccontextmanager
    async def connected(mode: str = "auto", answer: str | None = None, **settings: Any) -> AsyncIterator[Client]:
        async def on_elicit(_ctx: Any, params: Any) -> ElicitResult:
            asked.append(params.message)
            return ElicitResult(action=answer, content={"confirm": True} if answer == "accept" else None)

        asked: list[str] = []
        server = build_server(
            Settings(sandbox=True, toolsets=ALL, **settings), transport=httpx2.ASGITransport(app=emulator)
        )
        callback = on_elicit if answer else None
        async with Client(server, mode=mode, elicitation_callback=callback) as client:
            client.asked = asked  # type: ignore[attr-defined]
            yield client

    return connected


def posts(emulator: Starlette, fragment: str) -> list[str]:
    return [
        r.path for r in emulator.state.emulator.request_log if r.method in ("POST", "DELETE") and fragment in r.path
    ]


async def an_application(client: Client, index: int = 0) -> dict[str, Any]:
    return records(await call(client, "get_applications", size=20))[index]


@pytest.mark.parametrize("mode", MODES)
async def test_instant_call_first_returns_a_preview_and_phones_nobody(
    connect: Connect, emulator: Starlette, mode: str
) -> None:
    async with connect(mode) as client:
        application = await an_application(client)
        result = await client.call_tool("instant_call", {"application_id": application["id"]})

    assert not result.is_error
    preview = json.loads(result.content[0].text)
    token = result.structured_content["confirm_token"]
    assert preview["status"] == "confirmation_required" and preview["confirm_token"] == token
    details = preview["details"]
    assert details["candidate"] and details["job"] and details["job_id"] == application["job_id"]
    assert details["phone"].startswith("+*") and len(details["phone"].strip("+*")) == 4
    assert details["calling_window"].count(":") == 4 and details["job_scheduling"] in ("on", "off")
    assert preview["expires_in_s"] == 300 and "Nothing was done yet" in preview["next"]
    assert posts(emulator, "instant-call") == []


@pytest.mark.parametrize("mode", MODES)
async def test_the_token_for_the_same_arguments_places_the_call_once(
    connect: Connect, emulator: Starlette, mode: str
) -> None:
    async with connect(mode) as client:
        application = await an_application(client)
        preview = await client.call_tool("instant_call", {"application_id": application["id"]})
        token = preview.structured_content["confirm_token"]
        placed = await call(client, "instant_call", application_id=application["id"], confirm_token=token)
        assert placed["status"] == "initiated" and placed["call_id"]
        assert "wait_for_call" in placed["next"]
    assert posts(emulator, "instant-call") == [f"/v1/applications/{application['id']}/instant-call"]


@pytest.mark.parametrize("mode", MODES)
async def test_a_token_confirms_nothing_for_other_arguments_or_another_tool(
    connect: Connect, emulator: Starlette, mode: str
) -> None:
    async with connect(mode) as client:
        first, second = await an_application(client, 0), await an_application(client, 1)
        token = (await client.call_tool("instant_call", {"application_id": first["id"]})).structured_content[
            "confirm_token"
        ]
        other_application = await client.call_tool(
            "instant_call", {"application_id": second["id"], "confirm_token": token}
        )
        forced = await client.call_tool(
            "instant_call", {"application_id": first["id"], "force": True, "confirm_token": token}
        )
        other_tool = await client.call_tool("unsubscribe_webhook", {"tenant_webhook_id": "x", "confirm_token": token})

    for result in (other_application, forced):
        assert result.is_error and "issued for other arguments" in result.content[0].text
        assert "without confirm_token for a fresh preview" in result.content[0].text
    assert other_tool.is_error and "issued for instant_call, not unsubscribe_webhook" in other_tool.content[0].text
    assert posts(emulator, "instant-call") == [] and posts(emulator, "unsubscribe") == []


@pytest.mark.parametrize(
    "token",
    ["not-a-token", "eyJ0IjoiaW5zdGFudF9jYWxsIn0.AAAA", "a.b.c", "%%%.$$$"],  # "": not given (test_strict_clients)
)
async def test_forged_and_garbled_tokens_confirm_nothing(connect: Connect, emulator: Starlette, token: str) -> None:
    async with connect() as client:
        application = await an_application(client)
        result = await client.call_tool("instant_call", {"application_id": application["id"], "confirm_token": token})
    assert (result.is_error and "confirms nothing" in result.content[0].text) or "not a token" in result.content[0].text
    assert posts(emulator, "instant-call") == []


async def test_a_used_token_is_spent_even_when_the_outcome_is_unknown(api: RecordingAPI) -> None:
    hook = {
        "tenant_id": "t-1",
        "triggered_event": "call_activity",
        "type": "post_call_screening",
        "fields": ["id"],
        "url": "https://hooks.example.com/in",
        "http_method": "POST",
        "content_type": "application/json",
    }

    def answer(request: httpx2.Request) -> httpx2.Response:
        if request.method == "POST":
            raise httpx2.ReadTimeout("no answer")
        return httpx2.Response(200, json={"data": [], "count": 0})

    api.default = answer
    server = build_server(Settings(api_key="k", toolsets=ALL), transport=api.transport, retry=INSTANT_RETRY)
    async with Client(server) as client:
        token = (await client.call_tool("set_webhook", hook)).structured_content["confirm_token"]
        first = await client.call_tool("set_webhook", {**hook, "confirm_token": token})
        again = await client.call_tool("set_webhook", {**hook, "confirm_token": token})

    assert first.is_error and "OUTCOME UNKNOWN" in first.content[0].text
    assert again.is_error and "already used" in again.content[0].text
    assert [r.method for r in api.requests].count("POST") == 1


async def test_an_expired_token_confirms_nothing(connect: Connect, emulator: Starlette) -> None:
    async with connect(confirm_ttl=0.05) as client:
        application = await an_application(client)
        token = (await client.call_tool("instant_call", {"application_id": application["id"]})).structured_content[
            "confirm_token"
        ]
        await anyio.sleep(1.1)  # tokens carry whole seconds
        result = await client.call_tool("instant_call", {"application_id": application["id"], "confirm_token": token})
    assert result.is_error and "expired" in result.content[0].text
    assert posts(emulator, "instant-call") == []


@pytest.mark.parametrize("mode", MODES)
async def test_a_person_who_accepts_through_the_client_confirms_without_a_token(
    connect: Connect, emulator: Starlette, mode: str
) -> None:
    async with connect(mode, answer="accept") as client:
        application = await an_application(client)
        placed = await call(client, "instant_call", application_id=application["id"])
        asked = client.asked  # type: ignore[attr-defined]
    assert placed["status"] == "initiated"
    assert len(asked) == 1 and asked[0].startswith("Phone ") and asked[0].endswith("Do you confirm?")
    assert posts(emulator, "instant-call") == [f"/v1/applications/{application['id']}/instant-call"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("answer", ["decline", "cancel"])
async def test_a_person_who_declines_stops_the_action(
    connect: Connect, emulator: Starlette, mode: str, answer: str
) -> None:
    async with connect(mode, answer=answer) as client:
        application = await an_application(client)
        result = await client.call_tool("instant_call", {"application_id": application["id"]})
    assert not result.is_error
    assert json.loads(result.content[0].text)["status"] == "not_done"
    assert posts(emulator, "instant-call") == []


@pytest.mark.parametrize("mode", MODES)
async def test_delete_question_previews_then_deletes_and_a_token_works_once(
    connect: Connect, emulator: Starlette, mode: str
) -> None:
    async with connect(mode) as client:
        job = records(await call(client, "get_jobs"))[0]
        question = (await call(client, "get_questions", job_id=job["id"]))["data"][0]
        arguments = {"job_id": job["id"], "question_id": question["id"]}
        preview = await client.call_tool("delete_question", arguments)
        assert question["question_text"] in json.loads(preview.content[0].text)["action"]
        token = preview.structured_content["confirm_token"]
        deleted = await call(client, "delete_question", **arguments, confirm_token=token)
        reused = await client.call_tool("delete_question", {**arguments, "confirm_token": token})
    assert deleted["deleted"] is True
    assert reused.is_error and "already used" in reused.content[0].text
    assert len(posts(emulator, "/questions/")) == 1


@pytest.mark.parametrize("mode", MODES)
async def test_set_webhook_previews_where_data_goes_and_never_the_secret(
    connect: Connect, emulator: Starlette, mode: str
) -> None:
    async with connect(mode) as client:
        current = (await call(client, "get_webhook"))["data"][0]
        arguments = {"tenant_id": current["tenant_id"], "triggered_event": "call_activity",
                     "type": "post_call_screening", "fields": ["call_id", "call_score"],
                     "url": "https://new.example.com/hook", "http_method": "POST",
                     "content_type": "application/json", "secret": "whsec_super_secret"}  # fmt: skip
        preview = await client.call_tool("set_webhook", arguments)
        details = json.loads(preview.content[0].text)["details"]
        assert "whsec_super_secret" not in preview.content[0].text
        assert details["secret"] == "set" and details["replaces_url"] == current["url"]
        assert f"replacing {current['url']}" in json.loads(preview.content[0].text)["action"]
        saved = await call(
            client, "set_webhook", **arguments, confirm_token=preview.structured_content["confirm_token"]
        )
    assert saved["url"] == "https://new.example.com/hook" and "whsec_super_secret" not in json.dumps(saved)
    assert len(posts(emulator, "/v1/tenant-webhook")) == 1


async def test_unsubscribe_is_gated_and_subscribe_is_not(connect: Connect, emulator: Starlette) -> None:
    async with connect() as client:
        hook = (await call(client, "get_webhook"))["data"][0]
        preview = await client.call_tool("unsubscribe_webhook", {"tenant_webhook_id": hook["id"]})
        assert json.loads(preview.content[0].text)["action"] == (
            f"Stop sending {hook['triggered_event']} events to {hook['url']}."
        )
        assert posts(emulator, "unsubscribe") == []
        resumed = await call(client, "subscribe_webhook", tenant_webhook_id=hook["id"])
    assert resumed["is_deleted"] is False and len(posts(emulator, "/subscribe/")) == 1


async def test_no_confirm_acts_at_once_for_pipelines(connect: Connect, emulator: Starlette) -> None:
    async with connect(confirm=False, answer="decline") as client:
        application = await an_application(client)
        placed = await call(client, "instant_call", application_id=application["id"])
        asked = client.asked  # type: ignore[attr-defined]
    assert placed["status"] == "initiated" and asked == []
    assert len(posts(emulator, "instant-call")) == 1


async def test_a_call_in_progress_is_never_repeated_even_with_force(connect: Connect, emulator: Starlette) -> None:
    async with connect(confirm=False) as client:
        application = await an_application(client)
        await call(client, "instant_call", application_id=application["id"])
        again = await client.call_tool("instant_call", {"application_id": application["id"], "force": True})
    assert again.is_error and "already in progress" in again.content[0].text and "get_call" in again.content[0].text
    assert len(posts(emulator, "instant-call")) == 1


async def test_the_same_candidate_is_not_phoned_twice_within_the_hour_unless_forced() -> None:
    clock = {"now": 0.0}
    emulator = create_app(call_duration=60, clock=lambda: clock["now"])
    server = build_server(Settings(sandbox=True, confirm=False), transport=httpx2.ASGITransport(app=emulator))
    async with Client(server) as client:
        application = await an_application(client)
        await call(client, "instant_call", application_id=application["id"])
        clock["now"] += 120  # the call has finished
        again = await client.call_tool("instant_call", {"application_id": application["id"]})
        forced = await client.call_tool("instant_call", {"application_id": application["id"], "force": True})
    assert again.is_error and "phoned this candidate 0 min ago" in again.content[0].text
    assert "force=true" in again.content[0].text
    assert not forced.is_error
    assert len(posts(emulator, "instant-call")) == 2


async def test_the_daily_budget_stops_calls_and_force_does_not_bypass_it(connect: Connect, emulator: Starlette) -> None:
    async with connect(confirm=False, max_calls_per_day=1) as client:
        first, second = await an_application(client, 0), await an_application(client, 1)
        await call(client, "instant_call", application_id=first["id"])
        refused = await client.call_tool("instant_call", {"application_id": second["id"], "force": True})
    assert refused.is_error and "daily call budget (1 calls per UTC day" in refused.content[0].text
    assert "resets at 00:00 UTC" in refused.content[0].text
    assert len(posts(emulator, "instant-call")) == 1


async def test_refusals_come_before_any_question_to_the_person(connect: Connect, emulator: Starlette) -> None:
    async with connect(answer="accept", max_calls_per_day=0) as client:
        application = await an_application(client)
        refused = await client.call_tool("instant_call", {"application_id": application["id"]})
        asked = client.asked  # type: ignore[attr-defined]
    assert refused.is_error and "budget" in refused.content[0].text
    assert asked == []


async def test_an_unknown_application_is_reported_not_previewed(
    server_for: Callable[..., Any], api: RecordingAPI
) -> None:
    def answer(request: httpx2.Request) -> httpx2.Response:
        if request.url.path == "/v1/calls":
            return httpx2.Response(200, json={"data": [], "count": 0})
        return httpx2.Response(404, json={"message": "Application not found"})

    api.default = answer
    async with Client(server_for()) as client:
        result = await client.call_tool("instant_call", {"application_id": APPLICATION})
    assert result.is_error and "HTTP 404" in result.content[0].text
    assert all(r.method == "GET" for r in api.requests)
    assert JOB not in result.content[0].text


async def test_the_question_to_the_person_is_masked_under_redact_pii(connect: Connect) -> None:
    async with connect(answer="decline", redact_pii=True) as client:
        job = records(await call(client, "get_jobs"))[0]
        added = await call(client, "add_question", job_id=job["id"], source_id="Q-PII",
                           question_text="Can we email you at dana.w@example.org instead?")  # fmt: skip
        await client.call_tool("delete_question", {"job_id": job["id"], "question_id": added["id"]})
        asked = client.asked  # type: ignore[attr-defined]
    assert len(asked) == 1 and "dana.w@example.org" not in asked[0] and "@***" in asked[0]


@pytest.mark.parametrize("mode", MODES)
async def test_a_preview_s_structured_content_is_the_whole_preview(connect: Connect, mode: str) -> None:
    # Clients that give the model only structuredContent (pydantic-ai, fastmcp's .data, openai-agents
    # with use_structured_content) must show it the action, the person and the masked number too.
    async with connect(mode) as client:
        application = await an_application(client)
        preview = await client.call_tool("instant_call", {"application_id": application["id"]})
    structured = preview.structured_content
    assert structured is not None and json.loads(preview.content[0].text) == structured
    assert structured["status"] == "confirmation_required" and structured["confirm_token"]
    assert structured["action"].startswith("Phone ") and "*" in structured["details"]["phone"]
    assert structured["details"]["candidate"] in structured["action"]
    assert "Show this to the user" in structured["next"]
