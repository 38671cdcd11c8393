"""Waiting for something that finishes on Ninjahire's side: polling with backoff, within a deadline.

A screening call takes minutes. Polling often at first catches a quick failure (nobody answered);
backing off to every 15 s keeps a long call from costing a request every couple of seconds. The
deadline is firm: sleeps are cut to fit it and a slow request is abandoned at it, so the agent gets
an answer by `timeout_s` whatever the API does.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

import anyio
from mcp.server.mcpserver import Context, Resolve

from ._context import Timing, server_state

FIRST_DELAY = 2.0
MAX_DELAY = 15.0
GROWTH = 1.5
# The last check must have time to come back before the deadline, so no sleep runs into it.
LAST_CHECK = 1.0

Answer = TypeVar("Answer")


@dataclass(frozen=True)
class Outcome(Generic[Answer]):
    last: Answer | None  # the last answer read; None when not even the first request came back in time
    done: bool
    waited: float


@dataclass(frozen=True)
class Poller:
    """Polls for one call, on the server's clocks (`Timing`), telling the caller how long it has waited."""

    ctx: Context
    timing: Timing

    async def poll(
        self, fetch: Callable[[], Awaitable[Answer]], done: Callable[[Answer], bool], timeout_s: float, *, what: str
    ) -> Outcome[Answer]:
        """Fetch until `done(answer)` or `timeout_s` passes, reporting progress between fetches."""
        monotonic, sleep = self.timing.monotonic, self.timing.sleep
        start = monotonic()
        deadline = start + timeout_s
        delay = FIRST_DELAY
        last: Answer | None = None
        # Real time, whatever the seams say: a hung connection cannot hold the agent past the deadline.
        with anyio.move_on_after(timeout_s):
            while True:
                last = await fetch()
                if done(last):
                    return Outcome(last, True, monotonic() - start)
                remaining = deadline - monotonic()
                if remaining <= LAST_CHECK:
                    break
                waited = monotonic() - start
                await self.ctx.report_progress(round(waited), timeout_s, f"{what}, waited {waited:.0f}s")
                await sleep(min(delay, remaining - LAST_CHECK))
                delay = min(delay * GROWTH, MAX_DELAY)
        return Outcome(last, False, monotonic() - start)


async def poller(ctx: Context) -> Poller:
    return Poller(ctx, server_state(ctx).timing)


Polling = Annotated[Poller, Resolve(poller)]
