"""Screening calls: start one now, read one, search them."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from ..validation import paging, string_query, uuid_query
from .common import emulator_of, listing, path_param, resource

UUID_FILTERS = ("application_id", "job_id", "candidate_id")
SOURCE_ID_FILTERS = ("application_source_id", "job_source_id", "candidate_source_id")


async def start_instant_call(request: Request) -> JSONResponse:
    emulator = emulator_of(request)
    application = emulator.application(path_param(request, "application_id"))
    call = emulator.start_instant_call(application)
    return JSONResponse({"status": "initiated", "call_id": call.id})


async def get_call(request: Request) -> JSONResponse:
    emulator = emulator_of(request)
    return JSONResponse(emulator.render_call(emulator.call(path_param(request, "call_id"))))


async def list_calls(request: Request) -> JSONResponse:
    page = paging(request)
    filters = {name: value for name in UUID_FILTERS if (value := uuid_query(request, name)) is not None}
    filters |= {name: value for name in SOURCE_ID_FILTERS if (value := string_query(request, name)) is not None}
    emulator = emulator_of(request)
    calls = emulator.find_calls(filters)
    return listing([emulator.render_call(call) for call in page.window(calls)], len(calls))


ROUTES = [
    resource("/v1/applications/{application_id}/instant-call", POST=start_instant_call),
    resource("/v1/calls", GET=list_calls),
    resource("/v1/calls/{call_id}", GET=get_call),
]
