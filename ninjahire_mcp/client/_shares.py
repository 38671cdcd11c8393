"""Each caller's key gets a bounded share of the connection pool.

All tenants of a shared deployment send over one pool. Without a share, one tenant whose requests are slow
(a slow endpoint, a stalled account) fills every connection, and everybody else's requests queue behind
its own. With one, that tenant's extra requests wait for its own slots, in front of the pool, and the
rest of the pool stays free for the others.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from functools import partial

import anyio

from ._errors import KeyBusyError, RequestInfo

# What a request holds while it is on the pool: one of its key's slots (`slot(info)`).
Share = Callable[[RequestInfo], AbstractAsyncContextManager[None]]


def key_digest(api_key: str) -> str:
    """What stands for a key wherever one is kept (a table, a log line): never the key itself."""
    return hashlib.sha256(api_key.encode()).hexdigest()[:16]


@dataclass
class _Slots:
    free: anyio.Semaphore
    users: int = 0  # requests holding one of the slots or waiting for one


class KeyShares:
    """At most `per_key` requests of any one key on the pool at once; a request beyond them waits (first
    come, first served) for at most `wait` seconds, the request timeout's wait for a pooled connection.

    A key's slots exist only while some request holds or waits for one, so that a deployment with many
    tenants keeps the slots of the busy ones only.
    """

    def __init__(self, per_key: int, *, wait: float | None) -> None:
        if per_key < 1:
            raise ValueError(f"a key's share must be at least 1 connection, got {per_key}")
        self.per_key = per_key
        self.wait = wait
        self._keys: dict[str, _Slots] = {}  # by key_digest: a key is never kept as a key of this table

    def __repr__(self) -> str:
        return f"KeyShares(per_key={self.per_key}, busy_keys={len(self._keys)})"

    def share(self, api_key: str) -> Share:
        return partial(self._slot, key_digest(api_key))

    def in_flight(self, api_key: str) -> int:
        """Requests of this key on the pool now (not those waiting for a slot)."""
        slots = self._keys.get(key_digest(api_key))
        return self.per_key - slots.free.value if slots else 0

    @asynccontextmanager
    async def _slot(self, digest: str, info: RequestInfo) -> AsyncIterator[None]:
        slots = self._keys.get(digest)
        if slots is None:
            slots = self._keys[digest] = _Slots(anyio.Semaphore(self.per_key, max_value=self.per_key))
        slots.users += 1  # no await between the lookup and this: a concurrent request finds the same slots
        try:
            try:
                with anyio.fail_after(self.wait):
                    await slots.free.acquire()
            except TimeoutError:
                raise KeyBusyError(info, share=self.per_key, waited=self.wait) from None
            try:
                yield
            finally:
                slots.free.release()
        finally:
            slots.users -= 1
            if not slots.users:
                del self._keys[digest]
