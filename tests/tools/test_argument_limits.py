"""Oversized arguments, and text that is not text, are refused by name before any request leaves."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx2
import pytest
from mcp import Client

from ninjahire_mcp.http.app import MAX_REQUEST_BODY
from ninjahire_mcp.toolkit import ENVELOPE_BYTES, MAX_ARGUMENTS_BYTES, MAX_TEXT_BYTES

from ..support.api import APPLICATION_BODY, JOB, JOB_BODY, WEBHOOK_BODY, RecordingAPI


def _created(request: httpx2.Request) -> httpx2.Response:
    """The API's answer to a create: the record as sent, with its new id."""
    return httpx2.Response(201, json={**json.loads(request.content), "id": JOB})


def _json_size(arguments: dict[str, Any]) -> int:
    return len(json.dumps(arguments, ensure_ascii=False, separators=(",", ":")).encode())


def _at_total(extra: int) -> dict[str, Any]:
    """create_application arguments, mostly base64 resume, whose JSON is `extra` bytes past the whole-call bound."""
    target = MAX_ARGUMENTS_BYTES + extra
    room = target - _json_size({**APPLICATION_BODY, "base64file": ""})
    encoded = "A" * (room - room % 4)  # valid base64: a multiple of four characters
    status = "Applied" + "d" * (room % 4)
    arguments = {**APPLICATION_BODY, "source_application_status": status, "base64file": encoded}
    assert _json_size(arguments) == target
    return arguments


async def test_a_text_argument_of_exactly_64_kib_is_sent(api: RecordingAPI, server_for: Callable[..., Any]) -> None:
    api.default = _created
    desc = "é" * (MAX_TEXT_BYTES // 2)  # 65,536 bytes in 32,768 characters: the bound counts bytes
    async with Client(server_for()) as client:
        result = await client.call_tool("create_job", {**JOB_BODY, "desc": desc})
    assert not result.is_error, result.content[0].text
    assert api.body()["desc"] == desc


@pytest.mark.parametrize("desc", ["a" * (MAX_TEXT_BYTES + 1), "é" * (MAX_TEXT_BYTES // 2) + "a"])
async def test_a_text_argument_one_byte_past_64_kib_is_refused_by_name(
    api: RecordingAPI, server_for: Callable[..., Any], desc: str
) -> None:
    async with Client(server_for()) as client:
        result = await client.call_tool("create_job", {**JOB_BODY, "desc": desc})
    text = result.content[0].text
    assert result.is_error
    assert "Invalid arguments for create_job; nothing was sent" in text
    assert "desc is 65,537 bytes; a text argument may be at most 65,536 bytes (64 KiB)." in text
    assert "Shorten desc" in text
    assert api.requests == []


async def test_a_nested_text_is_named_by_where_it_sits(api: RecordingAPI, server_for: Callable[..., Any]) -> None:
    questions = [
        {"question_text": "Why us?", "source_id": "q1"},
        {"question_text": "x" * (MAX_TEXT_BYTES + 1), "source_id": "q2"},
    ]
    async with Client(server_for()) as client:
        result = await client.call_tool(
            "create_application_with_questions", {**APPLICATION_BODY, "questions": questions}
        )
    assert result.is_error
    assert "questions[1].question_text is 65,537 bytes" in result.content[0].text
    assert api.requests == []


async def test_a_resume_that_brings_the_call_to_its_bound_is_sent(
    api: RecordingAPI, server_for: Callable[..., Any]
) -> None:
    api.default = _created
    arguments = _at_total(0)
    async with Client(server_for()) as client:
        result = await client.call_tool("create_application", arguments)
    assert not result.is_error, result.content[0].text
    assert api.body()["base64file"] == arguments["base64file"]


async def test_a_call_one_byte_past_its_bound_is_refused_with_resume_path_as_the_fix(
    api: RecordingAPI, server_for: Callable[..., Any]
) -> None:
    async with Client(server_for()) as client:
        result = await client.call_tool("create_application", _at_total(1))
    text = result.content[0].text
    assert result.is_error
    assert f"the arguments come to {MAX_ARGUMENTS_BYTES + 1:,} bytes, most of it base64file" in text
    assert f"at most {MAX_ARGUMENTS_BYTES:,} bytes (4 MiB less 64 KiB)" in text
    assert "with resume_path (a file in the user's resume folder, up to 10 MB) instead of base64file" in text
    assert api.requests == []


async def test_a_call_too_big_without_a_file_is_told_to_send_less(
    api: RecordingAPI, server_for: Callable[..., Any]
) -> None:
    fields = ["f" * MAX_TEXT_BYTES] * 70  # each text within its bound, the call past its own
    async with Client(server_for(confirm=False)) as client:
        result = await client.call_tool("set_webhook", {**WEBHOOK_BODY, "fields": fields})
    text = result.content[0].text
    assert result.is_error
    assert "most of it fields" in text
    assert "Send less in one call, then call set_webhook again." in text
    assert api.requests == []


def test_the_whole_call_bound_leaves_room_for_the_envelope_under_the_http_body_bound() -> None:
    # What a host may send over stdio must also fit through the HTTP transports.
    assert MAX_ARGUMENTS_BYTES + ENVELOPE_BYTES == MAX_REQUEST_BODY
    arguments = _at_total(0)
    envelope = {
        "jsonrpc": "2.0",
        "id": 2**53,
        "method": "tools/call",
        "params": {"name": "create_application_with_questions", "arguments": arguments, "_meta": {"x": "y" * 4096}},
    }
    assert _json_size(envelope) <= MAX_REQUEST_BODY


@pytest.mark.parametrize(
    ("tool", "arguments", "named"),
    [
        # Found by tests/tools/test_properties.py: each of these crashed the tool ("Error executing tool ...").
        ("get_jobs", {"source_id": "\ud800"}, "source_id"),  # a query value
        ("subscribe_webhook", {"tenant_webhook_id": "a\udfffb"}, "tenant_webhook_id"),  # a path value
        (
            "create_candidate",
            {
                "first_name": "Dana",
                "email": "dana@example.com",
                "phone_no": "+12025550123",
                "source": "LinkedIn",
                "source_id": "\ud800",
            },
            "source_id",
        ),  # a JSON body
        ("get_webhook_events", {"event_type": "\ud800"}, "event_type"),  # the inbox's database
        (
            "create_application_with_questions",
            {**APPLICATION_BODY, "questions": [{"question_text": "Why\udc00?", "source_id": "q1"}]},
            "questions[0].question_text",
        ),
    ],
)
async def test_a_lone_surrogate_is_refused_by_name_not_a_crash(
    api: RecordingAPI, server_for: Callable[..., Any], tool: str, arguments: dict[str, Any], named: str
) -> None:
    async with Client(server_for(webhook_secret="whsec_" + "s" * 32, webhook_db=":memory:")) as client:
        result = await client.call_tool(tool, arguments)
    text = result.content[0].text
    assert result.is_error
    assert f"- {named} holds a lone UTF-16 surrogate" in text
    assert f"Send {named} as valid Unicode and call {tool} again." in text
    assert api.requests == []
