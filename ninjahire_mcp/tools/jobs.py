"""Jobs: postings, their AI-scheduling switch and their scheduling settings."""

from collections.abc import Collection, Mapping
from typing import Annotated, Any

from mcp.server.mcpserver import Context
from pydantic import AfterValidator, Field

from . import _checks
from ._context import api, body_of
from ._merge import PartialUpdate, what_changed
from ._params import Email, JobId, JobSourceIdFilter, Page, Phone, Size, SourceId
from ._registry import CREATE, OVERWRITE, READ, Toolset
from ._results import page_of
from ._tool import InputError

toolset = Toolset("jobs")

# The list view: what tells jobs apart. get_job has the description and the rest.
JOB_COLUMNS = ("id", "title", "client_name", "city", "state_name", "workplace_type", "employment_type", "status",
               "min_pay_rate", "max_pay_rate", "pay_rate_currency", "pay_frequency", "source_id")  # fmt: skip

Text = Annotated[str, Field(min_length=1)]
Date = Annotated[str, AfterValidator(_checks.iso_date)]
Rate = Annotated[float, Field(ge=0)]

Title = Text
ClientName = Text
Industry = Text
JobCode = Text
Address = Text
WorkplaceType = Annotated[Text, Field(description="e.g. remote, hybrid, onsite.")]
City = Text
StateName = Text
ZipCode = Text
Country = Text
EmploymentType = Annotated[Text, Field(description="e.g. Full-time, Contract.")]
Duration = Annotated[Text, Field(description="e.g. 6 months.")]
IsoDate = Annotated[Date, Field(description="YYYY-MM-DD.")]
StartDate = IsoDate
EndDate = IsoDate
PostingDate = IsoDate
PayFrequency = Annotated[Text, Field(description="e.g. Per Hour, Per Year.")]
MinPayRate = Rate
MaxPayRate = Rate
Currency = Annotated[Text, Field(description="e.g. USD.")]
RecruiterName = Text
RecruiterEmail = Email
RecruiterPhone = Phone
Status = Annotated[Text, Field(description="e.g. Active.")]
Desc = Text  # the job description, from which generate_questions writes questions
JobSourceId = SourceId

WindowTime = Annotated[str, AfterValidator(_checks.clock_time)]
Minutes = Annotated[int, Field(ge=0)]


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


@toolset.tool("List jobs", READ)
async def get_jobs(ctx: Context, page: Page = 1, size: Size = 10, source_id: JobSourceIdFilter | None = None) -> Any:
    """List jobs, paged. A job's `id` is the job_id other tools take; source_id finds one by your system's id."""
    listed = await api(ctx).jobs.list(page=page, size=size, source_id=source_id)
    return page_of(listed, page, size, columns=JOB_COLUMNS)


@toolset.tool("Create job", CREATE, check_first="get_jobs(source_id='{source_id}')")
async def create_job(
    ctx: Context,
    title: Title,
    industry: Industry,
    state_name: StateName,
    country: Country,
    recruiter_name: RecruiterName,
    recruiter_email: RecruiterEmail,
    recruiter_work_phone_no: RecruiterPhone,
    status: Status,
    desc: Desc,
    source_id: JobSourceId,
    client_name: ClientName | None = None,
    job_code: JobCode | None = None,
    address: Address | None = None,
    workplace_type: WorkplaceType | None = None,
    city: City | None = None,
    zip_code: ZipCode | None = None,
    employment_type: EmploymentType | None = None,
    duration: Duration | None = None,
    start_date: StartDate | None = None,
    end_date: EndDate | None = None,
    posting_date: PostingDate | None = None,
    pay_frequency: PayFrequency | None = None,
    min_pay_rate: MinPayRate | None = None,
    max_pay_rate: MaxPayRate | None = None,
    pay_rate_currency: Currency | None = None,
) -> Any:
    """Create a job; the result's `id` is its job_id. Check get_jobs(source_id=...) first: no duplicates."""
    body = body_of(locals())
    _check_pay_range(body)
    return await api(ctx).jobs.create(body)


@toolset.tool("Get job", READ)
async def get_job(ctx: Context, job_id: JobId) -> Any:
    """Get one job in full: description, pay, location, recruiter, status."""
    return await api(ctx).jobs.get(job_id)


