"""When a failed request is tried again, and how long to wait first: the whole policy in one place."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

# Repeating these cannot do a thing twice: GET reads, PUT replaces with the same value, DELETE of a
# deleted record changes nothing more. POST (instant_call!) and PATCH are not in this set.
IDEMPOTENT_METHODS = frozenset({"GET", "PUT", "DELETE"})

# 429 asks us to come back later; 5xx are the server's own faults and usually pass.
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 2
    base_delay: float = 0.5
    max_delay: float = 8.0
    # A Retry-After longer than this is not waited out inside one tool call: the agent is told instead.
    max_retry_after: float = 20.0
    jitter: Callable[[], float] = field(default=random.random, repr=False, compare=False)

    def retries_status(self, method: str, status_code: int, attempt: int, retry_after: float | None) -> bool:
        """Whether an error status is worth another attempt (`attempt` counts from 1)."""
        if attempt > self.max_retries or method not in IDEMPOTENT_METHODS:
            return False
        if status_code not in RETRYABLE_STATUSES and status_code < 500:
            return False
        return retry_after is None or retry_after <= self.max_retry_after

    def retries_failure(self, method: str, attempt: int, *, request_was_sent: bool) -> bool:
        """Whether a connection failure or timeout is worth another attempt."""
        if attempt > self.max_retries:
            return False
        # A request that never left (connection refused, connect timeout) is safe to try again
        # whatever its method; one that may have arrived is repeated only when repeating is harmless.
        return not request_was_sent or method in IDEMPOTENT_METHODS

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before attempt `attempt + 1`: the server's word if it gave one, else backoff."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_retry_after)
        # Full jitter: spreads the retries of many clients instead of synchronising them.
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return ceiling * self.jitter()
