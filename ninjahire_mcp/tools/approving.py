"""The approval card's button: the one way a person approves a real-world action inside a view.

Where the client renders MCP Apps views, a gated tool's first call returns a card (guards/_confirmation.py)
whose handle is in the result's `_meta`: the view has it, the model does not. Pressing the button sends the
handle here. The handle is spent, then the same call is run again, as it came, through the whole pipeline
and every guard of its tool (the duplicate-call check, the daily budget, the in-progress lock), allowed to
act only if it would still do exactly what the card showed. The server stays the authority: the view only
asks.
"""

from typing import Annotated, Any

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult
from pydantic import Field

from ..guards import Confirm, TokenRefused, approved_in_view
from ..toolkit import IRREVERSIBLE, error_result, tool
from ..views import ANY_OBJECT

Handle = Annotated[str, Field(min_length=16, max_length=64, description="The card's handle.")]


@tool("Approve (the card's button)", IRREVERSIBLE, output=ANY_OBJECT, open_world=True, view="approval", app_only=True)
async def approve(ctx: Context, confirm: Confirm, handle: Handle) -> Any:
    """For the approval card (app-only): do what a person approved by pressing its button."""
    try:
        action = confirm.take_approval(handle)
    except TokenRefused as refused:
        return error_result(f"Nothing was done: {refused}. Ask for the action again for a new card.")
    # The run is nested in this request (its session, key and log); the approval is for it alone.
    nested = Context(request_context=ctx.request_context, mcp_server=ctx.mcp_server)
    with approved_in_view(action):
        try:
            result = await ctx.mcp_server.call_tool(action.tool, action.arguments, nested)
        except ToolError as error:
            return error_result(f"Nothing was done: {action.tool} could not run here ({error}).")
    if not isinstance(result, CallToolResult):
        return error_result(f"Nothing was done: {action.tool} asked for more input, which a card cannot give.")
    return result
