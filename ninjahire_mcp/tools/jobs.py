"""Jobs: postings, their AI-scheduling switch and their scheduling settings, and finding one by name."""

from collections.abc import Awaitable, Callable, Collection, Mapping
from typing import Annotated, Any

from mcp.server.mcpserver import Elicit, ElicitationResult, Resolve
from pydantic import AfterValidator, Field

from ..client import Job, JobScheduling, NinjahireError, ScheduleSettings
from ..guards import Approval, Confirm, ConfirmToken, Preview, rescheduling_preview, scheduling_preview, widening
from ..toolkit import (
    CREATE,
    DESTRUCTIVE,
    READ,
    Api,
    ClockTime,
    Email,
    InputError,
    IsoDate,
    JobId,
    PageNumber,
    Pages,
    PageSize,
    PartialUpdate,
    Phone,
    SourceId,
    Text,
    days_of_week,
    given,
    tool,
    what_changed,
)
from ..views import FOUND, changed_schema, page_of, page_schema, record_schema

# The list view: what tells jobs apart. get_job has the description and the rest.
JOB_COLUMNS = ("id", "title", "client_name", "city", "state_name", "workplace_type", "employment_type", "status",
               "min_pay_rate", "max_pay_rate", "pay_rate_currency", "pay_frequency", "source_id")  # fmt: skip
# A job's documented body fields, as create_job takes them (update_job takes the same, all optional).
JOB_FIELDS = ("title", "industry", "state_name", "country", "recruiter_name", "recruiter_email",
              "recruiter_work_phone_no", "status", "desc", "source_id", "client_name", "job_code", "address",
              "workplace_type", "city", "zip_code", "employment_type", "duration", "start_date", "end_date",
              "posting_date", "pay_frequency", "min_pay_rate", "max_pay_rate", "pay_rate_currency")  # fmt: skip
# The schedule setting's documented fields: its PUT replaces all of them.
SCHEDULE_FIELDS = ("window_start_time", "window_end_time", "daily_attempts", "total_attempts", "retry_interval",
                   "days_of_week", "email_enabled", "email_notify_minutes", "email_repeat", "sms_enabled",
                   "sms_notify_minutes", "sms_repeat", "voicemail_enabled", "repeat_calling", "call_schedule_minutes",
                   "default", "name")  # fmt: skip
# update_job's body fields, in the order its schema lists them (and its refusals name them).
JOB_UPDATE_FIELDS = ("title", "client_name", "industry", "address", "workplace_type", "city", "state_name",
                     "zip_code", "country", "employment_type", "duration", "start_date", "end_date", "posting_date",
                     "pay_frequency", "min_pay_rate", "max_pay_rate", "pay_rate_currency", "recruiter_name",
                     "recruiter_email", "recruiter_work_phone_no", "status", "desc")  # fmt: skip
# What the tools answer (views/_schemas.py): the API's records as the client reads them.
JOB = record_schema(Job)
SCHEDULING = record_schema(JobScheduling)
SETTINGS = record_schema(ScheduleSettings)

Rate = Annotated[float, Field(ge=0)]
WorkplaceType = Annotated[Text, Field(description="e.g. remote, hybrid, onsite.")]
EmploymentType = Annotated[Text, Field(description="e.g. Full-time, Contract.")]
Duration = Annotated[Text, Field(description="e.g. 6 months.")]
Date = Annotated[IsoDate, Field(description="YYYY-MM-DD.")]
PayFrequency = Annotated[Text, Field(description="e.g. Per Hour, Per Year.")]
Currency = Annotated[Text, Field(description="e.g. USD.")]
Status = Annotated[Text, Field(description="e.g. Active.")]
Desc = Text  # the job description, from which generate_questions writes questions
WindowTime = Annotated[ClockTime, Field(description="HH:MM:SS.")]
Minutes = Annotated[int, Field(ge=0)]
Query = Annotated[str, Field(min_length=1, max_length=200)]
Limit = Annotated[int, Field(ge=1, le=100)]


