"""Questions that need many calls, answered in one: ranking, the funnel, and finding jobs and candidates."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx2
import pytest
from mcp import Client

from ninjahire_mcp.config import Settings
from ninjahire_mcp.server import build_server
from ninjahire_mcp.toolkit import matches

from ..support.api import JOB, RecordingAPI, call, records

MODES = ["auto", "legacy"]


async def all_pages(client: Client, tool: str, **filters: Any) -> list[dict[str, Any]]:
    items, page = [], 1
    while True:
        listed = await call(client, tool, page=page, size=100, **filters)
        items += records(listed)
        if not listed["has_more"]:
            return items
        page += 1


async def llm_job(client: Client) -> str:
    found = await call(client, "find_jobs", query="LLM engineer")
    assert found["total_matches"] == 1
    return str(found["matches"][0]["id"])


@pytest.mark.parametrize("mode", MODES)
async def test_rank_applicants_keeps_each_application_s_best_completed_call(mode: str) -> None:
    async with Client(build_server(Settings(sandbox=True)), mode=mode) as client:
        job_id = await llm_job(client)
        ranked = await call(client, "rank_applicants", job_id=job_id, limit=100)
        calls = await all_pages(client, "get_screening_results", job_id=job_id)
        first = ranked["rows"][0]
        candidate = await call(client, "get_application", application_id=first[4])

    best: dict[str, int] = {}
    for screening in calls:
        if screening["call_status"] == "call_completed":
            application = screening["application_id"]
            best[application] = max(best.get(application, -1), screening["call_score"])
    assert ranked["columns"] == ["rank", "candidate", "call_score", "ninjahire_intelligence", "application_id",
                                 "call_id"]  # fmt: skip
    assert [row[4] for row in ranked["rows"]] and {row[4]: row[2] for row in ranked["rows"]} == best
    scores = [row[2] for row in ranked["rows"]]
    assert scores == sorted(scores, reverse=True)
    assert [row[0] for row in ranked["rows"]] == list(range(1, len(scores) + 1))
    assert first[1] == f"{candidate['candidate']['first_name']} {candidate['candidate']['last_name']}"
    assert ranked["applications_screened"] == len(best) and ranked["calls_read"] == len(calls)
    assert ranked["complete"] is True


async def test_rank_applicants_min_score_is_inclusive_and_limit_bounds_rows() -> None:
    async with Client(build_server(Settings(sandbox=True))) as client:
        job_id = await llm_job(client)
        everyone = await call(client, "rank_applicants", job_id=job_id, limit=100)
        threshold = everyone["rows"][2][2]
        above = await call(client, "rank_applicants", job_id=job_id, min_score=threshold, limit=100)
        top_two = await call(client, "rank_applicants", job_id=job_id, limit=2)
    assert [row[2] for row in above["rows"]] == [row[2] for row in everyone["rows"] if row[2] >= threshold]
    assert top_two["rows"] == everyone["rows"][:2]


@pytest.mark.parametrize("mode", MODES)
async def test_screening_funnel_counts_the_whole_pipeline(mode: str) -> None:
    async with Client(build_server(Settings(sandbox=True)), mode=mode) as client:
        job_id = await llm_job(client)
        funnel = await call(client, "screening_funnel", job_id=job_id)
        applications = await all_pages(client, "get_applications", job_id=job_id)
        calls = await all_pages(client, "get_screening_results", job_id=job_id)

    assert funnel["applications"] == len(applications) and funnel["calls"] == len(calls)
    assert funnel["by_application_stage"] == dict(Counter(a["application_stage"] for a in applications))
    assert funnel["by_screening_status"] == dict(Counter(a["screening_status"] for a in applications))
    assert funnel["calls_by_ninjahire_intelligence"] == dict(Counter(c["ninjahire_intelligence"] for c in calls))
    called = {c["application_id"] for c in calls}
    assert funnel["applications_without_call"] == sum(1 for a in applications if a["id"] not in called) > 0


@pytest.mark.parametrize("mode", MODES)
async def test_long_reads_report_progress(mode: str) -> None:
    progress: list[tuple[float, float | None, str | None]] = []

    async def on_progress(done: float, total: float | None, message: str | None) -> None:
        progress.append((done, total, message))

    async with Client(build_server(Settings(sandbox=True)), mode=mode) as client:
        job_id = await llm_job(client)
        result = await client.call_tool("screening_funnel", {"job_id": job_id}, progress_callback=on_progress)
    assert not result.is_error
    assert any("applications" in (message or "") for _, _, message in progress)
    assert any("screening calls" in (message or "") for _, _, message in progress)
    assert all(total is not None and done <= total for done, total, _ in progress)


def paged(total: int) -> Callable[[httpx2.Request], httpx2.Response]:
    """A list endpoint holding `total` calls of one job, paged as the API pages."""

    def answer(request: httpx2.Request) -> httpx2.Response:
        if request.url.path.startswith("/v1/candidates/"):
            return httpx2.Response(200, json={"first_name": "N", "last_name": request.url.path[-4:]})
        page, size = int(request.url.params["page"]), int(request.url.params["size"])
        start = (page - 1) * size
        rows = [
            {"call_id": f"c{i}", "application_id": f"a{i % 300}", "candidate_id": f"p{i % 300}",
             "call_status": "call_completed", "call_score": i % 101, "ninjahire_intelligence": "call_success"}
            for i in range(start, min(start + size, total))
        ]  # fmt: skip
        return httpx2.Response(200, json={"data": rows, "count": total})

    return answer


async def test_reading_is_bounded_by_the_scan_setting(server_for: Callable[..., Any], api: RecordingAPI) -> None:
    api.default = paged(total=1000)
    async with Client(server_for(scan_pages=3)) as client:
        ranked = await call(client, "rank_applicants", job_id=JOB)
    pages = sorted(int(r.url.params["page"]) for r in api.requests if r.url.path == "/v1/calls")
    assert pages == [1, 2, 3]
    assert all(r.url.params["size"] == "100" and r.url.params["job_id"] == JOB for r in api.requests
               if r.url.path == "/v1/calls")  # fmt: skip
    assert ranked["calls_read"] == 300 and ranked["complete"] is False


async def test_every_page_is_read_when_within_bounds(server_for: Callable[..., Any], api: RecordingAPI) -> None:
    api.default = paged(total=250)
    async with Client(server_for()) as client:
        ranked = await call(client, "rank_applicants", job_id=JOB, limit=3)
    assert ranked["calls_read"] == 250 and ranked["complete"] is True
    assert [row[2] for row in ranked["rows"]] == [100, 100, 99]  # calls 100 and 201 both scored 100


@pytest.mark.parametrize("mode", MODES)
async def test_find_jobs_matches_every_word_in_title_city_state_or_status(mode: str) -> None:
    async with Client(build_server(Settings(sandbox=True)), mode=mode) as client:
        every_job = await all_pages(client, "get_jobs")
        llm = await call(client, "find_jobs", query="llm SAN jose")
        active = await call(client, "find_jobs", query="active", limit=100)
        nothing = await call(client, "find_jobs", query="underwater basket weaving")
    assert [m["summary"].split(" · ")[0] for m in llm["matches"]] == ["LLM Engineer"]
    assert active["total_matches"] == sum(1 for job in every_job if "active" in job["status"].lower())
    assert nothing["matches"] == [] and nothing["searched"] == len(every_job) and nothing["complete"]


@pytest.mark.parametrize("mode", MODES)
async def test_find_candidates_matches_names_and_emails(mode: str) -> None:
    async with Client(build_server(Settings(sandbox=True)), mode=mode) as client:
        dana = await call(client, "find_candidates", query="dana")
        candidate = await call(client, "get_candidate", candidate_id=dana["matches"][0]["id"])
        by_email = await call(client, "find_candidates", query=candidate["email"].split("@")[0].upper())
        by_full_name = await call(client, "find_candidates",
                                  query=f"{candidate['first_name']} {candidate['last_name']}")  # fmt: skip
    assert candidate["first_name"] == "Dana"
    assert candidate["id"] in [m["id"] for m in by_email["matches"]]
    assert candidate["id"] in [m["id"] for m in by_full_name["matches"]]
    assert dana["matches"][0]["summary"].startswith(f"{candidate['first_name']} {candidate['last_name']}")


def test_matching_is_case_insensitive_and_needs_every_word() -> None:
    assert matches("llm san", ["LLM Engineer", "San Jose"])
    assert not matches("llm austin", ["LLM Engineer", "San Jose"])
    assert matches("ÉCOLE", ["école"])
    assert not matches("x", [None, ""])
