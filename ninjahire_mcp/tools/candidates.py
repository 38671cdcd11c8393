"""Candidates: the people who apply. Their contact details are personal data."""

from typing import Annotated, Any

from mcp.server.mcpserver import Context
from pydantic import Field

from ._context import api, body_of
from ._params import CandidateId, CandidateSourceIdFilter, Email, Page, Phone, Size, SourceId
from ._registry import CREATE, OVERWRITE, READ, Toolset
from ._results import page_of

toolset = Toolset("candidates")

Text = Annotated[str, Field(min_length=1)]
FirstName = Annotated[Text, Field(description="First name.")]
LastName = Annotated[Text, Field(description="Last name.")]
CandidateEmail = Annotated[Email, Field(description="Email address.")]
CandidatePhone = Annotated[Phone, Field(description="Phone number the screening call will dial, e.g. +14155550123.")]
City = Annotated[Text, Field(description="City of residence.")]
StateName = Annotated[Text, Field(description="State or region, e.g. Minnesota.")]
Country = Annotated[Text, Field(description="Country.")]
Source = Annotated[Text, Field(description="Where the candidate came from, e.g. LinkedIn, Referral.")]
CandidateSourceId = Annotated[SourceId, Field(description="Your system's id for this candidate.")]
File = Annotated[Text, Field(description="Resume file reference.")]


@toolset.tool("List candidates", READ)
async def get_candidates(
    ctx: Context, page: Page = 1, size: Size = 10, source_id: CandidateSourceIdFilter | None = None
) -> Any:
    """List candidates, paged. Filter by source_id to find the Ninjahire `id` (candidate_id) of a
    candidate you know by your own system's id. For a job's applicants use get_applications."""
    return page_of(await api(ctx).candidates.list(page=page, size=size, source_id=source_id), page, size)


@toolset.tool("Create candidate", CREATE, check_first="get_candidates(source_id='{source_id}')")
async def create_candidate(
    ctx: Context,
    first_name: FirstName,
    email: CandidateEmail,
    phone_no: CandidatePhone,
    source: Source,
    source_id: CandidateSourceId,
    last_name: LastName | None = None,
    city: City | None = None,
    state_name: StateName | None = None,
    country: Country | None = None,
    file: File | None = None,
) -> Any:
    """Add a candidate. The result's `id` is their Ninjahire UUID (candidate_id). To put them
    forward for a job, then call create_application. Check get_candidates(source_id=...) first to
    avoid duplicates."""
    return await api(ctx).candidates.create(body_of(locals()))


@toolset.tool("Get candidate", READ)
async def get_candidate(ctx: Context, candidate_id: CandidateId) -> Any:
    """Get one candidate's profile and contact details."""
    return await api(ctx).candidates.get(candidate_id)


@toolset.tool("Update candidate", OVERWRITE, check_first="get_candidate(candidate_id='{candidate_id}')")
async def update_candidate(
    ctx: Context,
    candidate_id: CandidateId,
    first_name: FirstName,
    email: CandidateEmail,
    phone_no: CandidatePhone,
    source: Source,
    source_id: CandidateSourceId,
    last_name: LastName | None = None,
    city: City | None = None,
    state_name: StateName | None = None,
    country: Country | None = None,
) -> Any:
    """Update a candidate. The API requires first_name, email, phone_no, source and source_id on
    every update: pass the current values (from get_candidate) for those not changing."""
    return await api(ctx).candidates.update(candidate_id, body_of(locals(), exclude=["candidate_id"]))
