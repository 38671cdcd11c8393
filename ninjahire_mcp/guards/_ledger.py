"""What this server process remembers of the calls it placed: for the cool-down and the daily budget."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

COOL_DOWN = 3600.0  # a candidate phoned by this server is not phoned again within the hour, unless forced


@dataclass
class CallLedger:
    max_per_day: int | None
    clock: Callable[[], float] = time.time
    _last_call: dict[str, float] = field(default_factory=dict)  # application_id -> when
    _per_day: dict[str, int] = field(default_factory=dict)  # UTC date -> calls attempted

    def budget_left(self) -> int | None:
        """Calls still allowed today (UTC), or None when there is no budget."""
        if self.max_per_day is None:
            return None
        return max(self.max_per_day - self._per_day.get(self._today(), 0), 0)

    def seconds_since_call(self, application_id: str) -> float | None:
        placed = self._last_call.get(application_id)
        return None if placed is None else self.clock() - placed

    def seconds_to_reset(self) -> float:
        now = datetime.fromtimestamp(self.clock(), UTC)
        midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        return (midnight - now).total_seconds()

    def record(self, application_id: str) -> None:
        """Count an attempt before it is sent: an attempt whose outcome is unknown may have phoned someone."""
        self._last_call[application_id] = self.clock()
        today = self._today()
        self._per_day = {today: self._per_day.get(today, 0) + 1}

    def _today(self) -> str:
        return datetime.fromtimestamp(self.clock(), UTC).date().isoformat()
