"""Questions about a whole job that would take an agent dozens of calls: answered in one, compactly."""

from collections import Counter
from collections.abc import Sequence
from typing import Annotated, Any

import anyio
from pydantic import Field

from ...client import Call, NinjahireClient, NinjahireError, Record
from ...toolkit import READ, Api, Collected, JobId, PageReader, Pages, tool

NAME_LOOKUPS = 5  # candidate lookups in flight at once


async def _calls_of(api: NinjahireClient, pages: PageReader, job_id: str) -> Collected[Call]:
    return await pages.read(
        lambda page, size: api.calls.list(page=page, size=size, job_id=job_id), what="screening calls"
    )


@tool("Rank applicants", READ)
async def rank_applicants(
    api: Api,
    pages: Pages,
    job_id: JobId,
    min_score: Annotated[int, Field(ge=0, le=100, description="Inclusive.")] = 0,
    limit: Annotated[int, Field(ge=1, le=100)] = 10,
) -> Any:
    """Rank a job's applicants by their best completed screening call: candidate, call_score, ninjahire_intelligence,
    application_id, call_id."""
    collected = await _calls_of(api, pages, job_id)
    best: dict[str, tuple[float, Call]] = {}
    for call in collected.items:
        score = call.call_score
        if not call.completed or score is None:
            continue
        key = str(call.application_id)
        if key not in best or score > best[key][0]:
            best[key] = (score, call)
    ranked = sorted(
        ((score, call) for score, call in best.values() if score >= min_score),
        key=lambda scored: (-scored[0], scored[1].created_at or ""),
    )[:limit]
    names = await _candidate_names(api, [call.candidate_id for _, call in ranked if call.candidate_id])
    return {
        "job_id": job_id,
        "columns": ["rank", "candidate", "call_score", "ninjahire_intelligence", "application_id", "call_id"],
        "rows": [
            [
                rank,
                names.get(str(call.candidate_id), "unknown"),
                score,
                call.ninjahire_intelligence,
                call.application_id,
                call.call_id,
            ]
            for rank, (score, call) in enumerate(ranked, start=1)
        ],
        "applications_screened": len(best),
        "calls_read": len(collected.items),
        "complete": collected.complete,
    }


async def _candidate_names(api: NinjahireClient, candidate_ids: list[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    limiter = anyio.Semaphore(NAME_LOOKUPS)

    async def look_up(candidate_id: str) -> None:
        async with limiter:
            try:
                candidate = await api.candidates.get(candidate_id)
            except NinjahireError:
                return  # a row without a name is still worth showing
        names[candidate_id] = candidate.name or "unknown"

    async with anyio.create_task_group() as group:
        for candidate_id in dict.fromkeys(candidate_ids):
            group.start_soon(look_up, candidate_id)
    return names


@tool("Screening funnel", READ)
async def screening_funnel(api: Api, pages: Pages, job_id: JobId) -> Any:
    """Count a job's pipeline: applications by application_stage and screening_status, calls by ninjahire_intelligence,
    applications never called."""
    applications = await pages.read(
        lambda page, size: api.applications.list(page=page, size=size, job_id=job_id), what="applications"
    )
    calls = await _calls_of(api, pages, job_id)
    called = {str(call.application_id) for call in calls.items}
    return {
        "job_id": job_id,
        "applications": len(applications.items),
        "by_application_stage": _counts(applications.items, "application_stage"),
        "by_screening_status": _counts(applications.items, "screening_status"),
        "calls": len(calls.items),
        "calls_by_ninjahire_intelligence": _counts(calls.items, "ninjahire_intelligence"),
        "applications_without_call": sum(1 for a in applications.items if str(a.id) not in called),
        "complete": applications.complete and calls.complete,
    }


def _counts(records: Sequence[Record], field: str) -> dict[str, int]:
    return dict(Counter(str(record.get(field) or "unknown") for record in records).most_common())
