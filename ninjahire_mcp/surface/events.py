"""The inbox's MCP face: the `ninjahire://events` resource, and telling subscribers it changed.

Who hears that a new event arrived, in each protocol era:
- 2026-07-28: clients that listen (`subscriptions/listen` with the URI in `resource_subscriptions`).
  The server's SubscriptionBus fans the update out to every open listen stream.
- 2025 era: clients that sent `resources/subscribe` for the URI get `notifications/resources/updated`
  on their connection's standalone channel. MCPServer serves no `resources/subscribe` of its own
  (the SDK leaves it to the low-level server), so it is registered here, which also makes the
  2025-era capabilities say `resources.subscribe: true`.
Both are in-process: a replica hears of the events it received itself. Stateless HTTP has no
standalone channel for 2025-era clients, so there `resources/subscribe` is not served (capability
off) and they read the resource or the tool instead; 2026-era listen streams work there too.
"""

from __future__ import annotations

import logging
from typing import Any

import anyio
from mcp.server import MCPServer
from mcp.server.context import ServerRequestContext
from mcp.server.subscriptions import ResourceUpdated, SubscriptionBus
from mcp.types import EmptyResult, SubscribeRequestParams, UnsubscribeRequestParams

from ..inbox import EventFilter, Inbox, StoredEvent
from ..sdk_gaps import connection_of, serve_spec_request, when_connection_closes
from ..views import mask_pii, render, shown_event

logger = logging.getLogger(__name__)

EVENTS_URI = "ninjahire://events"
RECENT = 20  # a resource is read whole: a bounded window, the tool pages through the rest
SEND_TIMEOUT = 5.0


async def recent_events(inbox: Inbox, *, redact: bool) -> str:
    """The newest events, newest first, as the resource shows them."""
    events, total = await inbox.events(EventFilter(), limit=RECENT)
    shown: dict[str, Any] = {"count": total, "events": [shown_event(event) for event in events]}
    if total > len(events):
        shown["more"] = f"older events: get_webhook_events(page=2, size={RECENT})"
    return render(mask_pii(shown) if redact else shown)


class EventSubscribers:
    """Everyone to tell that `ninjahire://events` changed: listen streams and 2025-era subscribers."""

    def __init__(self, bus: SubscriptionBus) -> None:
        self._bus = bus
        # 2025 era, by connection: the session proxy of the latest subscribe request, whose
        # notifications go out on the connection's standalone channel.
        self._sessions: dict[int, Any] = {}

    async def updated(self, _event: StoredEvent | None = None) -> None:
        await self._bus.publish(ResourceUpdated(uri=EVENTS_URI))
        for key, session in list(self._sessions.items()):
            try:
                # A client that stops reading must not hold up the others' notifications for long.
                with anyio.move_on_after(SEND_TIMEOUT):
                    await session.send_resource_updated(EVENTS_URI)
            except Exception:  # a connection that went away: forget it, keep telling the others
                logger.debug("dropping an events subscriber whose connection is gone", exc_info=True)
                self._sessions.pop(key, None)

    async def subscribe(self, ctx: ServerRequestContext[Any, Any], params: SubscribeRequestParams) -> EmptyResult:
        # Any URI is accepted, as listen streams accept any; only ninjahire://events ever changes.
        if str(params.uri) == EVENTS_URI:
            key = self._key(ctx)
            if key not in self._sessions:
                self._forget_on_close(ctx, key)
            self._sessions[key] = ctx.session
        return EmptyResult()

    async def unsubscribe(self, ctx: ServerRequestContext[Any, Any], params: UnsubscribeRequestParams) -> EmptyResult:
        if str(params.uri) == EVENTS_URI:
            self._sessions.pop(self._key(ctx), None)
        return EmptyResult()

    @staticmethod
    def _key(ctx: ServerRequestContext[Any, Any]) -> int:
        # A session proxy is made per request; the connection behind it is what stays (where the SDK
        # shows none, unsubscribe cannot match, which costs only an extra notification until the
        # connection's send fails).
        return id(connection_of(ctx.session))

    def _forget_on_close(self, ctx: ServerRequestContext[Any, Any], key: int) -> None:
        when_connection_closes(ctx.session, lambda: self._sessions.pop(key, None))


def register_events(
    server: MCPServer[Any],
    inbox: Inbox,
    bus: SubscriptionBus,
    *,
    redact: bool = False,
    resources_subscribe: bool = True,
) -> EventSubscribers:
    """Serve `ninjahire://events` and its subscriptions; new events in `inbox` notify subscribers.

    `bus` must be the one the server was built with (`MCPServer(subscriptions=bus)`): events arrive
    outside any MCP request, so there is no `ctx.notify_resource_updated` to call. Without
    `resources_subscribe` (stateless HTTP, where 2025-era notifications have no channel to travel
    on) the 2025-era capability stays off rather than promise what cannot be kept.
    """

    async def events() -> str:
        """The webhook events Ninjahire pushed most recently, newest first."""
        return await recent_events(inbox, redact=redact)

    server.resource(
        EVENTS_URI,
        name="events",
        title="Webhook events",
        description=f"The {RECENT} newest webhook events Ninjahire pushed, newest first; subscribe for new ones.",
        mime_type="application/json",
    )(events)
    subscribers = EventSubscribers(bus)
    if resources_subscribe:
        serve_spec_request(server, "resources/subscribe", SubscribeRequestParams, subscribers.subscribe)
        serve_spec_request(server, "resources/unsubscribe", UnsubscribeRequestParams, subscribers.unsubscribe)
    inbox.add_listener(subscribers.updated)
    return subscribers