def _check_pay_range(pay: Mapping[str, Any], stored: Collection[str] = ()) -> None:
    """min_pay_rate ≤ max_pay_rate; `stored` names the sides that came from the job, not the call."""
    low, high = pay.get("min_pay_rate"), pay.get("max_pay_rate")
    if isinstance(low, int | float) and isinstance(high, int | float) and low > high:
        fix = "pass both to set a new range" if stored else "swap them or correct one"
        raise InputError(
            f"{_named('min_pay_rate', f'{low:g}', stored)} is above {_named('max_pay_rate', f'{high:g}', stored)}: "
            f"{fix}."
        )


def _check_window(window: Mapping[str, Any], stored: Collection[str] = ()) -> None:
    start, end = window.get("window_start_time"), window.get("window_end_time")
    if isinstance(start, str) and isinstance(end, str) and start >= end:
        raise InputError(
            f"{_named('window_end_time', end, stored)} must be after {_named('window_start_time', start, stored)}."
        )


def _named(name: str, value: str, stored: Collection[str]) -> str:
    return f"{name} ({value}, as stored)" if name in stored else f"{name} ({value})"


@tool("List jobs", READ, output=page_schema())
async def get_jobs(api: Api, page: PageNumber = 1, size: PageSize = 10, source_id: SourceId | None = None) -> Any:
    """List jobs, paged. A job's `id` is the job_id other tools take; source_id finds one by your system's id."""
    listed = await api.jobs.list(page=page, size=size, source_id=source_id)
    return page_of(listed, page, size, columns=JOB_COLUMNS)


@tool("Create job", CREATE, output=JOB, check_first="get_jobs(source_id='{source_id}')")
async def create_job(
    api: Api,
    title: Text,
    industry: Text,
    state_name: Text,
    country: Text,
    recruiter_name: Text,
    recruiter_email: Email,
    recruiter_work_phone_no: Phone,
    status: Status,
    desc: Desc,
    source_id: SourceId,
    client_name: Text | None = None,
    job_code: Text | None = None,
    address: Text | None = None,
    workplace_type: WorkplaceType | None = None,
    city: Text | None = None,
    zip_code: Text | None = None,
    employment_type: EmploymentType | None = None,
    duration: Duration | None = None,
    start_date: Date | None = None,
    end_date: Date | None = None,
    posting_date: Date | None = None,
    pay_frequency: PayFrequency | None = None,
    min_pay_rate: Rate | None = None,
    max_pay_rate: Rate | None = None,
    pay_rate_currency: Currency | None = None,
) -> Any:
    """Create a job; the result's `id` is its job_id. Check get_jobs(source_id=...) first: no duplicates."""
    body = given(locals(), JOB_FIELDS)
    _check_pay_range(body)
    return await api.jobs.create(body)


@tool("Get job", READ, output=JOB)
async def get_job(api: Api, job_id: JobId) -> Any:
    """Get one job in full: description, pay, location, recruiter, status."""
    return await api.jobs.get(job_id)


