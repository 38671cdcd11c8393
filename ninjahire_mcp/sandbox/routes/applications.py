"""Applications: a candidate applying to a job, optionally with questions of their own."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from ..validation import (
    BodyChecker,
    base64_problem,
    canonical_uuid,
    paging,
    read_json_object,
    string_query,
    uuid_problem,
    uuid_query,
)
from .common import created, emulator_of, listing, path_param, resource

STAGES = ("ACTIVE", "PASSIVE")
LIST_FILTERS = ("source_id", "job_source_id", "candidate_source_id")


def _stage_problem(value: str) -> str | None:
    return None if value.upper() in STAGES else "must be ACTIVE or PASSIVE"


def _check_status_and_stage(checker: BodyChecker) -> None:
    checker.string("source_application_status", required=True)
    checker.string("application_stage", required=True, check=_stage_problem)
    checker.string("file")


def _check_new_application(checker: BodyChecker) -> None:
    checker.string("candidate_source_id", required=True)
    checker.string("job_source_id", required=True)
    checker.string("candidate_id", check=uuid_problem)
    checker.string("job_id", check=uuid_problem)
    checker.string("base64file", check=base64_problem)
    _check_status_and_stage(checker)


def _normalised(values: dict[str, Any]) -> dict[str, Any]:
    """Stages are accepted in any case and stored upper-case; ids compare in canonical form."""
    values = dict(values)
    if "application_stage" in values:
        values["application_stage"] = values["application_stage"].upper()
    for name in ("candidate_id", "job_id"):
        if name in values:
            values[name] = canonical_uuid(values[name])
    return values


async def list_applications(request: Request) -> JSONResponse:
    page = paging(request)
    emulator = emulator_of(request)
    filters = {name: value for name in LIST_FILTERS if (value := string_query(request, name)) is not None}
    job_id = uuid_query(request, "job_id")
    if job_id is not None:
        filters["job_id"] = job_id
    applications = list(emulator.applications.values())
    for name, wanted in filters.items():  # one pass per filter: quicker over a scaled tenant's thousands
        applications = [application for application in applications if application[name] == wanted]
    shown = [emulator.render_application(application) for application in page.window(applications)]
    return listing(shown, len(applications))


async def create_application(request: Request) -> JSONResponse:
    checker = BodyChecker(await read_json_object(request))
    _check_new_application(checker)
    emulator = emulator_of(request)
    application = emulator.create_application(_normalised(checker.finish()))
    return created(emulator.render_application(application))


async def create_application_with_questions(request: Request) -> JSONResponse:
    checker = BodyChecker(await read_json_object(request))
    _check_new_application(checker)
    questions = []
    for index, item in enumerate(checker.array("questions") or []):
        if not isinstance(item, dict):
            checker.fail(f"questions[{index}]", "must be an object with question_text and source_id")
            continue
        question = checker.nested(item, f"questions[{index}].")
        question.string("question_text", required=True)
        question.string("source_id", required=True)
        questions.append(question.values)
    values = _normalised(checker.finish())
    emulator = emulator_of(request)
    application = emulator.create_application(values, questions)
    asked = [question for question in emulator.questions.values() if question["application_id"] == application["id"]]
    return created({**emulator.render_application(application), "questions": asked})


async def get_application(request: Request) -> JSONResponse:
    emulator = emulator_of(request)
    application = emulator.application(path_param(request, "application_id"))
    return JSONResponse(emulator.render_application_detail(application))


async def update_application(request: Request) -> JSONResponse:
    emulator = emulator_of(request)
    application = emulator.application(path_param(request, "application_id"))
    checker = BodyChecker(await read_json_object(request))
    _check_status_and_stage(checker)
    updated = emulator.update_application(application, _normalised(checker.finish()))
    return JSONResponse(emulator.render_application(updated))


ROUTES = [
    resource("/v1/applications", GET=list_applications, POST=create_application),
    resource("/v1/applications/with-questions", POST=create_application_with_questions),
    resource("/v1/applications/{application_id}", GET=get_application, PATCH=update_application),
]
