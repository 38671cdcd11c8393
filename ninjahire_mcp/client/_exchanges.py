"""What each API request did, told to whoever is listening in the current context (say, a tool call's log).

An `Exchange` holds only what is safe to log: the method, the route TEMPLATE (never the filled path,
whose ids come from records), the final status or the kind of error, the attempts and the time taken.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

ExchangeObserver = Callable[["Exchange"], None]

# A context variable, not an attribute of the client: one client serves concurrent tool calls, and each
# call's task (with the tasks it starts) sees only its own observer.
_observer: ContextVar[ExchangeObserver | None] = ContextVar("ninjahire_exchange_observer", default=None)


@dataclass(frozen=True)
class Exchange:
    method: str
    route: str
    status: int | None  # the last HTTP status received; None when no answer came
    error: str | None  # the error class when the request failed (an HTTP status error included)
    attempts: int  # 0 when it was refused before sending
    latency_ms: float

    @property
    def retries(self) -> int:
        return max(self.attempts - 1, 0)


@contextmanager
def observe_exchanges(observer: ExchangeObserver) -> Iterator[None]:
    """Call `observer` with every exchange made in this context (and in the tasks it starts) until exit."""
    token = _observer.set(observer)
    try:
        yield
    finally:
        _observer.reset(token)


class ExchangeTrace:
    """Filled in by the requester while one request runs; reported once, when it ends."""

    def __init__(self, method: str, route: str) -> None:
        self.method, self.route = method, route
        self.attempts = 0
        self.status: int | None = None
        self.error: str | None = None
        self._started = time.perf_counter()

    def report(self) -> None:
        observer = _observer.get()
        if observer is None:
            return
        latency = (time.perf_counter() - self._started) * 1000
        observer(Exchange(self.method, self.route, self.status, self.error, self.attempts, round(latency, 1)))
