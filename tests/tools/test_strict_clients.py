"""Strict-schema clients (OpenAI strict function calling, openai-agents' convert_schemas_to_strict) send
every argument, and say "not given" with null or an empty string: that must mean what leaving it out means."""

from __future__ import annotations

import json
from typing import Any

import pytest
from mcp import Client

from ninjahire_mcp.config import ALL_TOOLSETS, Settings
from ninjahire_mcp.server import build_server

from ..support.api import call, records

MODES = ["auto", "legacy"]


def sandbox() -> Client:
    return Client(build_server(Settings(sandbox=True, toolsets=frozenset(ALL_TOOLSETS))))


def every_optional_empty(schema: dict[str, Any], given: dict[str, Any], empty: Any) -> dict[str, Any]:
    required = set(schema.get("required", ()))
    return {**{name: empty for name in schema["properties"] if name not in required}, **given}


@pytest.mark.parametrize("empty", [None, ""])
async def test_optional_arguments_sent_empty_are_left_out(empty: Any) -> None:
    async with sandbox() as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
        job = records(await call(client, "get_jobs", size=1))[0]
        for tool, given in (
            ("get_jobs", {}),
            ("get_applications", {"job_id": job["id"]}),
            ("get_screening_results", {"job_id": job["id"]}),
            ("rank_applicants", {"job_id": job["id"]}),
        ):
            plain = await client.call_tool(tool, given)
            strict = await client.call_tool(tool, every_optional_empty(tools[tool].input_schema, given, empty))
            assert not strict.is_error, f"{tool}: {strict.content[0].text}"
            assert json.loads(strict.content[0].text) == json.loads(plain.content[0].text), tool


async def test_an_empty_confirm_token_asks_for_a_preview() -> None:
    async with sandbox() as client:
        application = records(await call(client, "get_applications", size=1))[0]
        preview = await client.call_tool(
            "instant_call", {"application_id": application["id"], "force": None, "confirm_token": ""}
        )
    assert not preview.is_error and json.loads(preview.content[0].text)["status"] == "confirmation_required"


async def test_a_required_argument_sent_empty_is_refused_as_text() -> None:
    async with sandbox() as client:
        empty = await client.call_tool("get_job", {"job_id": ""})
        blank = await client.call_tool("get_jobs", {"source_id": "  "})
    assert empty.is_error and "job_id is empty" in empty.content[0].text
    assert blank.is_error and "source_id must not be empty." in blank.content[0].text
    assert "item(s)" not in blank.content[0].text
