"""What this installation remembers of the calls it tried to place: for the cool-down, the daily budget,
and one call at a time per application.

Everything is per tenant (the caller's key, in a shared deployment: one tenant's calls never spend
another's budget) and per application (its UUID in any letter case is the same application).

An attempt is counted before its POST is sent, because an attempt whose outcome is unknown may have
phoned someone; it is withdrawn when Ninjahire's answer says the request was not carried out. The
attempts are kept in the guards' journal (durable in live mode), so a restarted process, or another
process of the same installation, still refuses a repeat within the hour and spends the same budget.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import anyio

from ._journal import GuardJournal

COOL_DOWN = 3600.0  # a candidate phoned by this server is not phoned again within the hour, unless forced
KEPT_FOR = 2 * 86400.0  # longer than the cool-down and a UTC day: older attempts decide nothing

Key = tuple[str, str]  # (tenant, application id in lower case)


def ledger_key(tenant: str, application_id: str) -> Key:
    return tenant, application_id.strip().lower()


@dataclass(frozen=True)
class Attempt:
    id: int
    key: Key
    at: float
    day: str


@dataclass
class CallLedger:
    max_per_day: int | None
    clock: Callable[[], float] = time.time
    journal: GuardJournal = field(default_factory=GuardJournal)
    # In-process only: two processes can still each place one call for the same application at once.
    _locks: dict[Key, anyio.Lock] = field(default_factory=dict)

    def budget_left(self, tenant: str) -> int | None:
        """Calls the tenant may still place today (UTC), or None when there is no budget."""
        if self.max_per_day is None:
            return None
        (spent,) = self.journal.db.execute(
            "SELECT count(*) FROM call_attempts WHERE tenant = ? AND day = ? AND NOT withdrawn",
            (tenant, self._today()),
        ).fetchone()
        return max(self.max_per_day - spent, 0)

    def seconds_since_call(self, key: Key) -> float | None:
        last = self._last(key)
        return None if last is None else self.clock() - last[1]

    def attempts(self, key: Key) -> int:
        """A number that changes whenever an attempt for the application is recorded (withdrawn ones too)."""
        row = self.journal.db.execute(
            "SELECT max(id) FROM call_attempts WHERE tenant = ? AND application = ?", key
        ).fetchone()
        return int(row[0] or 0)

    def seconds_to_reset(self) -> float:
        now = datetime.fromtimestamp(self.clock(), UTC)
        midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        return (midnight - now).total_seconds()

    def record(self, key: Key) -> Attempt:
        """Count an attempt before it is sent."""
        now = self.clock()
        self.journal.db.execute("DELETE FROM call_attempts WHERE at < ?", (now - KEPT_FOR,))
        cursor = self.journal.db.execute(
            "INSERT INTO call_attempts (tenant, application, at, day) VALUES (?, ?, ?, ?)", (*key, now, self._today())
        )
        assert cursor.lastrowid is not None
        return Attempt(cursor.lastrowid, key, now, self._today())

    def placed(self, attempt: Attempt) -> None:
        """Ninjahire answered the attempt: the call was placed (not merely, perhaps, placed)."""
        self.journal.db.execute("UPDATE call_attempts SET placed = 1 WHERE id = ?", (attempt.id,))

    def outcome_known(self, key: Key) -> bool:
        """Whether the last attempt for the application was answered (False: lost, cancelled, timed out)."""
        last = self._last(key)
        return last is not None and bool(last[2])

    def withdraw(self, attempt: Attempt) -> None:
        """Ninjahire said the attempt was not carried out: it phoned nobody, and spends no budget."""
        self.journal.db.execute("UPDATE call_attempts SET withdrawn = 1 WHERE id = ?", (attempt.id,))

    def lock(self, key: Key) -> anyio.Lock:
        """Held around the last check and the POST, so that two calls for one application cannot both pass."""
        return self._locks.setdefault(key, anyio.Lock())

    def _last(self, key: Key) -> tuple[int, float, int] | None:
        """The latest attempt that may have phoned someone: (id, when, placed)."""
        row = self.journal.db.execute(
            "SELECT id, at, placed FROM call_attempts WHERE tenant = ? AND application = ? AND NOT withdrawn "
            "ORDER BY id DESC LIMIT 1",
            key,
        ).fetchone()
        return None if row is None else (int(row[0]), float(row[1]), int(row[2]))

    def _today(self) -> str:
        return datetime.fromtimestamp(self.clock(), UTC).date().isoformat()
