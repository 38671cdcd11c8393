"""Placing a screening call: the one tool that phones a real person, so the most guarded."""

from typing import Annotated, Any

import anyio
from mcp.server.mcpserver import Context, Elicit, ElicitationResult, Resolve
from mcp.types import CallToolResult
from pydantic import Field

from ..client import NinjahireError
from . import _confirm
from ._call_ledger import COOL_DOWN
from ._confirm import Approval, ConfirmToken, Preview, mask_phone, refusal
from ._context import api, state
from ._params import ApplicationId
from ._registry import IRREVERSIBLE
from .calls import toolset

_DAYS = {0: "Sun", 1: "Mon", 2: "Tue", 3: "Wed", 4: "Thu", 5: "Fri", 6: "Sat", 7: "Sun"}

Force = Annotated[bool, Field(description="Call again within the hour; only if the user asks.")]


async def call_refusal(ctx: Context, application_id: str, force: bool) -> CallToolResult | None:
    """Why this call must not be placed now, as an error result; None when it may be."""
    ledger = state(ctx).calls_placed
    if ledger.budget_left() == 0:
        hours = ledger.seconds_to_reset() / 3600
        return refusal(
            f"Not called: the daily call budget ({ledger.max_per_day} calls per UTC day, "
            f"NINJAHIRE_MAX_CALLS_PER_DAY) is spent. It resets at 00:00 UTC, in {hours:.1f} h; force does not "
            "bypass it."
        )
    screening = await api(ctx).calls.list(page=1, size=100, application_id=application_id)
    live = [c for c in _items(screening) if c.get("call_status") == "call_in_progress"]
    if live:
        return refusal(
            f"Not called: a screening call for this application is already in progress (call_id "
            f"{live[0].get('call_id')}). Follow it with get_call instead of calling again."
        )
    since = ledger.seconds_since_call(application_id)
    if since is not None and since < COOL_DOWN and not force:
        return refusal(
            f"Not called: this server phoned this candidate {since / 60:.0f} min ago. Check that call with "
            "get_screening_results(application_id=...). Call again within the hour only if the user asks for "
            "it explicitly, with force=true."
        )
    return None


async def call_preview(ctx: Context, application_id: str) -> Preview:
    """Who would be phoned, about which job, and when that job's calls are allowed."""
    client = api(ctx)
    application = _record(await client.applications.get(application_id))
    # The documented answer nests the candidate and the job; fall back to their ids, then to "unknown".
    candidate = _record(application.get("candidate"))
    if not candidate and application.get("candidate_id"):
        candidate = _record(await client.candidates.get(str(application["candidate_id"])))
    job_id = str(application.get("job_id") or _record(application.get("job")).get("id") or "") or None
    found: dict[str, Any] = {}

    async def fetch(key: str, read: Any) -> None:
        try:
            found[key] = await read
        except NinjahireError:
            found[key] = None  # the preview says "unknown" rather than failing on an optional detail

    if job_id:
        async with anyio.create_task_group() as group:
            group.start_soon(fetch, "job", client.jobs.get(job_id))
            group.start_soon(fetch, "settings", client.jobs.get_schedule_settings(job_id))
            group.start_soon(fetch, "scheduling", client.jobs.get_scheduling(job_id))

    name = " ".join(str(candidate.get(k) or "") for k in ("first_name", "last_name")).strip() or "the candidate"
    title = _record(found.get("job")).get("title") or "unknown job"
    settings = _record(found.get("settings"))
    window = "unknown"
    if settings.get("window_start_time") and settings.get("window_end_time"):
        days = ",".join(_DAYS.get(day, str(day)) for day in settings.get("days_of_week") or [])
        window = f"{settings['window_start_time']}-{settings['window_end_time']}" + (f" {days}" if days else "")
    scheduling = _record(found.get("scheduling")).get("scheduling")
    phone = mask_phone(candidate.get("phone_no"))
    return Preview(
        summary=f"Phone {name} at {phone} now for an AI screening interview about the {title} job.",
        details={
            "candidate": name,
            "phone": phone,
            "job": title,
            "job_id": job_id,
            "calling_window": window,
            "job_scheduling": "unknown" if scheduling is None else ("on" if scheduling else "off"),
            "screening_status": application.get("screening_status"),
        },
    )


async def ask_before_calling(
    ctx: Context, application_id: str, force: bool, confirm_token: str | None
) -> Elicit[Approval] | None:
    if not _confirm.can_ask(ctx, confirm_token) or await call_refusal(ctx, application_id, force):
        return None  # nothing to ask: the body refuses, or decides without asking

    async def preview() -> Preview:
        return await call_preview(ctx, application_id)

    return await _confirm.ask(ctx, confirm_token, preview)


@toolset.tool(
    "Phone candidate now",
    IRREVERSIBLE,
    open_world=True,
    check_first=(
        "get_screening_results(application_id='{application_id}'): a call started just now means the "
        "candidate was phoned, so do not call again"
    ),
)
async def instant_call(
    ctx: Context,
    application_id: ApplicationId,
    approval: Annotated[ElicitationResult[Approval], Resolve(ask_before_calling)],
    force: Force = False,
    confirm_token: ConfirmToken = None,
) -> Any:
    """Phone the application's candidate now for an AI screening interview: a real person, so only on the user's
    explicit request. First call: a preview and confirm_token, or the user is asked; nothing happens until confirmed.
    Then wait_for_call."""
    refused = await call_refusal(ctx, application_id, force)
    if refused:
        return refused

    async def preview() -> Preview:
        return await call_preview(ctx, application_id)

    arguments = {"application_id": application_id, "force": force}
    held = await _confirm.decide(
        ctx, "instant_call", arguments, confirm_token=confirm_token, approval=approval, preview=preview
    )
    if held is not None:
        return held
    ledger = state(ctx).calls_placed
    if ledger.budget_left() == 0:  # another call may have spent the budget while we were confirming
        return await call_refusal(ctx, application_id, force)
    ledger.record(application_id)
    response = await api(ctx).calls.instant_call(application_id)
    if isinstance(response, dict) and response.get("call_id"):
        follow = f"wait_for_call(call_id='{response['call_id']}') returns its report when it ends"
        response = {**response, "next": follow}
    return response


def _record(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _items(page: Any) -> list[dict[str, Any]]:
    data = page.get("data") if isinstance(page, dict) else page
    return [item for item in data or [] if isinstance(item, dict)]