@toolset.tool("Update job", OVERWRITE, check_first="get_job(job_id='{job_id}')")
async def update_job(
    ctx: Context,
    job_id: JobId,
    title: Title | None = None,
    client_name: ClientName | None = None,
    industry: Industry | None = None,
    address: Address | None = None,
    workplace_type: WorkplaceType | None = None,
    city: City | None = None,
    state_name: StateName | None = None,
    zip_code: ZipCode | None = None,
    country: Country | None = None,
    employment_type: EmploymentType | None = None,
    duration: Duration | None = None,
    start_date: StartDate | None = None,
    end_date: EndDate | None = None,
    posting_date: PostingDate | None = None,
    pay_frequency: PayFrequency | None = None,
    min_pay_rate: MinPayRate | None = None,
    max_pay_rate: MaxPayRate | None = None,
    pay_rate_currency: Currency | None = None,
    recruiter_name: RecruiterName | None = None,
    recruiter_email: RecruiterEmail | None = None,
    recruiter_work_phone_no: RecruiterPhone | None = None,
    status: Status | None = None,
    desc: Desc | None = None,
) -> Any:
    """Change a job: pass only what changes. Returns each change (from, to)."""
    update = PartialUpdate.of("job", locals(), path="job_id")
    _check_pay_range(update.given)
    jobs = api(ctx).jobs
    merged = update.over(await jobs.get(job_id))
    if not merged.changed:
        return update.unchanged()
    if {"min_pay_rate", "max_pay_rate"} & set(update.given):
        _check_pay_range(merged.body, stored=set(merged.stored) - set(update.given))
    # A PATCH changes what it is given; the API insists on title, so the stored one goes along.
    body = {"title": merged.body.get("title"), **{name: merged.body[name] for name in merged.changed}}
    update.require(body, ("title",))
    return what_changed(merged.changed, await jobs.update(job_id, body))


@toolset.tool("Get job scheduling status", READ)
async def get_job_scheduling(ctx: Context, job_id: JobId) -> Any:
    """Tell whether AI interview scheduling is on for a job."""
    return await api(ctx).jobs.get_scheduling(job_id)


@toolset.tool(
    "Turn job scheduling on/off", OVERWRITE, open_world=True, check_first="get_job_scheduling(job_id='{job_id}')"
)
async def set_job_scheduling(
    ctx: Context,
    job_id: JobId,
    scheduling: bool,
) -> Any:
    """Turn a job's AI interview scheduling on or off. While on, Ninjahire may phone its candidates: confirm with the
    user before turning it on."""
    return await api(ctx).jobs.set_scheduling(job_id, scheduling)


@toolset.tool("Get schedule settings", READ)
async def get_schedule_settings(ctx: Context, job_id: JobId) -> Any:
    """Get a job's scheduling rules: calling window, days, attempts, notifications."""
    return await api(ctx).jobs.get_schedule_settings(job_id)


@toolset.tool("Update schedule settings", OVERWRITE, check_first="get_schedule_settings(job_id='{job_id}')")
async def update_schedule_settings(
    ctx: Context,
    job_id: JobId,
    window_start_time: Annotated[WindowTime, Field(description="HH:MM:SS.")] | None = None,
    window_end_time: Annotated[WindowTime, Field(description="HH:MM:SS.")] | None = None,
    daily_attempts: Annotated[int, Field(ge=0, le=5)] | None = None,
    total_attempts: Annotated[int, Field(ge=0, description="Call attempts in all.")] | None = None,
    retry_interval: Annotated[Minutes, Field(description="Minutes between attempts.")] | None = None,
    days_of_week: Annotated[
        list[Annotated[int, Field(ge=0, le=7)]],
        AfterValidator(_checks.days_of_week),
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
) -> Any:
    """Change a job's scheduling rules: pass only what changes. Returns each change (from, to)."""
    update = PartialUpdate.of("schedule settings", locals(), path="job_id")
    _check_window(update.given)
    jobs = api(ctx).jobs
    merged = update.over(await jobs.get_schedule_settings(job_id))
    if not merged.changed:
        return update.unchanged()
    # The PUT replaces the whole setting: every stored value goes back along with the changes.
    _check_window(merged.body, stored=set(merged.stored) - set(update.given))
    update.require(merged.body, ("window_start_time", "window_end_time"))
    return what_changed(merged.changed, await jobs.update_schedule_settings(job_id, merged.body))
