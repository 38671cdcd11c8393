"""Structured results: every tool declares an outputSchema, and every answer's structuredContent satisfies it
and is the text content's JSON, in both protocol eras, checked here with jsonschema (not only by the SDK
client, which validates too): one walk through every tool on the sandbox, a preview and a refusal, and an API
that answers a field with the wrong type."""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest
from jsonschema import Draft202012Validator
from mcp import Client
from mcp.client.extension import advertise
from mcp.server.apps import APP_MIME_TYPE, EXTENSION_ID
from mcp.types import Tool

from ninjahire_mcp.config import ALL_TOOLSETS, Settings
from ninjahire_mcp.sandbox import create_app
from ninjahire_mcp.server import build_server
from ninjahire_mcp.toolkit import Timing

from ..support.api import CALL, RecordingAPI, records
from ..support.clock import Clock
from ..support.sandbox import call_record

MODES = ["auto", "legacy"]
SECRET = "whsec_test_output_schemas"


class Checked:
    """Calls tools through a client and checks each answer against the schema the server listed."""

    def __init__(self, client: Client, tools: list[Tool]) -> None:
        self.client = client
        self.schemas = {tool.name: tool.output_schema for tool in tools}
        self.seen: set[str] = set()
        self.meta: dict[str, Any] = {}  # the last result's _meta

    async def __call__(self, tool: str, **arguments: Any) -> Any:
        result = await self.client.call_tool(tool, arguments)
        text = result.content[0].text
        assert not result.is_error, f"{tool}: {text}"
        schema = self.schemas[tool]
        assert schema is not None, f"{tool} lists no outputSchema"
        errors = [error.message for error in Draft202012Validator(schema).iter_errors(result.structured_content)]
        assert not errors, f"{tool}: {errors}"
        assert json.loads(text) == result.structured_content, f"{tool}: the text is not the structured content"
        self.seen.add(tool)
        self.meta = result.meta or {}
        return result.structured_content


def sandbox(clock: Clock, **settings: Any) -> Any:
    async def fake_sleep(seconds: float) -> None:
        clock.now += seconds

    emulator = httpx2.ASGITransport(app=create_app(call_duration=60, clock=clock))
    return build_server(
        Settings(sandbox=True, toolsets=frozenset(ALL_TOOLSETS), webhook_secret=SECRET, **settings),
        transport=emulator,
        timing=Timing(monotonic=clock, sleep=fake_sleep),
    )


async def confirmed(check: Checked, tool: str, **arguments: Any) -> Any:
    """A gated call confirmed: by its token, or, for a client that renders views, by the card's button."""
    preview = await check(tool, **arguments)
    if preview["status"] == "awaiting_approval":
        return await check("approve", handle=check.meta["ninjahire/approval"]["handle"])
    assert preview["status"] == "confirmation_required"
    return await check(tool, **arguments, confirm_token=preview["confirm_token"])


# A client that renders MCP Apps views gets the approval card instead of a token.
RENDERS_VIEWS = advertise(EXTENSION_ID, {"mimeTypes": [APP_MIME_TYPE]})


