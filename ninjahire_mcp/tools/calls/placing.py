"""Placing a screening call: the one tool that phones a real person, so the most guarded.

Whether it may phone is the call guard's to say (guards/), and whether a person agreed is the
confirmation's; this module only puts the two in order around the one POST.
"""

from typing import Annotated, Any

from mcp.server.mcpserver import Elicit, ElicitationResult, Resolve
from pydantic import Field

from ...client import CallStarted, NinjahireError
from ...guards import Approval, CallGuard, Confirm, ConfirmToken
from ...toolkit import IRREVERSIBLE, Api, ApplicationId, ServerSettings, error_result, tool
from ...views import STRING, obj, record_schema

# What a placed call answers: the API's status and call_id, and the wait to follow it with.
STARTED = obj({**record_schema(CallStarted)["properties"], "next": STRING})

Force = Annotated[bool, Field(description="Call again within the hour; only if the user asks.")]


async def ask_before_calling(
    guard: CallGuard, confirm: Confirm, application_id: str, force: bool, confirm_token: str | None
) -> Elicit[Approval] | None:
    if not confirm.can_ask(confirm_token) or await guard.blocked(application_id, force):
        return None  # nothing to ask: the body refuses, or decides without asking
    question = await confirm.ask(
        "instant_call",
        {"application_id": application_id, "force": force},
        confirm_token,
        lambda: guard.preview(application_id),
    )
    if question is not None and not confirm.modern:
        guard.recheck()  # the person is asked inside this request: check again once they have answered
    return question


@tool(
    "Phone candidate now",
    IRREVERSIBLE,
    output=STARTED,
    open_world=True,
    view="approval",
    check_first=(
        "get_screening_results(application_id='{application_id}'): a call started just now means the "
        "candidate was phoned, so do not call again"
    ),
)
async def instant_call(
    api: Api,
    guard: CallGuard,
    confirm: Confirm,
    settings: ServerSettings,
    application_id: ApplicationId,
    approval: Annotated[ElicitationResult[Approval], Resolve(ask_before_calling)],
    force: Force = False,
    confirm_token: ConfirmToken = None,
) -> Any:
    """Phone the application's candidate now for an AI screening interview: a real person, so only on the user's
    explicit request. First call: a preview and confirm_token, or the user is asked; nothing happens until confirmed.
    Then wait_for_call."""
    blocked = await guard.blocked(application_id, force)
    if blocked:
        return error_result(blocked)
    held = await confirm.decide(
        "instant_call",
        {"application_id": application_id, "force": force},
        confirm_token=confirm_token,
        approval=approval,
        preview=lambda: guard.preview(application_id),
    )
    if held is not None:
        return held
    async with guard.placing(application_id, force) as blocked:  # one call at a time per application
        if blocked:
            return error_result(blocked)
        attempt = guard.record(application_id)
        try:
            started = await api.calls.instant_call(application_id)
        except NinjahireError as error:
            guard.settle(attempt, error)
            raise
        guard.placed(attempt)
    if started is not None and started.call_id:
        # One wait is bounded (NINJAHIRE_WAIT_LIMIT), so say so now: the agent expects to call again.
        follow = (
            f"wait_for_call(call_id='{started.call_id}') returns its report when the call ends, or within "
            f"{settings.wait_limit:g}s: call it again while in progress"
        )
        return {**started.data(), "next": follow}
    return started
