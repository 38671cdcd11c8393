"""Candidates: the people who apply, and finding one by name. Their contact details are personal data."""

from functools import partial
from typing import Annotated, Any, Literal

from pydantic import Field

from ..client import Application, Candidate, NinjahireClient, Page
from ..guards import ResumePath, Resumes, only_one_resume
from ..toolkit import (
    CREATE,
    DESTRUCTIVE,
    READ,
    Api,
    CandidateId,
    Email,
    InputError,
    JobId,
    PageNumber,
    Pages,
    PageSize,
    PartialUpdate,
    Phone,
    Refusal,
    SourceId,
    Text,
    given,
    matches,
    tool,
    what_changed,
)
from ..views import FOUND, STRING, array, changed_schema, hide_resume, obj, page_of, page_schema, record_schema
from ._screening_index import IndexIfOn, names_of

# The list view; get_candidate has the rest.
CANDIDATE_COLUMNS = ("id", "first_name", "last_name", "email", "phone_no", "city", "state_name", "source",
                     "source_id")  # fmt: skip
# A candidate's documented body fields (the PATCH takes the same, but not the resume).
CANDIDATE_FIELDS = ("first_name", "email", "phone_no", "source", "source_id", "last_name", "city", "state_name",
                    "country")  # fmt: skip
# The PATCH body's required fields; the tool fills any not given from the stored candidate.
REQUIRED_ON_UPDATE = ("first_name", "email", "phone_no", "source", "source_id")

CandidatePhone = Annotated[Phone, Field(description="e.g. +14155550123.")]
Source = Annotated[Text, Field(description="e.g. LinkedIn, Referral.")]
File = Annotated[Text, Field(description="Resume file reference.")]
LocalResume = Annotated[ResumePath, Field(description="A file in the resume folder.")]
Query = Annotated[str, Field(min_length=1, max_length=200)]
Limit = Annotated[int, Field(ge=1, le=100)]


# What the tools answer (views/_schemas.py).
CANDIDATE = record_schema(Candidate)
# find_candidates: by name, or by the jobs applied to (then with the jobs asked about, and how they matched).
CANDIDATES_FOUND = obj(
    {**FOUND["properties"], "job_ids": array(STRING), "match": STRING}, required=tuple(FOUND["required"])
)


@tool("List candidates", READ, output=page_schema())
async def get_candidates(api: Api, page: PageNumber = 1, size: PageSize = 10, source_id: SourceId | None = None) -> Any:
    """List candidates, paged; a candidate's `id` is the candidate_id, and source_id finds one by your system's id. A
    job's applicants: get_applications."""
    listed = await api.candidates.list(page=page, size=size, source_id=source_id)
    return page_of(listed, page, size, columns=CANDIDATE_COLUMNS)


@tool("Create candidate", CREATE, output=CANDIDATE, check_first="get_candidates(source_id='{source_id}')")
async def create_candidate(
    api: Api,
    resumes: Resumes,
    first_name: Text,
    email: Email,
    phone_no: CandidatePhone,
    source: Source,
    source_id: SourceId,
    last_name: Text | None = None,
    city: Text | None = None,
    state_name: Text | None = None,
    country: Text | None = None,
    file: File | None = None,
    resume_path: LocalResume | None = None,
) -> Any:
    """Add a candidate; the result's `id` is the candidate_id, for create_application. Check
    get_candidates(source_id=...) first: no duplicates."""
    body = given(locals(), (*CANDIDATE_FIELDS, "file"))
    only_one_resume(file=file, resume_path=resume_path)
    resume = None
    if resume_path is not None:
        # The docs give candidates one resume field, `file`; it carries the content as base64.
        resume = body["file"] = await resumes.read(resume_path, instead="file")
    return hide_resume(await api.candidates.create(body), resume)


@tool("Get candidate", READ, output=CANDIDATE)
async def get_candidate(api: Api, candidate_id: CandidateId) -> Any:
    """Get one candidate's profile and contact details."""
    return hide_resume(await api.candidates.get(candidate_id))


