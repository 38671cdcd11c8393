"""Screening questions of a job (job-level, or tied to one application)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..errors import BadRequest, ValidationFailed
from ..store import Emulator
from ..validation import BodyChecker, canonical_uuid, read_json_object, string_query
from .common import created, emulator_of, listing, path_param, resource


def _check_question(emulator: Emulator, job: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    checker = BodyChecker(body)
    checker.string("question_text", required=True)
    checker.string("source_id", required=True)
    checker.string("application_id")
    values = checker.finish()
    if "application_id" in values:
        application_id = canonical_uuid(values["application_id"]) or values["application_id"]
        problem = emulator.check_application_of_job(job, application_id)
        if problem:
            raise ValidationFailed([problem])
        values["application_id"] = application_id
    return values


async def list_questions(request: Request) -> JSONResponse:
    emulator = emulator_of(request)
    job = emulator.job(path_param(request, "job_id"))
    return listing(emulator.questions_of_job(job["id"]))


async def add_question(request: Request) -> JSONResponse:
    emulator = emulator_of(request)
    job = emulator.job(path_param(request, "job_id"))
    values = _check_question(emulator, job, await read_json_object(request))
    question = emulator.add_question(job, values["question_text"], values["source_id"], values.get("application_id"))
    return created(question)


async def update_question(request: Request) -> JSONResponse:
    # The documentation requires the question's source_id in the query as well as in the body.
    if string_query(request, "source_id") is None:
        raise BadRequest("Query parameter 'source_id' is required")
    emulator = emulator_of(request)
    job = emulator.job(path_param(request, "job_id"))
    question = emulator.question_of_job(job["id"], path_param(request, "question_id"))
    values = _check_question(emulator, job, await read_json_object(request))
    return JSONResponse(emulator.update_question(question, values))


async def delete_question(request: Request) -> Response:
    emulator = emulator_of(request)
    job = emulator.job(path_param(request, "job_id"))
    emulator.delete_question(emulator.question_of_job(job["id"], path_param(request, "question_id")))
    return Response(status_code=204)


async def generate_questions(request: Request) -> JSONResponse:
    emulator = emulator_of(request)
    job = emulator.job(path_param(request, "job_id"))
    response = listing(emulator.generate_questions(job))
    response.status_code = 201
    return response


ROUTES = [
    resource("/v1/jobs/{job_id}/questions", GET=list_questions, POST=add_question),
    resource("/v1/jobs/{job_id}/questions/generate", POST=generate_questions),
    resource("/v1/jobs/{job_id}/questions/{question_id}", PATCH=update_question, DELETE=delete_question),
]
