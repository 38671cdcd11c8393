"""The sandbox's webhooks: a signed POST for every instant call that ends, as Ninjahire sends them.

Calls end lazily (when read, by the emulator's clock), so a small loop reads the calls still in
progress every `interval` seconds: an end is announced even when nobody asks about the call. The
emulator announces each end once; it is queued and POSTed as JSON with `X-NINJAHIRE-Signature` (hex
HMAC-SHA256, under the secret, of the body, which is the payload's `JSON.stringify` form) and
`X-NINJAHIRE-Timestamp` (Unix seconds, wall clock). A failed delivery is tried again a few times with
growing pauses, then dropped with a log line, as a real sender gives up.

The signing is written here on its own, not shared with the inbox that checks it: the emulator is
written from the documentation, so that one misreading of it cannot hide on both sides.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

import anyio
import httpx2

from .store import Emulator

logger = logging.getLogger(__name__)

DELIVERY_TIMEOUT = 10.0


@dataclass
class _Delivery:
    payload: dict[str, Any]
    attempt: int = 0
    not_before: float = 0.0


def call_event(call: dict[str, Any], tenant_id: str) -> dict[str, Any]:
    """The post-call screening event for a call record (the `call_activity` webhook)."""
    return {
        "event": "call_activity",
        "type": "post_call_screening",
        "tenant_id": tenant_id,
        **{
            name: call.get(name)
            for name in (
                "call_id",
                "application_id",
                "job_id",
                "candidate_id",
                "call_status",
                "ninjahire_intelligence",
                "call_score",
                "ended_at",
            )
        },
    }


class WebhookPusher:
    """Queues the events of ended calls and POSTs them, signed, to `url`."""

    def __init__(
        self,
        url: str,
        secret: str,
        *,
        tenant_id: str = "",
        interval: float = 0.25,
        attempts: int = 4,
        transport: httpx2.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.url = url
        self._secret = secret.encode()
        self.interval = interval
        self.attempts = attempts
        self._transport = transport
        self._clock = clock
        self.tenant_id = tenant_id
        # Appended from request handlers, taken by the delivery loop(s): deque ends are atomic.
        self._queue: deque[_Delivery] = deque()
        self.delivered = 0

    def __repr__(self) -> str:  # never the secret
        return f"WebhookPusher(url={self.url!r})"

    def call_finished(self, call: dict[str, Any]) -> None:
        """The emulator's announcement that an instant call ended: queue its event."""
        self._queue.append(_Delivery(call_event(call, self.tenant_id)))

    @asynccontextmanager
    async def running(self, emulator: Emulator) -> AsyncIterator[None]:
        """Deliver while the block runs."""
        async with anyio.create_task_group() as group:
            group.start_soon(self._run, emulator)
            try:
                yield
            finally:
                group.cancel_scope.cancel()

    def lifespan(self, app: Any) -> AbstractAsyncContextManager[None]:
        """The app's own lifespan, for when it is served on its own (`ninjahire-mcp sandbox`)."""
        return self.running(app.state.emulator)

    async def _run(self, emulator: Emulator) -> None:
        async with httpx2.AsyncClient(transport=self._transport, timeout=DELIVERY_TIMEOUT) as http:
            while True:
                emulator.settle_calls()
                await self._send_due(http)
                await anyio.sleep(self.interval)

    async def _send_due(self, http: httpx2.AsyncClient) -> None:
        waiting: list[_Delivery] = []
        while self._queue:
            delivery = self._queue.popleft()
            if delivery.not_before > self._clock():
                waiting.append(delivery)
                continue
            try:
                delivered = await self._send(http, delivery.payload)
            except anyio.get_cancelled_exc_class():
                self._queue.appendleft(delivery)  # stopped mid-send: the next loop sends it again
                raise
            if delivered:
                self.delivered += 1
            elif delivery.attempt + 1 < self.attempts:
                delivery.attempt += 1
                delivery.not_before = self._clock() + 2.0**delivery.attempt
                waiting.append(delivery)
            else:
                logger.warning(
                    "sandbox webhook for call %s dropped after %d attempts",
                    delivery.payload.get("call_id"),
                    self.attempts,
                )
        self._queue.extend(waiting)

    async def _send(self, http: httpx2.AsyncClient, payload: dict[str, Any]) -> bool:
        body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        headers = {
            "Content-Type": "application/json",
            "X-NINJAHIRE-Signature": hmac.new(self._secret, body, hashlib.sha256).hexdigest(),
            "X-NINJAHIRE-Timestamp": str(int(self._clock())),
        }
        try:
            response = await http.post(self.url, content=body, headers=headers)
        except httpx2.HTTPError as error:
            logger.info("sandbox webhook to %s failed: %s", self.url, type(error).__name__)
            return False
        if response.is_success:
            return True
        logger.info("sandbox webhook to %s answered HTTP %d", self.url, response.status_code)
        return False


def background(app: Any) -> AbstractAsyncContextManager[None]:
    """What a sandbox app does in the background (its webhooks), for when it is reached in-process:
    an ASGI transport never runs an app's lifespan, so the server that holds the app runs this."""
    state = getattr(app, "state", None)
    pusher = getattr(state, "webhook_pusher", None)
    if isinstance(pusher, WebhookPusher):
        return pusher.running(state.emulator)  # type: ignore[union-attr]
    return nullcontext()
