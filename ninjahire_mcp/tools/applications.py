"""Applications: a candidate put forward for a job, and how far their screening has got."""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from ..client import Application
from ..guards import ResumeFolder, ResumePath, Resumes, only_one_resume
from ..toolkit import (
    CREATE,
    DESTRUCTIVE,
    READ,
    Api,
    ApplicationId,
    Base64Content,
    CandidateId,
    JobId,
    PageNumber,
    PageSize,
    SourceId,
    Text,
    given,
    tool,
    upper,
)
from ..views import hide_resume, page_of, page_schema, paged, record_schema
from ._screening_index import IndexIfOn, names_of

# The list view; get_application has the rest, with the candidate's and the job's details.
APPLICATION_COLUMNS = ("id", "candidate", "candidate_id", "job_id", "candidate_source_id", "job_source_id", "source_id",
                       "source_application_status", "application_stage", "screening_status")  # fmt: skip
# An application's documented body fields on creation (create_application_with_questions adds `questions`).
APPLICATION_FIELDS = ("candidate_source_id", "job_source_id", "source_application_status", "application_stage",
                      "candidate_id", "job_id", "file", "base64file")  # fmt: skip
# What a PATCH of an application takes.
APPLICATION_UPDATE_FIELDS = ("source_application_status", "application_stage", "file")

SourceStatus = Annotated[Text, Field(description="e.g. Applied.")]
Stage = Annotated[
    Literal["ACTIVE", "PASSIVE"],
    BeforeValidator(upper),  # any case is accepted
]
File = Annotated[Text, Field(description="Resume file reference.")]
Base64File = Annotated[Base64Content, Field(min_length=1, description="Resume, base64-encoded.")]
LocalResume = Annotated[ResumePath, Field(description="A file in the resume folder.")]


class ScreeningQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question_text: Text = Field(description="As the AI interviewer asks it.")
    source_id: SourceId


async def _attach_resume(resumes: ResumeFolder, body: dict[str, Any], resume_path: str | None) -> str | None:
    """Fill base64file from resume_path; the content that goes out, so that it can be kept out of the result."""
    only_one_resume(file=body.get("file"), base64file=body.get("base64file"), resume_path=resume_path)
    if resume_path is not None:
        body["base64file"] = await resumes.read(resume_path, instead="file or base64file")
    return body.get("base64file")


# What the tools answer (views/_schemas.py): an application, with the candidate and job it nests.
APPLICATION = record_schema(Application)


@tool("List applications", READ, output=page_schema())
async def get_applications(
    api: Api,
    index: IndexIfOn,
    page: PageNumber = 1,
    size: PageSize = 10,
    job_id: JobId | None = None,
    source_id: SourceId | None = None,
    job_source_id: SourceId | None = None,
    candidate_source_id: SourceId | None = None,
) -> Any:
    """List applications (a candidate for a job) with the candidate's name and screening_status, paged; job_id: a
    job's applicants. For 'completed' ones, pass the `id` as application_id to get_screening_results."""
    response = await api.applications.list(
        page=page,
        size=size,
        job_id=job_id,
        source_id=source_id,
        job_source_id=job_source_id,
        candidate_source_id=candidate_source_id,
    )
    if not response.documented:
        return page_of(response, page, size)
    names = await names_of(api, index, [a.candidate_id for a in response.items if a.candidate_id])
    rows = [
        {**a.data(), "candidate": names.get((a.candidate_id or "").lower(), "unknown" if a.candidate_id else None)}
        for a in response.items
    ]
    return paged(rows, response.count, page, size, columns=APPLICATION_COLUMNS)


@tool(
    "Create application",
    CREATE,
    output=APPLICATION,
    check_first="get_applications(candidate_source_id='{candidate_source_id}', job_source_id='{job_source_id}')",
)
async def create_application(
    api: Api,
    resumes: Resumes,
    candidate_source_id: SourceId,
    job_source_id: SourceId,
    source_application_status: SourceStatus,
    application_stage: Stage,
    candidate_id: CandidateId | None = None,
    job_id: JobId | None = None,
    file: File | None = None,
    base64file: Base64File | None = None,
    resume_path: LocalResume | None = None,
) -> Any:
    """Put a candidate forward for a job, named by your system's ids (UUIDs too if known). The result's `id` is the
    application_id."""
    body = given(locals(), APPLICATION_FIELDS)
    sent = await _attach_resume(resumes, body, resume_path)
    return hide_resume(await api.applications.create(body), sent)


@tool("Get application", READ, output=APPLICATION)
async def get_application(api: Api, application_id: ApplicationId) -> Any:
    """Get one application with its candidate's and job's details and its screening_status."""
    return hide_resume(await api.applications.get(application_id))


@tool(
    "Update application",
    DESTRUCTIVE,
    output=APPLICATION,
    check_first="get_application(application_id='{application_id}')",
)
async def update_application(
    api: Api,
    application_id: ApplicationId,
    source_application_status: SourceStatus,
    application_stage: Stage,
    file: File | None = None,
) -> Any:
    """Set an application's status in your system and its stage, both required (current values: get_application)."""
    body = given(locals(), APPLICATION_UPDATE_FIELDS)
    return hide_resume(await api.applications.update(application_id, body))


@tool(
    "Create application with questions",
    CREATE,
    output=APPLICATION,
    check_first="get_applications(candidate_source_id='{candidate_source_id}', job_source_id='{job_source_id}')",
)
async def create_application_with_questions(
    api: Api,
    resumes: Resumes,
    candidate_source_id: SourceId,
    job_source_id: SourceId,
    source_application_status: SourceStatus,
    application_stage: Stage,
    candidate_id: CandidateId | None = None,
    job_id: JobId | None = None,
    file: File | None = None,
    base64file: Base64File | None = None,
    resume_path: LocalResume | None = None,
    questions: Annotated[list[ScreeningQuestion], Field(max_length=50)] | None = None,
) -> Any:
    """create_application plus screening questions for this application only (for all of a job's applicants:
    add_question)."""
    body = given(locals(), APPLICATION_FIELDS)
    sent = await _attach_resume(resumes, body, resume_path)
    if questions is not None:
        body["questions"] = [question.model_dump() for question in questions]
    return hide_resume(await api.applications.create_with_questions(body), sent)
