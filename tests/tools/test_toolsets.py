"""Which tools are served: toolsets, an explicit list, exclusions, and read-only mode over everything."""

from __future__ import annotations

import pytest
from mcp import Client

from ninjahire_mcp.config import ALL_TOOLSETS, DEFAULT_TOOLSETS, ConfigError, Settings
from ninjahire_mcp.server import build_server
from ninjahire_mcp.tools import CATALOGUE as EVERY_TOOL
from ninjahire_mcp.tools import INBOX_TOOLSETS, select_specs

# The webhook inbox is off here: its tools are served only with it (test_inbox_tool.py).
CATALOGUE = tuple(spec for spec in EVERY_TOOL if spec.toolset not in INBOX_TOOLSETS)


def names(settings: Settings) -> set[str]:
    return {spec.name for spec in select_specs(settings)}


ALL = frozenset(ALL_TOOLSETS)
WEBHOOK_TOOLS = {"get_webhook", "set_webhook", "subscribe_webhook", "unsubscribe_webhook"}
RESEARCH_TOOLS = {"search", "fetch"}  # for research clients: opt in


def test_default_serves_everything_but_tenant_webhook_administration_and_research() -> None:
    assert names(Settings()) == {spec.name for spec in CATALOGUE} - WEBHOOK_TOOLS - RESEARCH_TOOLS


def test_all_serves_every_tool() -> None:
    assert names(Settings(toolsets=ALL)) == {spec.name for spec in CATALOGUE}


def test_toolsets_pick_their_tools() -> None:
    assert names(Settings(toolsets=frozenset({"calls"}))) == {
        "instant_call", "get_call", "get_screening_results", "wait_for_call", "rank_applicants", "screening_funnel",
        "search_screening",
    }  # fmt: skip
    assert names(Settings(toolsets=frozenset({"research"}))) == RESEARCH_TOOLS


def test_an_explicit_tool_list_replaces_the_toolsets() -> None:
    assert names(Settings(tools=frozenset({"get_jobs", "set_webhook"}))) == {"get_jobs", "set_webhook"}


def test_exclusions_always_win() -> None:
    assert "instant_call" not in names(Settings(exclude_tools=frozenset({"instant_call"})))
    assert names(Settings(tools=frozenset({"get_jobs", "get_job"}), exclude_tools=frozenset({"get_job"}))) == {
        "get_jobs"
    }


def test_read_only_is_applied_last_and_overrides_everything() -> None:
    chosen = names(Settings(toolsets=ALL, read_only=True))
    assert chosen == {spec.name for spec in CATALOGUE if spec.effect.read_only}
    assert names(Settings(tools=frozenset({"instant_call", "get_call"}), read_only=True)) == {"get_call"}


@pytest.mark.parametrize("option", ["tools", "exclude_tools"])
def test_unknown_tool_names_are_a_configuration_error(option: str) -> None:
    with pytest.raises(ConfigError, match="unknown tool"):
        select_specs(Settings(**{option: frozenset({"get_jobz"})}))


def test_the_environment_says_the_same_as_the_flags() -> None:
    settings = Settings.from_env(
        {
            "NINJAHIRE_TOOLSETS": "jobs, calls",
            "NINJAHIRE_TOOLS": "",
            "NINJAHIRE_EXCLUDE_TOOLS": "instant_call,get_call",
            "NINJAHIRE_READ_ONLY": "yes",
        }
    )
    assert settings.toolsets == {"jobs", "calls"} and settings.read_only
    assert names(settings) == {"get_jobs", "get_job", "get_job_scheduling", "get_schedule_settings",
                               "get_screening_results", "wait_for_call", "rank_applicants", "screening_funnel",
                               "find_jobs", "search_screening"}  # fmt: skip
    assert Settings.from_env({"NINJAHIRE_TOOLSETS": "all"}).toolsets == ALL
    assert Settings.from_env({}).toolsets == DEFAULT_TOOLSETS
    with pytest.raises(ConfigError, match="unknown toolset"):
        Settings.from_env({"NINJAHIRE_TOOLSETS": "jobs,payroll"})


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_read_only_server_lists_and_serves_only_reads(mode: str) -> None:
    async with Client(build_server(Settings(api_key="k", toolsets=ALL, read_only=True)), mode=mode) as client:
        listed = {tool.name for tool in (await client.list_tools()).tools}
        refused = await client.call_tool("instant_call", {"application_id": "0f8fad5b-d9cb-469f-a165-70867728950e"})
        instructions = client.instructions or ""
    # The views' readers stay (their views open from read-only tools); the approval card's button does not.
    assert listed == {spec.name for spec in CATALOGUE if spec.effect.read_only} | {"shortlist_data", "call_transcript"}
    assert refused.is_error and "Unknown tool: instant_call" in refused.content[0].text
    assert "READ-ONLY MODE" in instructions
    assert "instant_call" not in instructions and "set_webhook" not in instructions


async def test_instructions_mention_only_enabled_tools() -> None:
    async with Client(build_server(Settings(api_key="k", toolsets=frozenset({"calls"})))) as client:
        instructions = client.instructions or ""
    assert "Usual path: for an application whose screening_status is 'completed'" in instructions
    assert "get_jobs" not in instructions and "get_applications" not in instructions
    assert "instant_call phones a real person" in instructions
    assert "delete_question" not in instructions

    async with Client(build_server(Settings(api_key="k", toolsets=frozenset({"jobs"})))) as client:
        instructions = client.instructions or ""
    assert "Usual path" not in instructions and "instant_call" not in instructions
    assert "e.g. get_jobs(source_id=...)" in instructions


async def test_instructions_name_the_one_call_shortcuts_that_are_served() -> None:
    async with Client(build_server(Settings(api_key="k"))) as client:
        everything = client.instructions or ""
    async with Client(build_server(Settings(api_key="k", exclude_tools=frozenset({"rank_applicants"})))) as client:
        fewer = client.instructions or ""
    assert "rank_applicants ranks a job's screened applicants" in everything
    assert "wait_for_call follows a call until it ends" in everything and "find_candidates" in everything
    assert "rank_applicants" not in fewer and "screening_funnel counts" in fewer
