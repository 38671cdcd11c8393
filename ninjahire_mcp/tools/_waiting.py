"""Waiting for something that finishes on Ninjahire's side: polling with backoff, within a deadline.

A screening call takes minutes. Polling often at first catches a quick failure (nobody answered);
backing off to every 15 s keeps a long call from costing a request every couple of seconds. The
deadline is firm: sleeps are cut to fit it and a slow request is abandoned at it, so the agent gets
an answer by `timeout_s` whatever the API does.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import anyio

FIRST_DELAY = 2.0
MAX_DELAY = 15.0
GROWTH = 1.5
# The last check must have time to come back before the deadline, so no sleep runs into it.
LAST_CHECK = 1.0

# Seams for tests: replaced together, they run a ten-minute wait on a fake clock in no real time.
monotonic: Callable[[], float] = time.monotonic
sleep: Callable[[float], Awaitable[None]] = anyio.sleep


@dataclass(frozen=True)
class Outcome:
    last: Any  # the last answer read; None when not even the first request came back in time
    done: bool
    waited: float


async def poll(
    fetch: Callable[[], Awaitable[Any]],
    done: Callable[[Any], bool],
    timeout_s: float,
    progress: Callable[[float], Awaitable[None]],
) -> Outcome:
    """Fetch until `done(answer)` or `timeout_s` passes; `progress(seconds waited)` between fetches."""
    start = monotonic()
    deadline = start + timeout_s
    delay = FIRST_DELAY
    last: Any = None
    # Real time, whatever the seams say: a hung connection cannot hold the agent past the deadline.
    with anyio.move_on_after(timeout_s):
        while True:
            last = await fetch()
            if done(last):
                return Outcome(last, True, monotonic() - start)
            remaining = deadline - monotonic()
            if remaining <= LAST_CHECK:
                break
            await progress(monotonic() - start)
            await sleep(min(delay, remaining - LAST_CHECK))
            delay = min(delay * GROWTH, MAX_DELAY)
    return Outcome(last, False, monotonic() - start)
