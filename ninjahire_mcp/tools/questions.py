"""Screening questions: what the AI interviewer asks on a job's calls."""

from typing import Annotated, Any

from mcp.server.mcpserver import Elicit, ElicitationResult, Resolve
from pydantic import Field

from ..client import NinjahireClient, Question
from ..guards import Approval, Confirm, ConfirmToken, Preview
from ..toolkit import CREATE, DESTRUCTIVE, READ, Api, ApplicationId, JobId, QuestionId, SourceId, tool
from ..views import BOOLEAN, INTEGER, STRING, array, obj, record_schema

# What the tools answer (views/_schemas.py): a question, or a job's questions as the API lists them.
QUESTION = record_schema(Question)
QUESTIONS = obj({"data": array(QUESTION), "count": INTEGER})
DELETED = obj({"deleted": BOOLEAN, "job_id": STRING, "question_id": STRING})

QuestionText = Annotated[str, Field(min_length=1, description="As the AI interviewer asks it.")]
QuestionSourceId = Annotated[SourceId, Field(description="Your system's id for it.")]
ForApplication = Annotated[ApplicationId, Field(description="Application UUID: ask only its candidate.")]


@tool("List questions", READ, output=QUESTIONS)
async def get_questions(api: Api, job_id: JobId) -> Any:
    """List a job's screening questions with their `id`s (application_id set: that application's only)."""
    return await api.questions.list(job_id)


@tool("Add question", CREATE, output=QUESTION, check_first="get_questions(job_id='{job_id}')")
async def add_question(
    api: Api,
    job_id: JobId,
    question_text: QuestionText,
    source_id: QuestionSourceId,
    application_id: ForApplication | None = None,
) -> Any:
    """Add a screening question to a job, asked on its screening calls."""
    body = {"question_text": question_text, "source_id": source_id, "application_id": application_id}
    return await api.questions.add(job_id, body)


@tool("Update question", DESTRUCTIVE, output=QUESTION, check_first="get_questions(job_id='{job_id}')")
async def update_question(
    api: Api,
    job_id: JobId,
    question_id: QuestionId,
    question_text: QuestionText,
    source_id: Annotated[SourceId, Field(description="From get_questions.")],
    application_id: ForApplication | None = None,
) -> Any:
    """Rewrite a screening question."""
    body = {"question_text": question_text, "source_id": source_id, "application_id": application_id}
    return await api.questions.update(job_id, question_id, body, source_id=source_id, application_id=application_id)


async def delete_preview(api: NinjahireClient, job_id: str, question_id: str) -> Preview:
    listed = await api.questions.list(job_id)
    question = next((q for q in listed.items if str(q.id) == question_id), None)
    if question is None:
        return Preview(
            summary=f"Delete question {question_id} of job {job_id} for good (get_questions does not list it).",
            details={"job_id": job_id, "question_id": question_id, "found": False},
        )
    scope = "one application" if question.application_id else "every applicant"
    return Preview(
        summary=f'Delete the question "{question.question_text}" ({scope}) for good.',
        details={
            "job_id": job_id,
            "question_id": question_id,
            "question_text": question.question_text,
            "asked_of": scope,
        },
    )


async def ask_before_deleting(
    api: Api, confirm: Confirm, job_id: str, question_id: str, confirm_token: str | None
) -> Elicit[Approval] | None:
    arguments = {"job_id": job_id, "question_id": question_id}
    return await confirm.ask(
        "delete_question", arguments, confirm_token, lambda: delete_preview(api, job_id, question_id)
    )


@tool(
    "Delete question",
    DESTRUCTIVE,
    output=DELETED,
    check_first="get_questions(job_id='{job_id}')",
    view="approval",
)
async def delete_question(
    api: Api,
    confirm: Confirm,
    job_id: JobId,
    question_id: QuestionId,
    approval: Annotated[ElicitationResult[Approval], Resolve(ask_before_deleting)],
    confirm_token: ConfirmToken = None,
) -> Any:
    """Delete a screening question for good. First call: a preview and confirm_token, or the user is asked; nothing is
    deleted until confirmed."""
    held = await confirm.decide(
        "delete_question",
        {"job_id": job_id, "question_id": question_id},
        confirm_token=confirm_token,
        approval=approval,
        preview=lambda: delete_preview(api, job_id, question_id),
    )
    if held is not None:
        return held
    response = await api.questions.delete(job_id, question_id)
    return response if response is not None else {"deleted": True, "job_id": job_id, "question_id": question_id}


@tool("Generate questions", CREATE, output=QUESTIONS, check_first="get_questions(job_id='{job_id}')")
async def generate_questions(api: Api, job_id: JobId) -> Any:
    """Have Ninjahire's AI write and add screening questions from the job's description; each call adds more."""
    return await api.questions.generate(job_id)
