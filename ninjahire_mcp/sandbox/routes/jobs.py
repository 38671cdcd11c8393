"""Jobs, their scheduling switch and their calling schedule."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from ..records import JOB_FIELDS
from ..validation import BodyChecker, clock_time_problem, paging, read_json_object, string_query
from .common import created, emulator_of, listing, path_param, resource

REQUIRED_ON_CREATE = frozenset(
    {
        "title",
        "industry",
        "state_name",
        "country",
        "recruiter_name",
        "recruiter_email",
        "recruiter_work_phone_no",
        "status",
        "desc",
        "source_id",
    }
)
NUMBER_FIELDS = frozenset({"min_pay_rate", "max_pay_rate"})
# The PATCH body documents every field but source_id: a job keeps the id the customer gave it.
PATCHABLE_FIELDS = tuple(name for name in JOB_FIELDS if name != "source_id")

SCHEDULE_COUNTS = (
    "total_attempts",
    "retry_interval",
    "email_notify_minutes",
    "sms_notify_minutes",
    "call_schedule_minutes",
)
SCHEDULE_SWITCHES = (
    "email_enabled",
    "email_repeat",
    "sms_enabled",
    "sms_repeat",
    "voicemail_enabled",
    "repeat_calling",
    "default",
)


def _check_job(body: dict[str, Any], names: tuple[str, ...], required: frozenset[str]) -> dict[str, Any]:
    checker = BodyChecker(body)
    for name in names:
        if name in NUMBER_FIELDS:
            checker.number(name, required=name in required)
        else:
            checker.string(name, required=name in required)
    return checker.finish()


async def list_jobs(request: Request) -> JSONResponse:
    page = paging(request)
    source_id = string_query(request, "source_id")
    jobs = [job for job in emulator_of(request).jobs.values() if source_id in (None, job["source_id"])]
    return listing(page.window(jobs), len(jobs))


async def create_job(request: Request) -> JSONResponse:
    values = _check_job(await read_json_object(request), JOB_FIELDS, REQUIRED_ON_CREATE)
    return created(emulator_of(request).create_job(values))


async def get_job(request: Request) -> JSONResponse:
    return JSONResponse(emulator_of(request).job(path_param(request, "job_id")))


async def update_job(request: Request) -> JSONResponse:
    emulator = emulator_of(request)
    job = emulator.job(path_param(request, "job_id"))
    values = _check_job(await read_json_object(request), PATCHABLE_FIELDS, frozenset({"title"}))
    return JSONResponse(emulator.update_job(job, values))


async def get_scheduling(request: Request) -> JSONResponse:
    emulator = emulator_of(request)
    job = emulator.job(path_param(request, "job_id"))
    return JSONResponse({"job_id": job["id"], "scheduling": emulator.scheduling[job["id"]]})


async def update_scheduling(request: Request) -> JSONResponse:
    emulator = emulator_of(request)
    job = emulator.job(path_param(request, "job_id"))
    checker = BodyChecker(await read_json_object(request))
    checker.boolean("scheduling", required=True)
    emulator.scheduling[job["id"]] = checker.finish()["scheduling"]
    return JSONResponse({"job_id": job["id"], "scheduling": emulator.scheduling[job["id"]]})


async def get_schedule_setting(request: Request) -> JSONResponse:
    emulator = emulator_of(request)
    job = emulator.job(path_param(request, "job_id"))
    return JSONResponse(emulator.schedule_settings[job["id"]])


async def replace_schedule_setting(request: Request) -> JSONResponse:
    emulator = emulator_of(request)
    job = emulator.job(path_param(request, "job_id"))
    checker = BodyChecker(await read_json_object(request))
    checker.string("window_start_time", required=True, check=clock_time_problem)
    checker.string("window_end_time", required=True, check=clock_time_problem)
    checker.integer("daily_attempts", minimum=0, maximum=5)
    for name in SCHEDULE_COUNTS:
        checker.integer(name, minimum=0)
    days = checker.array("days_of_week")
    if days is not None and not all(_is_weekday(day) for day in days):
        checker.fail("days_of_week", "must be an array of integers from 0 to 7 (0 and 7 both mean Sunday)")
    for name in SCHEDULE_SWITCHES:
        checker.boolean(name)
    checker.string("name")
    return JSONResponse(emulator.replace_schedule(job, checker.finish()))


def _is_weekday(day: object) -> bool:
    return isinstance(day, int) and not isinstance(day, bool) and 0 <= day <= 7


ROUTES = [
    resource("/v1/jobs", GET=list_jobs, POST=create_job),
    resource("/v1/jobs/{job_id}", GET=get_job, PATCH=update_job),
    resource("/v1/jobs/{job_id}/scheduling", GET=get_scheduling, PATCH=update_scheduling),
    resource("/v1/jobs/{job_id}/schedule-setting", GET=get_schedule_setting, PUT=replace_schedule_setting),
]
