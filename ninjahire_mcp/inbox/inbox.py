"""The webhook inbox: what a delivery must prove, where accepted events go, and who hears of them."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..config import Settings, user_data_dir
from .store import EventFilter, EventStore, StoredEvent
from .verify import check_signature, check_timestamp, signed_forms

logger = logging.getLogger(__name__)

# Ninjahire's events are a few kilobytes; a megabyte leaves room for a long transcript and bounds
# what an unauthenticated sender can make us hold in memory before the signature is checked.
MAX_BODY = 1024 * 1024
# The inbox's file in the user's data folder, when NINJAHIRE_WEBHOOK_DB names none.
DB_NAME = "webhooks.sqlite3"
DEFAULT_RETENTION_DAYS = 30.0
PURGE_EVERY = 3600.0  # seconds between purges of old events while serving

Listener = Callable[[StoredEvent], Awaitable[None]]


@dataclass(frozen=True)
class Accepted:
    event: StoredEvent
    new: bool  # False: a repeated delivery of a stored payload


class Inbox:
    """One per server: verifies deliveries, stores them durably, tells listeners about new ones."""

    def __init__(
        self,
        *,
        secret: str,
        store: EventStore,
        max_age: float = 300.0,
        max_body: int = MAX_BODY,
        clock: Callable[[], float] = time.time,
        retention_days: float | None = DEFAULT_RETENTION_DAYS,
    ) -> None:
        if not secret:
            raise ValueError("the webhook inbox needs a signing secret")
        self._secret = secret
        self.store = store
        self.max_age = max_age
        self.max_body = max_body
        self.clock = clock
        self.retention_days = retention_days
        self._purged_at: float | None = None
        self._listeners: list[Listener] = []

    def __repr__(self) -> str:  # never the secret
        return f"Inbox(db={self.store.path!r}, max_age={self.max_age:g})"

    @classmethod
    def from_settings(cls, settings: Settings, *, clock: Callable[[], float] = time.time) -> Inbox:
        if settings.webhook_secret is None:
            raise ValueError("the webhook inbox is off: NINJAHIRE_WEBHOOK_SECRET is not set")
        return cls(
            secret=settings.webhook_secret,
            store=EventStore(inbox_path(settings)),
            max_age=settings.webhook_max_age,
            clock=clock,
            retention_days=settings.webhook_retention_days,
        )

    async def open(self) -> None:
        await self.store.open()
        await self.forget_old()

    async def forget_old(self) -> int:
        """Delete the events older than the retention period (candidate data is not kept forever)."""
        if not self.retention_days:
            return 0
        now = self.clock()
        self._purged_at = now
        return await self.store.purge(received_before=datetime.fromtimestamp(now - self.retention_days * 86_400, UTC))

    async def close(self) -> None:
        await self.store.close()

    def authenticate(
        self, *, body: bytes, payload: Any, parsed: bool, signature: str | None, timestamp: str | None
    ) -> None:
        """Raise `Refused` unless this is a fresh delivery signed with our secret."""
        check_timestamp(timestamp, now=self.clock(), max_age=self.max_age)
        check_signature(signature, self._secret, signed_forms(body, payload, parsed=parsed))

    async def accept(self, payload: Any) -> Accepted:
        """Store an authenticated payload (committed when this returns), once however often it comes."""
        event, new = await self.store.add(payload, received_at=datetime.fromtimestamp(self.clock(), UTC))
        if self._purged_at is None or self.clock() - self._purged_at > PURGE_EVERY:
            await self.forget_old()  # a server that runs for months forgets as it goes, not only at start-up
        return Accepted(event, new)

    async def events(self, where: EventFilter, *, offset: int = 0, limit: int = 10) -> tuple[list[StoredEvent], int]:
        return await self.store.find(where, offset=offset, limit=limit)

    def add_listener(self, listener: Listener) -> None:
        """Call `listener` with each new event, after it is stored (repeated deliveries are not new)."""
        self._listeners.append(listener)

    async def notify(self, event: StoredEvent) -> None:
        for listener in list(self._listeners):
            try:
                await listener(event)
            except Exception:  # the event is stored whatever a listener does; the next one still hears
                logger.exception("webhook inbox: a listener failed on event %s", event.id)


def inbox_path(settings: Settings) -> str:
    """The inbox's SQLite file: NINJAHIRE_WEBHOOK_DB, else webhooks.sqlite3 in the user's data folder."""
    folder = Path(settings.data_dir) if settings.data_dir else user_data_dir({})
    return settings.webhook_db or str(folder / DB_NAME)
