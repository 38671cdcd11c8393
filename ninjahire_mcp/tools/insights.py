"""Questions about a whole job that would take an agent dozens of calls: answered in one, compactly."""

from collections import Counter
from typing import Annotated, Any

import anyio
from mcp.server.mcpserver import Context
from pydantic import Field

from ..client import NinjahireError
from ._context import api
from ._paging import Collected, read_pages
from ._params import JobId
from ._registry import READ
from .calls import toolset

NAME_LOOKUPS = 5  # candidate lookups in flight at once


async def _calls_of(ctx: Context, job_id: str) -> Collected:
    async def fetch(page: int, size: int) -> Any:
        return await api(ctx).calls.list(page=page, size=size, job_id=job_id)

    return await read_pages(ctx, fetch, what="screening calls")


@toolset.tool("Rank applicants", READ)
async def rank_applicants(
    ctx: Context,
    job_id: JobId,
    min_score: Annotated[int, Field(ge=0, le=100, description="Inclusive.")] = 0,
    limit: Annotated[int, Field(ge=1, le=100)] = 10,
) -> Any:
    """Rank a job's applicants by their best completed screening call: candidate, call_score, ninjahire_intelligence,
    application_id, call_id."""
    collected = await _calls_of(ctx, job_id)
    best: dict[str, dict[str, Any]] = {}
    for call in collected.items:
        score = call.get("call_score")
        if call.get("call_status") != "call_completed" or not isinstance(score, int | float):
            continue
        key = str(call.get("application_id"))
        if key not in best or score > best[key]["call_score"]:
            best[key] = call
    ranked = sorted(
        (call for call in best.values() if call["call_score"] >= min_score),
        key=lambda call: (-call["call_score"], str(call.get("created_at") or "")),
    )[:limit]
    names = await _candidate_names(ctx, [str(call.get("candidate_id")) for call in ranked if call.get("candidate_id")])
    return {
        "job_id": job_id,
        "columns": ["rank", "candidate", "call_score", "ninjahire_intelligence", "application_id", "call_id"],
        "rows": [
            [
                rank,
                names.get(str(call.get("candidate_id")), "unknown"),
                call["call_score"],
                call.get("ninjahire_intelligence"),
                call.get("application_id"),
                call.get("call_id"),
            ]
            for rank, call in enumerate(ranked, start=1)
        ],
        "applications_screened": len(best),
        "calls_read": len(collected.items),
        "complete": collected.complete,
    }


async def _candidate_names(ctx: Context, candidate_ids: list[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    limiter = anyio.Semaphore(NAME_LOOKUPS)

    async def look_up(candidate_id: str) -> None:
        async with limiter:
            try:
                candidate = await api(ctx).candidates.get(candidate_id)
            except NinjahireError:
                return  # a row without a name is still worth showing
        if isinstance(candidate, dict):
            name = " ".join(str(candidate.get(k) or "") for k in ("first_name", "last_name")).strip()
            names[candidate_id] = name or "unknown"

    async with anyio.create_task_group() as group:
        for candidate_id in dict.fromkeys(candidate_ids):
            group.start_soon(look_up, candidate_id)
    return names


@toolset.tool("Screening funnel", READ)
async def screening_funnel(ctx: Context, job_id: JobId) -> Any:
    """Count a job's pipeline: applications by application_stage and screening_status, calls by ninjahire_intelligence,
    applications never called."""

    async def fetch_applications(page: int, size: int) -> Any:
        return await api(ctx).applications.list(page=page, size=size, job_id=job_id)

    applications = await read_pages(ctx, fetch_applications, what="applications")
    calls = await _calls_of(ctx, job_id)
    called = {str(call.get("application_id")) for call in calls.items}
    return {
        "job_id": job_id,
        "applications": len(applications.items),
        "by_application_stage": _counts(applications.items, "application_stage"),
        "by_screening_status": _counts(applications.items, "screening_status"),
        "calls": len(calls.items),
        "calls_by_ninjahire_intelligence": _counts(calls.items, "ninjahire_intelligence"),
        "applications_without_call": sum(1 for a in applications.items if str(a.get("id")) not in called),
        "complete": applications.complete and calls.complete,
    }


def _counts(items: list[dict[str, Any]], field: str) -> dict[str, int]:
    return dict(Counter(str(item.get(field) or "unknown") for item in items).most_common())
