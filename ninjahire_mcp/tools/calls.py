"""AI phone-screening calls: reading what they revealed (placing one is in `calling.py`)."""

from typing import Annotated, Any

from mcp.server.mcpserver import Context
from pydantic import Field

from ._context import api
from ._params import (
    ApplicationId,
    ApplicationSourceIdFilter,
    CallId,
    CandidateId,
    CandidateSourceIdFilter,
    JobId,
    JobSourceIdFilter,
    Size,
)
from ._registry import READ, Toolset
from ._results import page_of

toolset = Toolset("calls")


@toolset.tool("Get call", READ)
async def get_call(ctx: Context, call_id: CallId) -> Any:
    """Get one screening call in full: call_status, ninjahire_intelligence, call_score (0-100),
    call_summary by category, call_digest, transcript (BOT/HUMAN) and per-question scores."""
    return await api(ctx).calls.get(call_id)


@toolset.tool("Get screening results", READ)
async def get_screening_results(
    ctx: Context,
    page: Annotated[int, Field(ge=1, description="Page number. MUST start at 1, never 0.")] = 1,
    size: Size = 10,
    application_id: Annotated[
        ApplicationId,
        Field(
            description="PRIMARY filter: the application UUID (`id` from get_applications). Use it when you have it."
        ),
    ]
    | None = None,
    job_id: Annotated[JobId, Field(description="Filter by job UUID.")] | None = None,
    candidate_id: Annotated[CandidateId, Field(description="Filter by candidate UUID.")] | None = None,
    application_source_id: Annotated[
        ApplicationSourceIdFilter,
        Field(description="Your system's application id. Do NOT use it when you have the application UUID."),
    ]
    | None = None,
    job_source_id: JobSourceIdFilter | None = None,
    candidate_source_id: CandidateSourceIdFilter | None = None,
) -> Any:
    """Get AI screening call results: score, category breakdown, transcript and per-question
    scores. Use after get_applications, for applications whose screening_status is 'completed':
    pass the application's `id` as application_id (the PRIMARY filter). get_call gives one call."""
    response = await api(ctx).calls.list(
        page=page,
        size=size,
        application_id=application_id,
        job_id=job_id,
        candidate_id=candidate_id,
        application_source_id=application_source_id,
        job_source_id=job_source_id,
        candidate_source_id=candidate_source_id,
    )
    return page_of(response, page, size)
