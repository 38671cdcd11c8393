"""--redact-pii: emails and phone numbers masked in every result, and nothing else touched."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx2
import pytest
from mcp import Client
from mcp.server import MCPServer
from mcp.types import CallToolResult, TextContent

from bench.redaction import EMAILS, PHONES
from ninjahire_mcp.config import Settings
from ninjahire_mcp.toolkit import READ, build_tool, tool
from ninjahire_mcp.views import mask_pii, mask_text

from ..support.api import CALL, CANDIDATE, JOB, RecordingAPI, call, records
from ..support.clock import Clock
from ..support.sandbox import call_record, sandbox_server

MODES = ["auto", "legacy"]


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("Call me at +1 (415) 555-0142.", "Call me at +*********42."),
        ("+12025550123", "+*********23"),
        ("2025550123 or 202.555.0123 or 555-0142", "********23 or ********23 or *****42"),
        ("+44 20 7946 0958", "+**********58"),
        ("ada.quinn@example.com", "a***@***.com"),
        ("mail DANA_W+jobs@mail.example.co.uk now", "mail D***@***.uk now"),
        ("HUMAN: reach me on\n4155550142\nBOT: thanks", "HUMAN: reach me on\n********42\nBOT: thanks"),
        ('{"t":"HUMAN: mine is\\n4155550142"}', '{"t":"HUMAN: mine is\\n********42"}'),  # rendered JSON
    ],
)
def test_contact_details_are_masked_wherever_they_sit(text: str, masked: str) -> None:
    assert mask_text(text) == masked
    assert mask_text(masked) == masked  # masking twice changes nothing


@pytest.mark.parametrize(
    "text",
    [
        "7c9e6679-7425-40de-944b-e07fc1f90ae7",
        "2025-05-17T14:13:54Z",
        "2024-07-22 10:30:00",
        "scored 61/100 (7/10)",
        "worked there 2019-2023",
        "$48.45 to $62.00 per hour; 3.14159265",
        "handles 10000000 requests, $1500000 budget",
        "JOB-20250517 and CAND-12345678",
        "https://recordings.example.com/ninjahire/7c9e6679-7425-40de-944b-e07fc1f90ae7.mp3",
        "10.0.100.200",
        "Dana Whitfield",
    ],
)
def test_ids_dates_scores_and_amounts_are_left_alone(text: str) -> None:
    assert mask_text(text) == text


def test_only_strings_are_masked_at_any_depth() -> None:
    data = {"phone_no": "+12025550123", "score": 2025550123, "tags": ["x@y.io", 7, None, True], "id": CALL}
    assert mask_pii(data) == {"phone_no": "+*********23", "score": 2025550123, "tags": ["x***@***.io", 7, None, True],
                              "id": CALL}  # fmt: skip


@pytest.mark.parametrize("mode", MODES)
async def test_tool_results_are_masked_and_everything_else_kept(mode: str) -> None:
    async with Client(sandbox_server(Clock()), mode=mode) as client:
        first = records(await call(client, "get_candidates", size=1))[0]
        plain = await call(client, "get_candidate", candidate_id=first["id"])
    async with Client(sandbox_server(Clock(), redact_pii=True), mode=mode) as client:
        masked = await call(client, "get_candidate", candidate_id=first["id"])
        listed = (await client.call_tool("get_candidates", {"size": 100})).content[0].text

    assert masked["email"] == mask_text(plain["email"]) != plain["email"]
    assert masked["phone_no"].endswith(plain["phone_no"][-2:]) and "*" in masked["phone_no"]
    unchanged = {key for key in plain if key not in ("email", "phone_no")}
    assert {key: masked[key] for key in unchanged} == {key: plain[key] for key in unchanged}  # names, ids, dates
    assert plain["email"] not in listed and plain["phone_no"] not in listed


async def test_masking_is_off_by_default() -> None:
    async with Client(sandbox_server(Clock())) as client:
        candidate = records(await call(client, "get_candidates", size=1))[0]
        detail = await call(client, "get_candidate", candidate_id=candidate["id"])
    assert "@" in detail["email"] and "*" not in detail["phone_no"]


async def test_transcripts_and_answers_are_masked(api: RecordingAPI, server_for: Callable[..., Any]) -> None:
    record = call_record(
        transcript="BOT: Best number?\nHUMAN: 415 555 0142, or write to dana@example.org",
        questions_response=json.dumps([{"question": "Email?", "response": "dana@example.org", "score": 5}]),
        call_digest="Dana (dana@example.org, +14155550142) was screened.",
    )
    api.default = lambda _request: httpx2.Response(200, json=record)
    async with Client(server_for(redact_pii=True)) as client:
        text = (await client.call_tool("get_call", {"call_id": CALL, "include_transcript": True})).content[0].text
    report = json.loads(text)
    assert "HUMAN: ********42, or write to d***@***.org" in report["transcript"]["text"]
    assert report["questions"][0]["answer"] == "d***@***.org"
    assert report["call_digest"] == "Dana (d***@***.org, +*********42) was screened."
    assert "call_id" not in report and report["created_at"] == "2025-05-17T14:13:54Z"  # asked for by its id


async def test_api_errors_that_quote_a_record_are_masked_but_guardrail_hints_are_not(
    api: RecordingAPI, server_for: Callable[..., Any]
) -> None:
    api.default = lambda _request: httpx2.Response(404, json={"message": "no job owned by ada@example.com"})
    async with Client(server_for(redact_pii=True)) as client:
        missing = await client.call_tool("get_job", {"job_id": JOB})
        refused = await client.call_tool(
            "update_candidate",
            {"candidate_id": CANDIDATE, "first_name": "Dana", "email": "dana", "phone_no": "+12025550123",
             "source": "LinkedIn", "source_id": "CAND-9"},
        )  # fmt: skip
    assert missing.is_error and "a***@***.com" in missing.content[0].text
    assert "ada@example.com" not in missing.content[0].text
    assert refused.is_error and "like name@example.com" in refused.content[0].text  # the fix stays readable


# A handler that answers with its own CallToolResult, as confirmation previews do.
async def preview(contact: str) -> CallToolResult:
    """Show who would be contacted."""
    return CallToolResult(
        content=[TextContent(type="text", text=f"Would phone Dana at {contact}.")],
        structured_content={"candidate": {"name": "Dana", "phone_no": contact}, "token": "tok-2025550123"},
    )


@dataclass(frozen=True)
class State:
    settings: Settings


def preview_server(redact_pii: bool) -> MCPServer[Any]:
    @asynccontextmanager
    async def lifespan(_server: MCPServer[Any]) -> AsyncIterator[State]:
        yield State(Settings(redact_pii=redact_pii))

    return MCPServer("privacy-test", tools=[build_tool(tool("Preview", READ)(preview))], lifespan=lifespan)


@pytest.mark.parametrize("mode", MODES)
async def test_results_a_handler_builds_itself_are_masked_too(mode: str) -> None:
    async with Client(preview_server(redact_pii=True), mode=mode) as client:
        result = await client.call_tool("preview", {"contact": "+1 415 555 0142"})
    assert result.content[0].text == "Would phone Dana at +*********42."
    assert result.structured_content == {
        "candidate": {"name": "Dana", "phone_no": "+*********42"},
        "token": "tok-2025550123",  # glued to a word: an id, not a phone number
    }

    async with Client(preview_server(redact_pii=False), mode=mode) as client:
        result = await client.call_tool("preview", {"contact": "+1 415 555 0142"})
    assert result.content[0].text == "Would phone Dana at +1 415 555 0142."


@pytest.mark.parametrize("form", [*PHONES, *EMAILS])
async def test_every_spelling_of_a_contact_is_masked_in_what_the_agent_reads(
    server_for: Callable[..., Any], api: RecordingAPI, form: str
) -> None:
    api.default = lambda _request: httpx2.Response(
        200, json={"id": CANDIDATE, "first_name": "Dana", "city": f"Reach me at {form} any time."}
    )
    async with Client(server_for(redact_pii=True)) as client:
        shown = await call(client, "get_candidate", candidate_id=CANDIDATE)
    city = shown["city"]
    if form in PHONES:  # no 7 of its digits in a row are left to dial
        digits = unicodedata.normalize("NFKC", "".join(ch for ch in form if ch.isdigit()))
        assert digits[-7:] not in "".join(ch for ch in city if ch.isdigit()), city
    else:
        assert form not in city and "***@" in city, city
    assert city.startswith("Reach me at ") and shown["first_name"] == "Dana"  # the rest, and names, stay
