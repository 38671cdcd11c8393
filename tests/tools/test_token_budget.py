"""Context is the agent's scarcest resource: the tool surface and typical results stay within budget.

Budgets are measured figures plus a little room for deliberate growth (cl100k_base tokens, as
`python -m bench.token_cost` prints them). A change that needs more must raise the budget here, in the
same commit, with the reason.
"""

from __future__ import annotations

import json
from typing import Any

import httpx2
from mcp import Client

from bench.token_cost import count_tokens, tools_list_tokens
from ninjahire_mcp.config import Settings
from ninjahire_mcp.sandbox import create_app
from ninjahire_mcp.server import build_server

# Measured 3,569 for the default 30 tools: 74% of the 4,824 of a server that FastMCP.from_openapi
# generates from the same API (bench/context_cost.py); the first 29 tools cost 5,643. The budget was
# the project's target, 75% of the generated server. Issue 11 raised it to 3,950 for search_screening
# (232 tokens) and the names and job filters of get_applications, find_candidates and screening_funnel
# (+130): one question across calls then costs a few hundred tokens of result instead of 15,000+ of
# paged reports (bench/search.py), repaid by the first such question. Measured 3,931.
TOOLS_LIST_BUDGET = 3_950
INSTRUCTIONS_BUDGET = 360  # measured 339


async def sandbox_pair() -> tuple[httpx2.AsyncClient, Any]:
    app = create_app()
    raw = httpx2.AsyncClient(
        transport=httpx2.ASGITransport(app=app), base_url="http://sandbox", headers={"Authorization": "Bearer k"}
    )
    return raw, build_server(Settings(sandbox=True), transport=httpx2.ASGITransport(app=app))


async def test_the_default_tool_surface_stays_within_its_budget() -> None:
    async with Client(build_server(Settings(api_key="k"))) as client:
        tokens = tools_list_tokens((await client.list_tools()).tools)
        instructions = count_tokens(client.instructions or "")
    assert tokens <= TOOLS_LIST_BUDGET, f"tools/list costs {tokens} tokens, budget {TOOLS_LIST_BUDGET}"
    assert instructions <= INSTRUCTIONS_BUDGET, f"instructions cost {instructions} tokens"


async def test_a_page_of_a_job_s_applications_costs_at_most_half_the_raw_api_json() -> None:
    # The usual path lists a job's applications. (A page mixing every job shares no job_id to say once:
    # it costs 57% of the raw JSON, measured when this was written.)
    raw, server = await sandbox_pair()
    async with raw, Client(server) as client:
        jobs = (await raw.get("/v1/jobs", params={"page": 1, "size": 100})).json()["data"]
        for job in jobs:
            query = {"page": 1, "size": 10, "job_id": job["id"]}
            api_json = (await raw.get("/v1/applications", params=query)).text
            ours = (await client.call_tool("get_applications", query)).content[0].text
            assert count_tokens(ours) <= count_tokens(api_json) / 2, (job["title"], count_tokens(ours))


async def test_a_typical_screening_report_costs_at_most_half_the_raw_api_json() -> None:
    raw, server = await sandbox_pair()
    ratios = []
    async with raw, Client(server) as client:
        calls = (await raw.get("/v1/calls", params={"page": 1, "size": 30})).json()["data"]
        for call in calls:
            if call["call_status"] != "call_completed":
                continue
            api_json = (await raw.get(f"/v1/calls/{call['call_id']}")).text
            ours = (await client.call_tool("get_call", {"call_id": call["call_id"]})).content[0].text
            ratios.append(count_tokens(ours) / count_tokens(api_json))
    ratios.sort()
    median = ratios[len(ratios) // 2]
    assert len(ratios) >= 10 and median <= 0.5, f"median report costs {median:.0%} of the raw call"
    assert max(ratios) <= 0.6  # even the longest answers keep most of the saving


async def test_a_page_of_screening_results_costs_at_most_half_the_raw_api_json() -> None:
    raw, server = await sandbox_pair()
    async with raw, Client(server) as client:
        found = json.loads((await client.call_tool("find_jobs", {"query": "LLM Engineer"})).content[0].text)
        job_id = found["matches"][0]["id"]
        api_json = (await raw.get("/v1/calls", params={"page": 1, "size": 10, "job_id": job_id})).text
        ours = (await client.call_tool("get_screening_results", {"job_id": job_id, "size": 10})).content[0].text
    assert count_tokens(ours) <= count_tokens(api_json) / 2, (count_tokens(ours), count_tokens(api_json))