@tool("Update job", DESTRUCTIVE, output=changed_schema(JOB), check_first="get_job(job_id='{job_id}')")
async def update_job(
    api: Api,
    job_id: JobId,
    title: Text | None = None,
    client_name: Text | None = None,
    industry: Text | None = None,
    address: Text | None = None,
    workplace_type: WorkplaceType | None = None,
    city: Text | None = None,
    state_name: Text | None = None,
    zip_code: Text | None = None,
    country: Text | None = None,
    employment_type: EmploymentType | None = None,
    duration: Duration | None = None,
    start_date: Date | None = None,
    end_date: Date | None = None,
    posting_date: Date | None = None,
    pay_frequency: PayFrequency | None = None,
    min_pay_rate: Rate | None = None,
    max_pay_rate: Rate | None = None,
    pay_rate_currency: Currency | None = None,
    recruiter_name: Text | None = None,
    recruiter_email: Email | None = None,
    recruiter_work_phone_no: Phone | None = None,
    status: Status | None = None,
    desc: Desc | None = None,
) -> Any:
    """Change a job: pass only what changes. Returns each change (from, to)."""
    update = PartialUpdate.of("job", locals(), JOB_UPDATE_FIELDS)
    _check_pay_range(update.given)
    merged = update.over(await api.jobs.get(job_id))
    if not merged.changed:
        return update.unchanged()
    if {"min_pay_rate", "max_pay_rate"} & set(update.given):
        _check_pay_range(merged.body, stored=set(merged.stored) - set(update.given))
    # A PATCH changes what it is given; the API insists on title, so the stored one goes along.
    body = {"title": merged.body.get("title"), **{name: merged.body[name] for name in merged.changed}}
    update.require(body, ("title",))
    return what_changed(merged.changed, await api.jobs.update(job_id, body))


@tool("Get job scheduling status", READ, output=SCHEDULING)
async def get_job_scheduling(api: Api, job_id: JobId) -> Any:
    """Tell whether AI interview scheduling is on for a job."""
    return await api.jobs.get_scheduling(job_id)


async def ask_before_scheduling(
    api: Api, pages: Pages, confirm: Confirm, job_id: str, scheduling: bool, confirm_token: str | None
) -> Elicit[Approval] | None:
    if not scheduling:
        return None  # turning it off phones nobody
    arguments = {"job_id": job_id, "scheduling": scheduling}
    return await confirm.ask(
        "set_job_scheduling", arguments, confirm_token, lambda: scheduling_preview(api, pages, job_id)
    )


@tool(
    "Turn job scheduling on/off",
    DESTRUCTIVE,
    output=SCHEDULING,
    open_world=True,
    view="approval",
    check_first="get_job_scheduling(job_id='{job_id}')",
)
async def set_job_scheduling(
    api: Api,
    pages: Pages,
    confirm: Confirm,
    job_id: JobId,
    scheduling: bool,
    approval: Annotated[ElicitationResult[Approval], Resolve(ask_before_scheduling)],
    confirm_token: ConfirmToken = None,
) -> Any:
    """Turn a job's AI interview scheduling on or off. On lets Ninjahire phone its candidates: confirmed first, as
    instant_call."""
    if scheduling:
        held = await confirm.decide(
            "set_job_scheduling",
            {"job_id": job_id, "scheduling": scheduling},
            confirm_token=confirm_token,
            approval=approval,
            preview=lambda: scheduling_preview(api, pages, job_id),
        )
        if held is not None:
            return held
    return await api.jobs.set_scheduling(job_id, scheduling)


@tool("Get schedule settings", READ, output=SETTINGS)
async def get_schedule_settings(api: Api, job_id: JobId) -> Any:
    """Get a job's scheduling rules: calling window, days, attempts, notifications."""
    return await api.jobs.get_schedule_settings(job_id)


async def ask_before_rescheduling(
    api: Api,
    confirm: Confirm,
    job_id: str,
    window_start_time: str | None,
    window_end_time: str | None,
    daily_attempts: int | None,
    total_attempts: int | None,
    retry_interval: int | None,
    days_of_week: list[int] | None,
    repeat_calling: bool | None,
    confirm_token: str | None,
) -> Elicit[Approval] | None:
    """Ask only when the change calls more widely; the body decides everything else (and refuses bad input)."""
    if not confirm.can_ask(confirm_token):
        return None
    given = {k: v for k, v in locals().items() if k in SCHEDULE_FIELDS and v is not None}
    if not given:
        return None
    try:
        stored = (await api.jobs.get_schedule_settings(job_id)).data()
    except NinjahireError:
        return None  # the body meets the same error and reports it
    new = {**{k: v for k, v in stored.items() if v is not None}, **given}
    wider = widening(stored, new)
    if not wider:
        return None
    preview = rescheduling_preview(job_id, stored, new, wider)
    return await confirm.ask("update_schedule_settings", {**given, "job_id": job_id}, confirm_token, _constant(preview))


