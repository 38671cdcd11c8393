"""Questions about a whole job that would take an agent dozens of calls: answered in one, compactly."""

from collections import Counter
from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import Field

from ...client import Call, NinjahireClient
from ...index import Applicant, Coverage
from ...toolkit import READ, Api, Collected, JobId, PageReader, Pages, Refusal, tool
from ...views import FUNNEL, RANKING
from .._screening_index import Freshness, IndexFiller, IndexIfOn, names_of

NAMED_UNCALLED = 20  # applications never called are named when there are at most this many


async def calls_of(api: NinjahireClient, pages: PageReader, job_id: str) -> Collected[Call]:
    return await pages.read(
        lambda page, size: api.calls.list(page=page, size=size, job_id=job_id), what="screening calls"
    )


def best_calls(calls: Iterable[Call]) -> list[tuple[float, Call]]:
    """Each application's best completed, scored call, best first (ties: the earlier call first). The ranking
    the model gets and the one the shortlist view shows are this one list."""
    best: dict[str, tuple[float, Call]] = {}
    for call in calls:
        score = call.call_score
        if not call.completed or score is None:
            continue
        key = str(call.application_id)
        if key not in best or score > best[key][0]:
            best[key] = (score, call)
    return sorted(best.values(), key=lambda scored: (-scored[0], scored[1].created_at or ""))


@tool("Rank applicants", READ, output=RANKING, view="shortlist")
async def rank_applicants(
    api: Api,
    pages: Pages,
    index: IndexIfOn,
    job_id: JobId,
    min_score: Annotated[int, Field(ge=0, le=100, description="Inclusive.")] = 0,
    limit: Annotated[int, Field(ge=1, le=100)] = 10,
) -> Any:
    """Rank a job's applicants by their best completed screening call: candidate, call_score, ninjahire_intelligence,
    application_id, call_id."""
    collected = await calls_of(api, pages, job_id)
    best = best_calls(collected.items)
    ranked = [(score, call) for score, call in best if score >= min_score][:limit]
    names = await names_of(api, index, [call.candidate_id for _, call in ranked if call.candidate_id])
    return {
        "job_id": job_id,
        "columns": ["rank", "candidate", "call_score", "ninjahire_intelligence", "application_id", "call_id"],
        "rows": [
            [
                rank,
                names.get(str(call.candidate_id).lower(), "unknown"),
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


@tool("Screening funnel", READ, output=FUNNEL, view="shortlist")
async def screening_funnel(api: Api, pages: Pages, index: IndexIfOn, job_id: JobId) -> Any:
    """Count a job's pipeline: applications by application_stage and screening_status, calls by ninjahire_intelligence,
    applications never called (named, when at most 20)."""
    read = await _through_index(index, job_id)
    if read is not None:
        applicants, assessments, coverage = read
        complete, freshness = coverage.complete, Freshness.of([coverage]).shown()
    else:
        applications = await pages.read(
            lambda page, size: api.applications.list(page=page, size=size, job_id=job_id), what="applications"
        )
        calls = await calls_of(api, pages, job_id)
        called = {str(call.application_id).lower() for call in calls.items}
        never = [a for a in applications.items if str(a.id).lower() not in called]
        names = await names_of(api, None, [a.candidate_id for a in never[:NAMED_UNCALLED] if a.candidate_id])
        applicants = [
            Applicant(
                str(a.id),
                a.candidate_id,
                names.get((a.candidate_id or "").lower()),
                a.application_stage,
                a.screening_status,
                str(a.id).lower() in called,
            )
            for a in applications.items
        ]
        assessments = [call.ninjahire_intelligence for call in calls.items]
        complete, freshness = applications.complete and calls.complete, {}
    uncalled = [a for a in applicants if not a.called]
    result: dict[str, Any] = {
        "job_id": job_id,
        "applications": len(applicants),
        "by_application_stage": _tally(a.stage for a in applicants),
        "by_screening_status": _tally(a.screening_status for a in applicants),
        "calls": len(assessments),
        "calls_by_ninjahire_intelligence": _tally(assessments),
        "applications_without_call": len(uncalled),
    }
    if 0 < len(uncalled) <= NAMED_UNCALLED:
        result["never_called"] = {
            "columns": ["candidate", "application_id"],
            "rows": [[a.name or "unknown", a.application_id] for a in uncalled],
        }
    return {**result, "complete": complete, **freshness}


async def _through_index(
    index: IndexFiller | None, job_id: str
) -> tuple[list[Applicant], list[str | None], Coverage] | None:
    """The job's applicants and assessments from the index; None when it is off or cannot be used now."""
    if index is None:
        return None
    try:
        coverage = await index.job(job_id)
        return (
            await index.run(index.index.applicants, job_id),
            await index.run(index.index.assessments, job_id),
            coverage,
        )
    except Refusal:
        return None  # its file cannot be used now: read the API directly, as with the index off


def _tally(values: Iterable[str | None]) -> dict[str, int]:
    return dict(Counter(str(value or "unknown") for value in values).most_common())
