"""What a tool handler reaches through its MCP context: the server's shared state."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from mcp.server.mcpserver import Context

from ..client import NinjahireClient
from ..config import Settings
from ._refusal import Refusal

if TYPE_CHECKING:
    from ..inbox import Inbox
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
    # The webhook inbox (server-wide, like the above), when NINJAHIRE_WEBHOOK_SECRET turns it on.
    inbox: Inbox | None = None


def state(ctx: Context) -> AppState:
    # Tools take a bare `Context`: the SDK types its lifespan state as a dict, but it is our AppState.
    return cast(AppState, ctx.request_context.lifespan_context)


API_KEY_HEADER = "x-ninjahire-api-key"


def api(ctx: Context) -> NinjahireClient:
    """The client for this request: the server's own key, or, when the server holds none (a shared
    HTTP deployment), the key this request brought. That key is used for this request only."""
    app = state(ctx)
    if app.settings.sandbox or app.settings.api_key:
        return app.api
    key = caller_key(ctx)
    if key is None:
        raise Refusal(
            "No Ninjahire API key: this server holds none, so each request must bring its own in the "
            "X-Ninjahire-Api-Key HTTP header (set it in your MCP client's connection headers). Nothing was sent."
        )
    return app.api.with_api_key(key)


def caller_key(ctx: Context) -> str | None:
    """The Ninjahire key the current HTTP request carried, if any."""
    try:
        headers = ctx.headers
    except (AttributeError, LookupError, ValueError):
        return None  # no request in flight (in-memory clients, stdio)
    value = (headers or {}).get(API_KEY_HEADER) or (headers or {}).get("X-Ninjahire-Api-Key")
    return value.strip() if value and value.strip() else None


def body_of(arguments: Mapping[str, Any], *, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """A request body from a handler's own arguments (its `locals()` on entry).

    Body fields are flat tool arguments named exactly as the API names them, so the body is every
    argument that is not the context, a path parameter or left out.
    """
    skipped = {"ctx", *exclude}
    return {key: value for key, value in arguments.items() if key not in skipped and value is not None}
