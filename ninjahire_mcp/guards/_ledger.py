"""What this server process remembers of the calls it tried to place: for the cool-down, the daily budget,
and one call at a time per application.

Everything is per tenant (the caller's key, in a shared deployment: one tenant's calls never spend
another's budget) and per application (its UUID in any letter case is the same application).

An attempt is counted before its POST is sent, because an attempt whose outcome is unknown may have
phoned someone; it is withdrawn when Ninjahire's answer says the request was not carried out.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import anyio

COOL_DOWN = 3600.0  # a candidate phoned by this server is not phoned again within the hour, unless forced

Key = tuple[str, str]  # (tenant, application id in lower case)


def ledger_key(tenant: str, application_id: str) -> Key:
    return tenant, application_id.strip().lower()


@dataclass(frozen=True)
class Attempt:
    key: Key
    at: float
    day: str


@dataclass
class CallLedger:
    max_per_day: int | None
    clock: Callable[[], float] = time.time
    _last: dict[Key, Attempt] = field(default_factory=dict)
    _per_day: dict[tuple[str, str], int] = field(default_factory=dict)  # (tenant, UTC date) -> attempts
    _attempts: dict[Key, int] = field(default_factory=lambda: defaultdict(int))  # ever, to see one happen
    _placed: set[Attempt] = field(default_factory=set)  # attempts Ninjahire answered with success
    _locks: dict[Key, anyio.Lock] = field(default_factory=dict)

    def budget_left(self, tenant: str) -> int | None:
        """Calls the tenant may still place today (UTC), or None when there is no budget."""
        if self.max_per_day is None:
            return None
        return max(self.max_per_day - self._per_day.get((tenant, self._today()), 0), 0)

    def seconds_since_call(self, key: Key) -> float | None:
        last = self._last.get(key)
        return None if last is None else self.clock() - last.at

    def attempts(self, key: Key) -> int:
        """How many attempts were ever recorded for the application (a change means one happened)."""
        return self._attempts[key]

    def seconds_to_reset(self) -> float:
        now = datetime.fromtimestamp(self.clock(), UTC)
        midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        return (midnight - now).total_seconds()

    def record(self, key: Key) -> Attempt:
        """Count an attempt before it is sent."""
        attempt = Attempt(key, self.clock(), self._today())
        self._last[key] = attempt
        self._attempts[key] += 1
        day = (key[0], attempt.day)
        self._per_day = {k: v for k, v in self._per_day.items() if k[1] == attempt.day}  # older days are over
        self._per_day[day] = self._per_day.get(day, 0) + 1
        return attempt

    def placed(self, attempt: Attempt) -> None:
        """Ninjahire answered the attempt: the call was placed (not merely, perhaps, placed)."""
        self._placed.add(attempt)

    def outcome_known(self, key: Key) -> bool:
        """Whether the last attempt for the application was answered (False: lost, cancelled, timed out)."""
        last = self._last.get(key)
        return last is not None and last in self._placed

    def withdraw(self, attempt: Attempt) -> None:
        """Ninjahire said the attempt was not carried out: it phoned nobody, and spends no budget."""
        if self._last.get(attempt.key) == attempt:
            del self._last[attempt.key]
        day = (attempt.key[0], attempt.day)
        if self._per_day.get(day):
            self._per_day[day] -= 1

    def lock(self, key: Key) -> anyio.Lock:
        """Held around the last check and the POST, so that two calls for one application cannot both pass."""
        return self._locks.setdefault(key, anyio.Lock())

    def _today(self) -> str:
        return datetime.fromtimestamp(self.clock(), UTC).date().isoformat()
