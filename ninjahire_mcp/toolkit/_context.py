"""What a handler receives besides its arguments, resolved per call by the SDK (`Resolve`), never looked up.

A handler declares what it needs as a parameter, `api: Api` say, and the SDK fills it before the body
runs, keeping it out of the input schema (as it does for the confirmation resolvers). Resolvers are
async (a sync one would run in a worker thread) and memoised within a call, so a handler and its own
resolvers share one value.

The server's state is what the lifespan yields (`server.AppState`); this layer says what it needs of
it as a Protocol, so that it depends on nothing above it.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Protocol, cast

import anyio
from mcp.server.mcpserver import Context, Resolve

from ..client import NinjahireClient
from ..config import Settings
from ..inbox import Inbox
from ._errors import Refusal

API_KEY_HEADER = "x-ninjahire-api-key"


@dataclass(frozen=True)
class Timing:
    """The clocks, the sleep and the time limits everything time-bound uses: a seam, so that tests run a
    ten-minute wait or an hour's cool-down on a fake clock, passed in through `build_server` instead of
    patched."""

    wall: Callable[[], float] = time.time  # token expiry, the call ledger's hour and day
    monotonic: Callable[[], float] = time.monotonic  # deadlines of waits
    sleep: Callable[[float], Awaitable[None]] = field(default=anyio.sleep)  # between polls and retries
    # How long an argument completion may take: a completion nobody waits for is worse than none.
    completion_limit: float = 5.0


class ServerState(Protocol):
    """What the tool runtime needs of the server's state."""

    @property
    def api(self) -> NinjahireClient: ...

    @property
    def settings(self) -> Settings: ...

    @property
    def inbox(self) -> Inbox | None: ...

    @property
    def timing(self) -> Timing: ...


def server_state(ctx: Context) -> ServerState:
    # The SDK types the lifespan state as a dict; it is the server's AppState.
    return cast(ServerState, ctx.request_context.lifespan_context)


def caller_key(ctx: Context) -> str | None:
    """The Ninjahire key the current HTTP request carried, if any."""
    try:
        headers = ctx.headers
    except (AttributeError, LookupError, ValueError):
        return None  # no request in flight (in-memory clients, stdio)
    return key_from_headers(headers)


def key_from_headers(headers: Mapping[str, str] | None) -> str | None:
    value = (headers or {}).get(API_KEY_HEADER) or (headers or {}).get("X-Ninjahire-Api-Key")
    return value.strip() if value and value.strip() else None


def client_for(state: ServerState, key: str | None) -> NinjahireClient:
    """The client a request may use: the server's own key, or, when the server holds none (a shared HTTP
    deployment), the key the request brought, for that request only and on that key's share of the
    connections (NINJAHIRE_MAX_CONNECTIONS_PER_KEY). Refusal when there is neither."""
    if state.settings.sandbox or state.settings.api_key:
        return state.api
    if key is None:
        raise Refusal(
            "No Ninjahire API key: this server holds none, so each request must bring its own in the "
            "X-Ninjahire-Api-Key HTTP header (set it in your MCP client's connection headers). Nothing was sent."
        )
    return state.api.with_api_key(key)


async def api_client(ctx: Context) -> NinjahireClient:
    return client_for(server_state(ctx), caller_key(ctx))


async def current_settings(ctx: Context) -> Settings:
    return server_state(ctx).settings


async def current_inbox(ctx: Context) -> Inbox:
    inbox = server_state(ctx).inbox
    if inbox is None:
        raise Refusal("The webhook inbox is off: set NINJAHIRE_WEBHOOK_SECRET and restart the server.")
    return inbox


async def current_timing(ctx: Context) -> Timing:
    return server_state(ctx).timing


# What handlers declare: `api: Api`.
Api = Annotated[NinjahireClient, Resolve(api_client)]
ServerSettings = Annotated[Settings, Resolve(current_settings)]
WebhookInbox = Annotated[Inbox, Resolve(current_inbox)]
Clocks = Annotated[Timing, Resolve(current_timing)]


def redacting(ctx: Any) -> bool:
    """Whether this server masks contact details (--redact-pii); False outside a request."""
    try:
        return server_state(ctx).settings.redact_pii
    except (AttributeError, LookupError, ValueError):
        return False
