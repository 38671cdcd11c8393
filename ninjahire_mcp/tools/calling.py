"""Placing a screening call: the one tool that phones a real person."""

from typing import Any

from mcp.server.mcpserver import Context

from ._context import api
from ._params import ApplicationId
from ._registry import IRREVERSIBLE
from .calls import toolset


@toolset.tool(
    "Phone candidate now",
    IRREVERSIBLE,
    open_world=True,
    check_first=(
        "get_screening_results(application_id='{application_id}'): a call started just now means the "
        "candidate was phoned, so do not call again"
    ),
)
async def instant_call(ctx: Context, application_id: ApplicationId) -> Any:
    """Phone the application's candidate right now for an AI screening interview. A real person is
    called: only on the user's explicit request, and never twice for one request. Returns call_id;
    the call takes minutes: follow it with get_call."""
    response = await api(ctx).calls.instant_call(application_id)
    if isinstance(response, dict) and response.get("call_id"):
        response = {**response, "next": f"get_call(call_id='{response['call_id']}') until call_status is final"}
    return response
