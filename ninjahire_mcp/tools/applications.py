"""Applications: a candidate put forward for a job, and how far their screening has got."""

from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from . import _checks
from ._context import api, body_of, state
from ._params import (
    ApplicationId,
    ApplicationSourceIdFilter,
    CandidateId,
    CandidateSourceIdFilter,
    JobId,
    JobSourceIdFilter,
    Page,
    Size,
    SourceId,
)
from ._registry import CREATE, OVERWRITE, READ, Toolset
from ._results import page_of
from ._resume import ResumePath, hide_resume, only_one_resume, read_resume

toolset = Toolset("applications")

# The list view; get_application has the rest, with the candidate's and the job's details.
APPLICATION_COLUMNS = ("id", "candidate_id", "job_id", "candidate_source_id", "job_source_id", "source_id",
                       "source_application_status", "application_stage", "screening_status")  # fmt: skip

Text = Annotated[str, Field(min_length=1)]
CandidateSourceId = SourceId
JobSourceId = SourceId
ApplicantId = CandidateId
ForJobId = JobId
SourceStatus = Annotated[Text, Field(description="e.g. Applied.")]
Stage = Annotated[
    Literal["ACTIVE", "PASSIVE"],
    BeforeValidator(_checks.upper),  # any case is accepted
]
File = Annotated[Text, Field(description="Resume file reference.")]
Base64File = Annotated[
    str,
    AfterValidator(_checks.base64_content),
    Field(min_length=1, description="Resume, base64-encoded."),
]
LocalResume = Annotated[
    ResumePath,
    Field(description="A file in the resume folder."),
]


class ScreeningQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question_text: Text = Field(description="As the AI interviewer asks it.")
    source_id: SourceId


async def _attach_resume(ctx: Context, body: dict[str, Any], resume_path: str | None) -> str | None:
    """Fill base64file from resume_path; the content that goes out, so that it can be kept out of the result."""
    only_one_resume(file=body.get("file"), base64file=body.get("base64file"), resume_path=resume_path)
    if resume_path is not None:
        body["base64file"] = await read_resume(state(ctx).settings, resume_path, instead="file or base64file")
    return body.get("base64file")


@toolset.tool("List applications", READ)
async def get_applications(
    ctx: Context,
    page: Page = 1,
    size: Size = 10,
    job_id: JobId | None = None,
    source_id: ApplicationSourceIdFilter | None = None,
    job_source_id: JobSourceIdFilter | None = None,
    candidate_source_id: CandidateSourceIdFilter | None = None,
) -> Any:
    """List applications (a candidate for a job) with screening_status, paged; job_id: a job's applicants. For
    'completed' ones, pass the `id` as application_id to get_screening_results."""
    response = await api(ctx).applications.list(
        page=page,
        size=size,
        job_id=job_id,
        source_id=source_id,
        job_source_id=job_source_id,
        candidate_source_id=candidate_source_id,
    )
    return page_of(response, page, size, columns=APPLICATION_COLUMNS)


@toolset.tool(
    "Create application",
    CREATE,
    check_first="get_applications(candidate_source_id='{candidate_source_id}', job_source_id='{job_source_id}')",
)
async def create_application(
    ctx: Context,
    candidate_source_id: CandidateSourceId,
    job_source_id: JobSourceId,
    source_application_status: SourceStatus,
    application_stage: Stage,
    candidate_id: ApplicantId | None = None,
    job_id: ForJobId | None = None,
    file: File | None = None,
    base64file: Base64File | None = None,
    resume_path: LocalResume | None = None,
) -> Any:
    """Put a candidate forward for a job, named by your system's ids (UUIDs too if known). The result's `id` is the
    application_id."""
    body = body_of(locals(), exclude=["resume_path"])
    sent = await _attach_resume(ctx, body, resume_path)
    return hide_resume(await api(ctx).applications.create(body), sent)


@toolset.tool("Get application", READ)
async def get_application(ctx: Context, application_id: ApplicationId) -> Any:
    """Get one application with its candidate's and job's details and its screening_status."""
    return hide_resume(await api(ctx).applications.get(application_id))


@toolset.tool("Update application", OVERWRITE, check_first="get_application(application_id='{application_id}')")
async def update_application(
    ctx: Context,
    application_id: ApplicationId,
    source_application_status: SourceStatus,
    application_stage: Stage,
    file: File | None = None,
) -> Any:
    """Set an application's status in your system and its stage, both required (current values: get_application)."""
    body = body_of(locals(), exclude=["application_id"])
    return hide_resume(await api(ctx).applications.update(application_id, body))


@toolset.tool(
    "Create application with questions",
    CREATE,
    check_first="get_applications(candidate_source_id='{candidate_source_id}', job_source_id='{job_source_id}')",
)
async def create_application_with_questions(
    ctx: Context,
    candidate_source_id: CandidateSourceId,
    job_source_id: JobSourceId,
    source_application_status: SourceStatus,
    application_stage: Stage,
    candidate_id: ApplicantId | None = None,
    job_id: ForJobId | None = None,
    file: File | None = None,
    base64file: Base64File | None = None,
    resume_path: LocalResume | None = None,
    questions: Annotated[
        list[ScreeningQuestion],
        Field(max_length=50),
    ]
    | None = None,
) -> Any:
    """create_application plus screening questions for this application only (for all of a job's applicants:
    add_question)."""
    body = body_of(locals(), exclude=["resume_path"])
    sent = await _attach_resume(ctx, body, resume_path)
    if questions is not None:
        body["questions"] = [question.model_dump() for question in questions]
    return hide_resume(await api(ctx).applications.create_with_questions(body), sent)