def _constant(preview: Preview) -> Callable[[], Awaitable[Preview]]:
    async def read() -> Preview:
        return preview

    return read


@tool(
    "Update schedule settings",
    DESTRUCTIVE,
    output=changed_schema(SETTINGS),
    open_world=True,
    view="approval",
    check_first="get_schedule_settings(job_id='{job_id}')",
)
async def update_schedule_settings(
    api: Api,
    confirm: Confirm,
    job_id: JobId,
    approval: Annotated[ElicitationResult[Approval], Resolve(ask_before_rescheduling)],
    window_start_time: WindowTime | None = None,
    window_end_time: WindowTime | None = None,
    daily_attempts: Annotated[int, Field(ge=0, le=5)] | None = None,
    total_attempts: Annotated[int, Field(ge=0, description="Call attempts in all.")] | None = None,
    retry_interval: Annotated[Minutes, Field(description="Minutes between attempts.")] | None = None,
    days_of_week: Annotated[
        list[Annotated[int, Field(ge=0, le=7)]],
        AfterValidator(days_of_week),
        Field(min_length=1, max_length=7, description="1=Mon..6=Sat, 0 or 7=Sun."),
    ]
    | None = None,
    email_enabled: bool | None = None,
    email_notify_minutes: Annotated[Minutes, Field(description="Before a call.")] | None = None,
    email_repeat: bool | None = None,
    sms_enabled: bool | None = None,
    sms_notify_minutes: Annotated[Minutes, Field(description="Before a call.")] | None = None,
    sms_repeat: bool | None = None,
    voicemail_enabled: bool | None = None,
    repeat_calling: Annotated[bool, Field(description="Call again after a missed call.")] | None = None,
    call_schedule_minutes: Annotated[Minutes, Field(description="Minutes to schedule a call ahead.")] | None = None,
    default: Annotated[bool, Field(description="Make these the default.")] | None = None,
    name: Annotated[Text, Field(description="Settings profile name.")] | None = None,
    confirm_token: ConfirmToken = None,
) -> Any:
    """Change a job's scheduling rules: pass only what changes. Returns each change (from, to). Wider calling is
    confirmed first."""
    update = PartialUpdate.of("schedule settings", locals(), SCHEDULE_FIELDS)
    _check_window(update.given)
    merged = update.over(await api.jobs.get_schedule_settings(job_id))
    if not merged.changed:
        return update.unchanged()
    # The PUT replaces the whole setting: every stored value goes back along with the changes.
    _check_window(merged.body, stored=set(merged.stored) - set(update.given))
    update.require(merged.body, ("window_start_time", "window_end_time"))
    wider = widening(merged.stored, merged.body)
    if wider:
        held = await confirm.decide(
            "update_schedule_settings",
            update.given | {"job_id": job_id},
            confirm_token=confirm_token,
            approval=approval,
            preview=_constant(rescheduling_preview(job_id, merged.stored, merged.body, wider)),
        )
        if held is not None:
            return held
    return what_changed(merged.changed, await api.jobs.update_schedule_settings(job_id, merged.body))


@tool("Find jobs", READ, output=FOUND)
async def find_jobs(api: Api, pages: Pages, query: Query, limit: Limit = 20) -> Any:
    """Find jobs whose title, city, state or status contains every word of query (e.g. "llm san jose"): ids and
    summaries."""
    return await pages.find(
        lambda page, size: api.jobs.list(page=page, size=size),
        query,
        fields=lambda job: (job.title, job.city, job.state_name, job.status),
        summary=_summary,
        limit=limit,
        what="jobs",
    )


def _summary(job: Job) -> str:
    place = ", ".join(part for part in (job.city, job.state_name) if part)
    return " · ".join(part for part in (job.title, place, job.status, job.source_id) if part)
