"""`build_server`: the MCP server around the tool catalogue, on any HTTP transport. No import-time I/O."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

import httpx2
from mcp.server import CacheHint, MCPServer
from mcp.server.mcpserver import RequestStateSecurity
from mcp.server.subscriptions import InMemorySubscriptionBus
from mcp_types.methods import CacheableMethod

from . import __version__
from .client import NinjahireClient, RetryPolicy
from .config import ConfigError, Settings
from .guards import CallLedger, ConfirmationBook, GuardJournal
from .inbox import Inbox
from .index import IndexShelf
from .surface import (
    CallTasks,
    apps_extension,
    build_instructions,
    register_completions,
    register_events,
    register_prompts,
    register_resources,
)
from .toolkit import SERVER_ICON, ServerState, Timing
from .tools import build_tools, refresh_on_events, select_specs, with_app_tools

SERVER_NAME = "ninjahire"
# Sandbox requests never leave the process; the host name only has to be a valid one.
SANDBOX_BASE_URL = "http://sandbox.ninjahire.invalid"


# What this server lists is fixed when it starts (its settings choose it), the same for every caller: a
# client may keep the lists for an hour, in a shared cache too. Resource contents (tenant data) get no hint.
_LISTED = CacheHint(ttl_ms=3_600_000, scope="public")
CACHE_HINTS: dict[CacheableMethod, CacheHint] = {
    "tools/list": _LISTED,
    "prompts/list": _LISTED,
    "resources/list": _LISTED,
    "resources/templates/list": _LISTED,
    "server/discover": _LISTED,
}


@dataclass(frozen=True)
class AppState:
    """What every request may reach, for as long as the server runs (the lifespan's yield): the API client
    (one connection pool), the settings, the clocks, and the guards' memory. The toolkit and the guards
    each say, as a Protocol, which part of it they use."""

    api: NinjahireClient
    settings: Settings
    timing: Timing
    # Server-wide, not per connection: a token or a placed call must count across every session.
    confirmations: ConfirmationBook
    calls_placed: CallLedger
    # Each tenant's screening index (server-wide: one file per tenant key, whichever session asks).
    indexes: IndexShelf
    # The webhook inbox (server-wide, like the above), when NINJAHIRE_WEBHOOK_SECRET turns it on.
    inbox: Inbox | None = None


def _serves_the_toolkit(state: AppState) -> ServerState:
    return state  # checked by mypy: AppState has everything the toolkit's Protocol asks for


def build_server(
    settings: Settings,
    *,
    transport: httpx2.AsyncBaseTransport | None = None,
    retry: RetryPolicy | None = None,
    inbox: Inbox | None = None,
    timing: Timing | None = None,
) -> MCPServer[AppState]:
    """The server for `settings`. `transport` replaces the network (tests inject a mock or the sandbox);
    `retry` replaces the default retry policy; `timing` the clocks and the sleep (tests run waits and
    expiries on a fake clock). `inbox` is the webhook inbox whose routes the HTTP app serves
    (`inbox_routes`); with NINJAHIRE_WEBHOOK_SECRET set and none given, one is made here."""
    timing = timing or Timing()
    base_url, api_key = settings.base_url, settings.api_key
    if settings.sandbox:
        # imported only when serving the sandbox
        from .sandbox import SANDBOX_API_KEY, FaultSpecError, TimedASGITransport, create_app, parse_faults

        base_url, api_key = SANDBOX_BASE_URL, SANDBOX_API_KEY
        try:
            faults = parse_faults(settings.sandbox_faults or "")
        except FaultSpecError as exc:
            raise ConfigError(f"NINJAHIRE_SANDBOX_FAULTS: {exc}") from None
        # One emulator per server, outside the lifespan: its state outlives any one connection. Timed, so
        # that the client's timeout holds in-process too (a `hang` fault ends as it would on a socket).
        transport = transport or TimedASGITransport(
            app=create_app(
                scale=settings.sandbox_scale,
                webhook_url=settings.sandbox_webhook_url,
                webhook_secret=settings.webhook_secret,
                faults=faults,
            )
        )
    if inbox is not None and not settings.inbox_enabled:
        raise ValueError("an inbox was given, but the settings have no webhook secret (NINJAHIRE_WEBHOOK_SECRET)")
    if inbox is None and settings.inbox_enabled:
        inbox = Inbox.from_settings(settings)  # opens its file only when first used

    # Outside the lifespan, which runs once per connection on SSE: tokens and the call budget are the server's.
    # Both kept in the guards' journal: durable in live mode, so a restart or another process of this
    # installation still refuses a repeat call and redeems a token once (guards/_journal.py).
    journal = GuardJournal.for_settings(settings)
    confirmations = ConfirmationBook(ttl=settings.confirm_ttl, clock=timing.wall, journal=journal)
    calls_placed = CallLedger(max_per_day=settings.max_calls_per_day, clock=timing.wall, journal=journal)
    indexes = IndexShelf.for_settings(settings)
    # Task handles for the calls' waits (surface/tasks.py), kept beside the guards' journal.
    call_tasks = CallTasks.for_settings(settings, timing)

    @asynccontextmanager
    async def lifespan(_server: MCPServer[AppState]) -> AsyncIterator[AppState]:
        async with AsyncExitStack() as stack:
            if inbox is not None:
                await inbox.open()  # a bad NINJAHIRE_WEBHOOK_DB fails here, at start-up
            if settings.sandbox and isinstance(transport, httpx2.ASGITransport):
                from .sandbox import background

                # An in-process emulator's background work (its webhooks) runs while we serve.
                await stack.enter_async_context(background(transport.app))
            client = await stack.enter_async_context(
                NinjahireClient(
                    api_key=api_key,
                    base_url=base_url,
                    timeout=settings.timeout,
                    transport=transport,
                    retry=retry,
                    sleep=timing.sleep,
                    max_connections=settings.max_connections,
                    max_connections_per_key=settings.connections_per_key,
                )
            )
            # Entered after the client, so that the tasks' background waits end before it closes.
            await stack.enter_async_context(call_tasks.running())
            yield AppState(
                api=client,
                settings=settings,
                timing=timing,
                confirmations=confirmations,
                calls_placed=calls_placed,
                indexes=indexes,
                inbox=inbox,
            )

    offered = [spec.name for spec in select_specs(settings)]  # to the model; the views' own tools come on top
    tools = build_tools(with_app_tools(select_specs(settings)))
    # Replicas that share this key can each take the next round of a 2026-era exchange (an
    # elicitation's answer, say): the sealed request state opens on any of them.
    request_state = RequestStateSecurity(keys=[settings.state_key]) if settings.state_key else None
    # Ours, not the SDK's default, so that webhook events (which arrive outside any MCP request) can
    # reach subscriptions/listen streams.
    subscriptions = InMemorySubscriptionBus()
    server: MCPServer[AppState] = MCPServer(
        SERVER_NAME,
        title="Ninjahire" + (" (sandbox)" if settings.sandbox else ""),
        version=__version__,
        instructions=build_instructions(offered, sandbox=settings.sandbox, read_only=settings.read_only),
        tools=list(tools),
        icons=[SERVER_ICON],
        cache_hints=CACHE_HINTS,
        lifespan=lifespan,
        request_state_security=request_state,
        subscriptions=subscriptions,
        extensions=[call_tasks, apps_extension()],
        log_level=settings.log_level,  # type: ignore[arg-type]  # validated by the CLI
    )
    call_tasks.serve_with(server)
    register_prompts(server, served=offered)
    register_resources(server)
    if inbox is not None:
        register_events(
            server, inbox, subscriptions, redact=settings.redact_pii, resources_subscribe=not settings.stateless
        )
    if inbox is not None and indexes.enabled:
        inbox.add_listener(refresh_on_events(indexes))  # a call's webhook: read it again before its next use
    register_completions(server, time_limit=timing.completion_limit)
    return server
