"""Waiting for something that finishes on Ninjahire's side: polling with backoff, within a deadline.

A screening call takes minutes. Polling often at first catches a quick failure (nobody answered);
backing off to every 15 s keeps a long call from costing a request every couple of seconds. The
deadline is firm: sleeps are cut to fit it and a slow request is abandoned at it, so the agent gets
an answer by `timeout_s` whatever the API does.

No wait outlasts the server's wait limit (NINJAHIRE_WAIT_LIMIT, 45 s by default): Claude Desktop,
claude.ai connectors and other hosts end a tool call after about 60 s whatever progress says, so a
call of any length is followed in short waits, each ending with what to call next.
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
    bound: float  # how long this wait might last: what was asked, or the server's limit
    capped: bool  # more was asked than the limit allows


@dataclass(frozen=True)
class Poller:
    """Polls for one call, on the server's clocks (`Timing`), telling the caller how long it has waited."""

    ctx: Context
    timing: Timing
    limit: float  # the longest one wait may last (Settings.wait_limit)

    async def poll(
        self,
        fetch: Callable[[], Awaitable[Answer]],
        done: Callable[[Answer], bool],
        asked: float | None,
        *,
        what: str,
    ) -> Outcome[Answer]:
        """Fetch until `done(answer)` or the wait asked for passes (None: the limit; never more than the
        limit), reporting progress between fetches."""
        timeout_s = self.limit if asked is None else min(asked, self.limit)
        capped = asked is not None and asked > self.limit
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
                    return Outcome(last, True, monotonic() - start, timeout_s, capped)
                remaining = deadline - monotonic()
                if remaining <= LAST_CHECK:
                    break
                waited = monotonic() - start
                await self.ctx.report_progress(round(waited), timeout_s, f"{what}, waited {waited:.0f}s")
                await sleep(min(delay, remaining - LAST_CHECK))
                delay = min(delay * GROWTH, MAX_DELAY)
        return Outcome(last, False, monotonic() - start, timeout_s, capped)


async def poller(ctx: Context) -> Poller:
    state = server_state(ctx)
    return Poller(ctx, state.timing, state.settings.wait_limit)


Polling = Annotated[Poller, Resolve(poller)]