@tool(
    "Update candidate",
    DESTRUCTIVE,
    output=changed_schema(CANDIDATE),
    check_first="get_candidate(candidate_id='{candidate_id}')",
)
async def update_candidate(
    api: Api,
    candidate_id: CandidateId,
    first_name: Text | None = None,
    email: Email | None = None,
    phone_no: CandidatePhone | None = None,
    source: Source | None = None,
    source_id: SourceId | None = None,
    last_name: Text | None = None,
    city: Text | None = None,
    state_name: Text | None = None,
    country: Text | None = None,
) -> Any:
    """Change a candidate: pass only what changes. Returns each change (from, to)."""
    update = PartialUpdate.of("candidate", locals(), CANDIDATE_FIELDS)
    merged = update.over(await api.candidates.get(candidate_id))
    if not merged.changed:
        return update.unchanged()
    # The API requires five fields on every PATCH: send the whole documented body, stored values included.
    update.require(merged.body, REQUIRED_ON_UPDATE)
    return what_changed(merged.changed, hide_resume(await api.candidates.update(candidate_id, merged.body)))


@tool("Find candidates", READ, output=CANDIDATES_FOUND)
async def find_candidates(
    api: Api,
    pages: Pages,
    index: IndexIfOn,
    query: Query | None = None,
    job_ids: Annotated[
        list[JobId] | None, Field(min_length=1, max_length=20, description="Only applicants of these jobs.")
    ] = None,
    match: Annotated[Literal["all", "any"], Field(description="With job_ids: applied to all, or any.")] = "any",
    limit: Limit = 20,
) -> Any:
    """Find candidates whose name or email contains every word of query, or who applied to job_ids (all or any): ids
    and summaries."""
    if not job_ids:
        if not query:
            raise InputError("Give query (words of a name or email), job_ids (applicants of those jobs), or both.")
        return await pages.find(
            lambda page, size: api.candidates.list(page=page, size=size),
            query,
            fields=lambda candidate: (candidate.first_name, candidate.last_name, candidate.name, candidate.email),
            summary=_summary,
            limit=limit,
            what="candidates",
        )
    jobs = list(dict.fromkeys(job_id.lower() for job_id in job_ids))
    applied: dict[str, set[str]] = {}  # candidate id -> the jobs they applied to
    complete = True
    if index is not None:
        try:
            for coverage, job_id in zip(await index.jobs(jobs), jobs, strict=True):
                complete = complete and coverage.complete
                for applicant in await index.run(index.index.applicants, job_id):
                    if applicant.candidate_id:
                        applied.setdefault(applicant.candidate_id, set()).add(job_id)
        except Refusal:
            index, applied, complete = None, {}, True  # its file cannot be used now: read without it
    if index is None:
        for job_id in jobs:
            read = await pages.read(partial(_applications_of, api, job_id), what="applications")
            complete = complete and read.complete
            for application in read.items:
                if application.candidate_id:
                    applied.setdefault(application.candidate_id.lower(), set()).add(job_id)
    wanted = len(jobs) if match == "all" else 1
    chosen = sorted(candidate for candidate, of in applied.items() if len(of) >= wanted)
    names = await names_of(api, index, chosen if query else chosen[:limit])
    found = [candidate for candidate in chosen if not query or matches(query, (names.get(candidate),))]
    return {
        **({"query": query} if query else {}),
        "job_ids": jobs,
        "match": match,
        "matches": [
            {
                "id": candidate,
                "summary": f"{names.get(candidate, 'unknown')} · applied to {len(applied[candidate])} "
                f"of the {len(jobs)} jobs",
            }
            for candidate in found[:limit]
        ],
        "total_matches": len(found),
        "complete": complete,
    }


async def _applications_of(api: NinjahireClient, job_id: str, page: int, size: int) -> Page[Application]:
    return await api.applications.list(page=page, size=size, job_id=job_id)


def _summary(candidate: Candidate) -> str:
    return " · ".join(part for part in (candidate.name, candidate.email, candidate.city, candidate.source_id) if part)
