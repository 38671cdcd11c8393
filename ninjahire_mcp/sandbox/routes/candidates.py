"""Candidates: the people who apply."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from ..validation import BodyChecker, email_problem, paging, phone_problem, read_json_object, string_query
from .common import created, emulator_of, listing, path_param, resource

OPTIONAL_FIELDS = ("last_name", "city", "state_name", "country", "file")


def _check_candidate(body: dict[str, Any]) -> dict[str, Any]:
    """POST and PATCH document the same body, with the same required fields."""
    checker = BodyChecker(body)
    checker.string("first_name", required=True)
    checker.string("email", required=True, check=email_problem)
    checker.string("phone_no", required=True, check=phone_problem)
    checker.string("source", required=True)
    checker.string("source_id", required=True)
    for name in OPTIONAL_FIELDS:
        checker.string(name)
    return checker.finish()


async def list_candidates(request: Request) -> JSONResponse:
    page = paging(request)
    source_id = string_query(request, "source_id")
    candidates = [
        candidate
        for candidate in emulator_of(request).candidates.values()
        if source_id in (None, candidate["source_id"])
    ]
    return listing(page.window(candidates), len(candidates))


async def create_candidate(request: Request) -> JSONResponse:
    values = _check_candidate(await read_json_object(request))
    return created(emulator_of(request).create_candidate(values))


async def get_candidate(request: Request) -> JSONResponse:
    return JSONResponse(emulator_of(request).candidate(path_param(request, "candidate_id")))


async def update_candidate(request: Request) -> JSONResponse:
    emulator = emulator_of(request)
    candidate = emulator.candidate(path_param(request, "candidate_id"))
    values = _check_candidate(await read_json_object(request))
    return JSONResponse(emulator.update_candidate(candidate, values))


ROUTES = [
    resource("/v1/candidates", GET=list_candidates, POST=create_candidate),
    resource("/v1/candidates/{candidate_id}", GET=get_candidate, PATCH=update_candidate),
]
