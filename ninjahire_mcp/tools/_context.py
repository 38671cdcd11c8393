"""What a tool handler reaches through its MCP context: the server's shared state."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from mcp.server.mcpserver import Context

from ..client import NinjahireClient
from ..config import Settings

if TYPE_CHECKING:
    from ._call_ledger import CallLedger
    from ._confirm import ConfirmationBook


@dataclass(frozen=True)
class AppState:
    """Lives as long as the server (the lifespan's yield): one API client, one connection pool."""

    api: NinjahireClient
    settings: Settings
    # Server-wide, not per connection: a token or a placed call must count across every session.
    confirmations: ConfirmationBook
    calls_placed: CallLedger


def state(ctx: Context) -> AppState:
    # Tools take a bare `Context`: the SDK types its lifespan state as a dict, but it is our AppState.
    return cast(AppState, ctx.request_context.lifespan_context)


def api(ctx: Context) -> NinjahireClient:
    return state(ctx).api


def body_of(arguments: Mapping[str, Any], *, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """A request body from a handler's own arguments (its `locals()` on entry).

    Body fields are flat tool arguments named exactly as the API names them, so the body is every
    argument that is not the context, a path parameter or left out.
    """
    skipped = {"ctx", *exclude}
    return {key: value for key, value in arguments.items() if key not in skipped and value is not None}