@pytest.mark.parametrize("views", [False, True], ids=["token", "card"])
@pytest.mark.parametrize("mode", MODES)
async def test_every_tool_s_structured_content_fits_its_schema_and_is_its_text(mode: str, views: bool) -> None:
    clock = Clock()
    async with Client(sandbox(clock), mode=mode, extensions=[RENDERS_VIEWS] if views else []) as client:
        tools = (await client.list_tools()).tools
        check = Checked(client, tools)
        jobs = await check("get_jobs", size=100)
        job = next(j for j in records(jobs) if j["title"] == "LLM Engineer")
        job_id = job["id"]
        await check("get_job", job_id=job_id)
        await check("find_jobs", query="engineer")
        created = await check(
            "create_job", title="Schema Tester", industry="AI", state_name="NY", country="United States",
            recruiter_name="Ada", recruiter_email="ada@example.com", recruiter_work_phone_no="+12025550188",
            status="Active", desc="Checks schemas.", source_id="JOB-SCHEMA-1",
        )  # fmt: skip
        await check("update_job", job_id=created["id"], status="Closed")
        await check("update_job", job_id=created["id"], status="Closed")  # nothing changes: the note
        await check("get_job_scheduling", job_id=job_id)
        await confirmed(check, "set_job_scheduling", job_id=job_id, scheduling=True)
        await check("get_schedule_settings", job_id=job_id)
        await confirmed(check, "update_schedule_settings", job_id=job_id, window_end_time="20:00")

        candidates = await check("get_candidates", size=5)
        candidate_id = records(candidates)[0]["id"]
        await check("get_candidate", candidate_id=candidate_id)
        await check("find_candidates", query="a", limit=3)
        await check("find_candidates", job_ids=[job_id], limit=3)
        await check(
            "create_candidate", first_name="Ivo", email="ivo@example.com", phone_no="+12025550166",
            source="LinkedIn", source_id="CAND-SCHEMA-1",
        )  # fmt: skip
        await check("update_candidate", candidate_id=candidate_id, city="Boston")

        applications = await check("get_applications", job_id=job_id, size=100)
        rows = records(applications)
        application_id = rows[0]["id"]
        await check("get_application", application_id=application_id)
        await check(
            "create_application", candidate_source_id="CAND-SCHEMA-1", job_source_id="JOB-SCHEMA-1",
            source_application_status="Applied", application_stage="ACTIVE", job_id=created["id"],
        )  # fmt: skip
        await check(
            "update_application", application_id=application_id, source_application_status="Interviewing",
            application_stage="ACTIVE",
        )  # fmt: skip
        await check(
            "create_candidate", first_name="Mae", email="mae@example.com", phone_no="+12025550155",
            source="LinkedIn", source_id="CAND-SCHEMA-2",
        )  # fmt: skip
        await check(
            "create_application_with_questions", candidate_source_id="CAND-SCHEMA-2", job_source_id="JOB-SCHEMA-1",
            source_application_status="Applied", application_stage="ACTIVE",
            questions=[{"question_text": "Which eval harness do you trust?", "source_id": "Q-S1"}],
        )  # fmt: skip

        await check("get_questions", job_id=job_id)
        added = await check("add_question", job_id=job_id, question_text="What is RAG?", source_id="Q-S9")
        await check("update_question", job_id=job_id, question_id=added["id"], question_text="RAG?", source_id="Q-S9")
        await confirmed(check, "delete_question", job_id=job_id, question_id=added["id"])
        await check("generate_questions", job_id=job_id)

        results = await check("get_screening_results", job_id=job_id, size=5)
        call_id = records(results)[0]["call_id"]
        await check("get_call", call_id=call_id, include_transcript=True)
        await check("rank_applicants", job_id=job_id)
        await check("shortlist_data", job_id=job_id)
        await check("call_transcript", call_id=call_id, offset=20)
        await check("screening_funnel", job_id=job_id)
        await check("search_screening", query="nights", limit=3)
        found = await check("search", query="kubernetes")
        await check("fetch", id=found["results"][0]["id"] if found["results"] else call_id)

        pending = next(a for a in rows if a["screening_status"] == "pending")
        started = await confirmed(check, "instant_call", application_id=pending["id"])
        running = await check("wait_for_call", call_id=started["call_id"], timeout_s=5)
        assert running["call_status"] == "call_in_progress" and "next" in running
        clock.now += 61
        await check("wait_for_call", call_id=started["call_id"])
        await check("get_webhook_events")

        hooks = await check("get_webhook")
        hook = hooks["data"][0]
        saved = await confirmed(
            check, "set_webhook", tenant_id=hook["tenant_id"], triggered_event="application_activty",
            type="post_call_screening", fields=["id", "status"], url="https://hooks.example.com/ninjahire",
            http_method="POST", content_type="application/json", secret="whsec_do_not_show", is_active=True,
        )  # fmt: skip
        await confirmed(check, "unsubscribe_webhook", tenant_webhook_id=saved["id"])
        await check("subscribe_webhook", tenant_webhook_id=saved["id"])

    walked = check.seen | ({"approve"} if not views else set())  # the button needs a card: the "card" walk
    assert walked == {tool.name for tool in tools}, "a tool this walk does not reach"


@pytest.mark.parametrize("mode", MODES)
async def test_every_listed_output_schema_is_an_object_schema_that_compiles(mode: str) -> None:
    async with Client(sandbox(Clock()), mode=mode) as client:
        tools = (await client.list_tools()).tools
    assert len(tools) == 41  # every toolset, the inbox's included, and the views' three app-only tools
    for tool in tools:
        schema = tool.output_schema
        assert schema is not None and schema["type"] == "object", tool.name
        Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("mode", MODES)
async def test_a_refusal_is_structured_as_the_schema_says(mode: str) -> None:
    async def decline(_context: Any, _params: Any) -> Any:
        from mcp.types import ElicitResult

        return ElicitResult(action="decline")

    async with Client(sandbox(Clock()), mode=mode, elicitation_callback=decline) as client:
        check = Checked(client, (await client.list_tools()).tools)
        jobs = await check("get_jobs", size=1)
        refused = await check("set_job_scheduling", job_id=records(jobs)[0]["id"], scheduling=True)
    assert refused["status"] == "not_done"


@pytest.mark.parametrize("mode", MODES)
async def test_a_field_of_the_wrong_type_moves_to_unexpected_and_the_text_keeps_it(mode: str) -> None:
    # The client keeps a misfit as it came (client/_records.py): the result still fits its schema.
    api = RecordingAPI(default=lambda _request: httpx2.Response(200, json=call_record(call_score="n/a")))
    server = build_server(Settings(api_key="k"), transport=api.transport)
    async with Client(server, mode=mode) as client:
        check = Checked(client, (await client.list_tools()).tools)
        result = await client.call_tool("get_call", {"call_id": CALL})
    text = json.loads(result.content[0].text)
    assert text["call_score"] == "n/a"
    structured = result.structured_content
    assert structured is not None and "call_score" not in structured
    assert structured["unexpected"] == {"call_score": "n/a"}
    assert structured["ninjahire_intelligence"] == text["ninjahire_intelligence"]
    schema = check.schemas["get_call"]
    assert schema is not None and not list(Draft202012Validator(schema).iter_errors(structured))
