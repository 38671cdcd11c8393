"""Candidates: the people who apply. Their contact details are personal data."""

from typing import Annotated, Any

from mcp.server.mcpserver import Context
from pydantic import Field

from ._context import api, body_of, state
from ._merge import PartialUpdate, what_changed
from ._params import CandidateId, CandidateSourceIdFilter, Email, Page, Phone, Size, SourceId
from ._registry import CREATE, OVERWRITE, READ, Toolset
from ._results import page_of
from ._resume import ResumePath, hide_resume, only_one_resume, read_resume

toolset = Toolset("candidates")

# The list view; get_candidate has the rest.
CANDIDATE_COLUMNS = ("id", "first_name", "last_name", "email", "phone_no", "city", "state_name", "source",
                     "source_id")  # fmt: skip

Text = Annotated[str, Field(min_length=1)]
FirstName = Text
LastName = Text
CandidateEmail = Email
CandidatePhone = Annotated[Phone, Field(description="e.g. +14155550123.")]
City = Text
StateName = Text
Country = Text
Source = Annotated[Text, Field(description="e.g. LinkedIn, Referral.")]
CandidateSourceId = SourceId
File = Annotated[Text, Field(description="Resume file reference.")]
LocalResume = Annotated[
    ResumePath,
    Field(description="A file in the resume folder."),
]
# The PATCH body's required fields; the tool fills any not given from the stored candidate.
REQUIRED_ON_UPDATE = ("first_name", "email", "phone_no", "source", "source_id")


@toolset.tool("List candidates", READ)
async def get_candidates(
    ctx: Context, page: Page = 1, size: Size = 10, source_id: CandidateSourceIdFilter | None = None
) -> Any:
    """List candidates, paged; a candidate's `id` is the candidate_id, and source_id finds one by your system's id. A
    job's applicants: get_applications."""
    listed = await api(ctx).candidates.list(page=page, size=size, source_id=source_id)
    return page_of(listed, page, size, columns=CANDIDATE_COLUMNS)


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
    resume_path: LocalResume | None = None,
) -> Any:
    """Add a candidate; the result's `id` is the candidate_id, for create_application. Check
    get_candidates(source_id=...) first: no duplicates."""
    body = body_of(locals(), exclude=["resume_path"])
    only_one_resume(file=file, resume_path=resume_path)
    resume = None
    if resume_path is not None:
        # The docs give candidates one resume field, `file`; it carries the content as base64.
        resume = body["file"] = await read_resume(state(ctx).settings, resume_path, instead="file")
    return hide_resume(await api(ctx).candidates.create(body), resume)


@toolset.tool("Get candidate", READ)
async def get_candidate(ctx: Context, candidate_id: CandidateId) -> Any:
    """Get one candidate's profile and contact details."""
    return hide_resume(await api(ctx).candidates.get(candidate_id))


@toolset.tool("Update candidate", OVERWRITE, check_first="get_candidate(candidate_id='{candidate_id}')")
async def update_candidate(
    ctx: Context,
    candidate_id: CandidateId,
    first_name: FirstName | None = None,
    email: CandidateEmail | None = None,
    phone_no: CandidatePhone | None = None,
    source: Source | None = None,
    source_id: CandidateSourceId | None = None,
    last_name: LastName | None = None,
    city: City | None = None,
    state_name: StateName | None = None,
    country: Country | None = None,
) -> Any:
    """Change a candidate: pass only what changes. Returns each change (from, to)."""
    update = PartialUpdate.of("candidate", locals(), path="candidate_id")
    candidates = api(ctx).candidates
    merged = update.over(await candidates.get(candidate_id))
    if not merged.changed:
        return update.unchanged()
    # The API requires five fields on every PATCH: send the whole documented body, stored values included.
    update.require(merged.body, REQUIRED_ON_UPDATE)
    return what_changed(merged.changed, hide_resume(await candidates.update(candidate_id, merged.body)))
