"""Rules every tool obeys, checked across the whole catalogue, and a snapshot of the tool surface.

The snapshots (one file per tool, tests/snapshots/tools/) turn any change to a name, description,
schema or annotation into a reviewed diff of that tool: run `UPDATE_SNAPSHOTS=1 pytest
tests/tools/test_catalogue.py` to accept one, and commit the result.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.types import Tool

from ninjahire_mcp.config import ALL_TOOLSETS, Settings
from ninjahire_mcp.server import build_server
from ninjahire_mcp.tool_table import replace_tool_table

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOTS = ROOT / "tests" / "snapshots" / "tools"  # one file per tool: a change is a diff of that tool
UPDATE = os.environ.get("UPDATE_SNAPSHOTS") == "1"

EVERY_TOOL = {
    "get_jobs", "create_job", "get_job", "update_job", "get_job_scheduling", "set_job_scheduling",
    "get_schedule_settings", "update_schedule_settings", "get_candidates", "create_candidate", "get_candidate",
    "update_candidate", "get_applications", "create_application", "get_application", "update_application",
    "create_application_with_questions", "get_questions", "add_question", "update_question", "delete_question",
    "generate_questions", "instant_call", "get_call", "get_screening_results", "get_webhook", "set_webhook",
    "subscribe_webhook", "unsubscribe_webhook", "wait_for_call", "rank_applicants", "screening_funnel", "find_jobs",
    "find_candidates", "get_webhook_events", "search_screening", "search", "fetch",
    # app-only (MCP Apps): what the views call for themselves, kept from the model by the host
    "shortlist_data", "call_transcript", "approve",
}  # fmt: skip
APP_ONLY = {"shortlist_data", "call_transcript", "approve"}
# Which view renders which tools' results (surface/apps.py).
VIEWS = {
    "shortlist": {"rank_applicants", "screening_funnel", "search_screening", "shortlist_data"},
    "scorecard": {"get_call", "get_screening_results", "wait_for_call", "call_transcript"},
    "approval": {"instant_call", "set_job_scheduling", "update_schedule_settings", "set_webhook",
                 "unsubscribe_webhook", "delete_question", "approve"},
}  # fmt: skip
# Tools that answer in one call what would take many: they read, never write.
AGGREGATES = {"wait_for_call", "rank_applicants", "screening_funnel", "find_jobs", "find_candidates",
              "search_screening", "search", "fetch", "shortlist_data", "call_transcript"}  # fmt: skip
PAGED = {"get_jobs", "get_candidates", "get_applications", "get_screening_results", "get_webhook_events"}
ID_PARAMS = {"job_id", "candidate_id", "application_id", "call_id"}


@pytest.fixture(scope="module")
def tools() -> dict[str, Tool]:
    async def listed() -> dict[str, Tool]:
        # With the webhook inbox on (in memory), so that its tool is on the surface too.
        settings = Settings(api_key="k", toolsets=frozenset(ALL_TOOLSETS), webhook_secret="s", webhook_db=":memory:")
        async with Client(build_server(settings)) as client:
            return {tool.name: tool for tool in (await client.list_tools()).tools}

    return anyio.run(listed)


@pytest.fixture(scope="module")
def instructions() -> str:
    async def initialized() -> str:
        settings = Settings(api_key="k", toolsets=frozenset(ALL_TOOLSETS))
        async with Client(build_server(settings)) as client:
            return client.instructions or ""

    return anyio.run(initialized)


def wire(tool: Tool) -> dict[str, Any]:
    return tool.model_dump(mode="json", by_alias=True, exclude_none=True)


def test_the_tools_are_exactly_the_issue_s_tools(tools: dict[str, Tool]) -> None:
    assert set(tools) == EVERY_TOOL


def test_every_tool_states_all_annotation_hints_and_a_title(tools: dict[str, Tool]) -> None:
    for tool in tools.values():
        hints = wire(tool)["annotations"]
        assert set(hints) == {"title", "readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"}, tool.name
        assert tool.title == hints["title"]


def test_only_reads_are_read_only(tools: dict[str, Tool]) -> None:
    read_only = {name for name, tool in tools.items() if tool.annotations.read_only_hint}
    assert read_only == {name for name in EVERY_TOOL if name.startswith("get_")} | AGGREGATES
    for name in read_only:
        assert tools[name].annotations.destructive_hint is False
        assert tools[name].annotations.idempotent_hint is True


def test_real_world_effects_are_flagged(tools: dict[str, Tool]) -> None:
    call = tools["instant_call"].annotations
    assert (call.destructive_hint, call.idempotent_hint, call.open_world_hint) == (True, False, True)
    assert tools["delete_question"].annotations.destructive_hint is True
    assert tools["set_webhook"].annotations.open_world_hint is True
    assert tools["set_webhook"].annotations.destructive_hint is True
    assert tools["set_job_scheduling"].annotations.open_world_hint is True
    creates = [name for name in EVERY_TOOL if name.startswith(("create_", "add_", "generate_"))]
    assert all(tools[name].annotations.idempotent_hint is False for name in creates)


def test_names_are_short_and_portable(tools: dict[str, Tool]) -> None:
    for name in tools:
        assert re.fullmatch(r"[a-z][a-z_]{2,40}", name), name


def test_schemas_are_plain_objects_without_keywords_a_model_gains_nothing_from(tools: dict[str, Tool]) -> None:
    # Guardrails enforce what these keywords would say, with better messages (test_guardrails.py),
    # so the tokens are not spent advertising them: titles, nullable wrappers, minLength 1, uuid formats.
    for tool in tools.values():
        schema = tool.input_schema
        assert schema["type"] == "object"
        assert not {"anyOf", "oneOf", "allOf"} & set(schema), tool.name
        assert not _schema_keywords(schema) & {"title", "additionalProperties", "format"}, tool.name
        assert not re.search(r'"minLength": 1\b', json.dumps(schema)), tool.name


def test_each_view_is_named_by_the_tools_it_renders_and_app_only_tools_are_kept_from_the_model(
    tools: dict[str, Tool],
) -> None:
    for view, names in VIEWS.items():
        for name in names:
            ui = (tools[name].meta or {})["ui"]
            assert ui["resourceUri"] == f"ui://ninjahire/{view}.html", name
            assert ui.get("visibility") == (["app"] if name in APP_ONLY else None), name
    attached = set().union(*VIEWS.values())
    assert all("ui" not in (tool.meta or {}) for name, tool in tools.items() if name not in attached)


def _schema_keywords(node: Any) -> set[str]:
    """Every keyword used in a schema, not counting property names."""
    if isinstance(node, list):
        return set().union(*(_schema_keywords(item) for item in node))
    if not isinstance(node, dict):
        return set()
    found = set(node)
    for key, value in node.items():
        children = value.values() if key in ("properties", "$defs") else [value]
        found |= set().union(*(_schema_keywords(child) for child in children))
    return found


def _properties(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = list(schema.get("properties", {}).items())
    for definition in schema.get("$defs", {}).values():
        found += _properties(definition)
    return found


# Parameters whose name and schema say all a model needs; every other one carries a description.
# Ids are explained once, in the server instructions, and refused with a pointer to their source.
SELF_EXPLANATORY = ID_PARAMS | {
    "page", "size", "limit", "timeout_s", "query", "include_transcript",
    "title", "industry", "client_name", "job_code", "address", "city", "state_name", "zip_code", "country",
    "recruiter_name", "recruiter_email", "recruiter_work_phone_no", "min_pay_rate", "max_pay_rate", "desc",
    "first_name", "last_name", "email", "source_id", "job_source_id", "candidate_source_id", "questions",
    "scheduling", "daily_attempts", "email_enabled", "email_repeat", "sms_enabled", "sms_repeat",
    "voicemail_enabled", "question_id", "application_stage",
}  # fmt: skip
# The API's own hints and what an agent cannot guess: formats, units, open vocabularies, side effects.
MUST_EXPLAIN = {
    "start_date", "end_date", "posting_date", "window_start_time", "window_end_time", "days_of_week",
    "phone_no", "confirm_token", "force", "resume_path", "status", "workplace_type", "employment_type",
    "pay_frequency", "pay_rate_currency", "source", "source_application_status", "retry_interval",
    "email_notify_minutes", "sms_notify_minutes", "call_schedule_minutes", "repeat_calling", "default", "name",
    "offset", "min_score",
}  # fmt: skip


def test_parameters_are_described_unless_name_and_schema_say_it_all(tools: dict[str, Tool]) -> None:
    for tool in tools.values():
        for name, prop in _properties(tool.input_schema):
            if name in MUST_EXPLAIN:
                assert prop.get("description"), f"{tool.name}.{name}: say what the name and schema cannot"
            elif not prop.get("description"):
                assert name in SELF_EXPLANATORY, f"{tool.name}.{name} has no description"


def test_ids_are_explained_once_and_each_lister_names_its_id(tools: dict[str, Tool], instructions: str) -> None:
    ids_sentence = next(line for line in instructions.splitlines() if line.startswith("IDs:"))
    for name in ID_PARAMS:
        assert name in ids_sentence and "UUID" in ids_sentence
    # Where each id comes from is said where it first appears: "a job's `id` is the job_id".
    listers = {"get_jobs": "job_id", "get_candidates": "candidate_id", "create_candidate": "candidate_id",
               "create_application": "application_id"}  # fmt: skip
    for lister, id_name in listers.items():
        description = tools[lister].description or ""
        assert f"`id` is the {id_name}" in description or f"`id` is its {id_name}" in description, lister
    assert "as application_id" in (tools["get_applications"].description or "")
    for tool in tools.values():
        for name in set(tool.input_schema.get("required", [])) & (ID_PARAMS | {"question_id", "tenant_webhook_id"}):
            assert tool.input_schema["properties"][name]["type"] == "string", f"{tool.name}.{name}"


def test_paging_is_bounded_with_documented_defaults(tools: dict[str, Tool]) -> None:
    for name in PAGED:
        props = tools[name].input_schema["properties"]
        # page's default is its minimum, so the schema leaves it unsaid (_schema.py)
        assert props["page"] | {"description": ""} == {"type": "integer", "minimum": 1, "description": ""}
        assert props["size"] | {"description": ""} == {
            "type": "integer", "minimum": 1, "maximum": 100, "default": 10, "description": "",
        }  # fmt: skip
        assert set(tools[name].input_schema.get("required", [])) == set()


def test_screening_results_mirror_the_api_agent_hints(tools: dict[str, Tool]) -> None:
    tool = tools["get_screening_results"]
    props = tool.input_schema["properties"]
    assert "MUST start at 1, never 0" in props["page"]["description"]
    assert "PRIMARY filter" in props["application_id"]["description"]
    assert "Do NOT use it when you have application_id" in props["application_source_id"]["description"]
    assert "screening_status is 'completed'" in (tool.description or "")
    assert "after get_applications" in (tool.description or "")


def test_descriptions_are_tight(tools: dict[str, Tool]) -> None:
    for tool in tools.values():
        assert 20 <= len(tool.description or "") <= 420, tool.name
        for name, prop in _properties(tool.input_schema):
            assert len(prop.get("description", "")) <= 120, f"{tool.name}.{name}"


def test_side_effects_are_stated_in_descriptions(tools: dict[str, Tool]) -> None:
    assert "real person" in (tools["instant_call"].description or "")
    assert "for good" in (tools["delete_question"].description or "")
    assert "candidate data" in (tools["set_webhook"].description or "")
    assert "phone" in (tools["set_job_scheduling"].description or "")


def test_tool_surface_matches_the_snapshots(tools: dict[str, Tool]) -> None:
    if UPDATE:
        SNAPSHOTS.mkdir(parents=True, exist_ok=True)
        for stale in set(SNAPSHOTS.glob("*.json")) - {SNAPSHOTS / f"{name}.json" for name in tools}:
            stale.unlink()
        for name, tool in tools.items():
            (SNAPSHOTS / f"{name}.json").write_text(
                json.dumps(wire(tool), indent=2, ensure_ascii=False) + "\n", "utf-8"
            )
    snapshotted = {path.stem for path in SNAPSHOTS.glob("*.json")}
    assert snapshotted == set(tools), (
        "tools added or removed: review, then UPDATE_SNAPSHOTS=1 pytest tests/tools/test_catalogue.py"
    )
    changed = [name for name, tool in sorted(tools.items()) if _snapshot(name) != wire(tool)]
    assert not changed, f"tool surface changed ({', '.join(changed)}): review, then UPDATE_SNAPSHOTS=1"


def _snapshot(name: str) -> Any:
    return json.loads((SNAPSHOTS / f"{name}.json").read_text("utf-8"))


def test_readme_tool_table_matches_the_catalogue() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    expected = replace_tool_table(readme)
    if UPDATE:
        (ROOT / "README.md").write_text(expected, "utf-8")
        readme = expected
    assert readme == expected, "README tool table is stale: run UPDATE_SNAPSHOTS=1 pytest tests/tools/test_catalogue.py"
