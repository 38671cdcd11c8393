"""Automated calling: when turning a job's AI scheduling on, or changing its rules, lets Ninjahire phone
more people or at more hours, a person confirms it first, as for a single call.

What widens who or when the system calls: a calling window that starts earlier or ends later, a day
added, more daily or total attempts, a shorter retry interval, repeat calling turned on. Narrowing,
or changing notifications only, is not gated.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..client import NinjahireClient, NinjahireError, Record
from ..toolkit import PageReader
from ._confirmation import Preview

_DAYS = {0: "Sun", 1: "Mon", 2: "Tue", 3: "Wed", 4: "Thu", 5: "Fri", 6: "Sat", 7: "Sun"}
# Applications Ninjahire may still phone: never screened, or their last call failed.
_NOT_SCREENED = frozenset({"pending", "failed", None})


def calling_window(settings: Mapping[str, Any] | Record | None) -> str:
    """ "08:00:00-18:00:00 Mon,Tue,..." as a person reads a schedule; "unknown" when it is not known."""
    if settings is None:
        return "unknown"
    start, end = settings.get("window_start_time"), settings.get("window_end_time")
    if not (start and end):
        return "unknown"
    days = ",".join(_DAYS.get(day, str(day)) for day in sorted(set(_days(settings.get("days_of_week")))))
    return f"{start}-{end}" + (f" {days}" if days else "")


def widening(stored: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """How `new` lets Ninjahire call more people or at more hours than `stored` (empty: it does not)."""
    wider: list[str] = []
    start, end = stored.get("window_start_time"), stored.get("window_end_time")
    if _earlier(new.get("window_start_time"), start) or _earlier(end, new.get("window_end_time")):
        wider.append(f"calling window {calling_window(stored)} -> {calling_window(new)}")
    added = set(_days(new.get("days_of_week"))) - set(_days(stored.get("days_of_week")))
    if added and stored.get("days_of_week") is not None:
        wider.append(f"days added: {', '.join(_DAYS.get(day, str(day)) for day in sorted(added))}")
    for name, label in (("daily_attempts", "daily attempts"), ("total_attempts", "total attempts")):
        if _more(new.get(name), stored.get(name)):
            wider.append(f"{label} {stored.get(name)} -> {new.get(name)}")
    if _more(stored.get("retry_interval"), new.get("retry_interval")):
        wider.append(f"retry interval {stored.get('retry_interval')} -> {new.get('retry_interval')} min")
    if new.get("repeat_calling") and not stored.get("repeat_calling"):
        wider.append("repeat calling after a missed call turned on")
    return wider


async def scheduling_preview(api: NinjahireClient, pages: PageReader, job_id: str) -> Preview:
    """Who Ninjahire may phone once the job's AI scheduling is on, and when."""
    job = await api.jobs.get(job_id)
    try:
        settings: Record | None = await api.jobs.get_schedule_settings(job_id)
    except NinjahireError:
        settings = None  # the preview says "unknown" rather than failing on a detail
    applications = await pages.read(
        lambda page, size: api.applications.list(page=page, size=size, job_id=job_id), what="applications"
    )
    waiting = sum(1 for application in applications.items if application.screening_status in _NOT_SCREENED)
    count = f"{waiting}{'' if applications.complete else '+'}"
    window = calling_window(settings)
    return Preview(
        summary=(
            f"Turn AI scheduling on for the {job.title or 'unknown'} job: Ninjahire may then phone its {count} "
            f"applicant(s) not yet screened, on its own, within {window}."
        ),
        details={"job": job.title, "job_id": job_id, "applicants_who_may_be_phoned": count, "calling_window": window},
    )


def rescheduling_preview(job_id: str, stored: Mapping[str, Any], new: Mapping[str, Any], wider: list[str]) -> Preview:
    return Preview(
        summary=f"Let Ninjahire phone the job {job_id}'s candidates more widely: {'; '.join(wider)}.",
        details={
            "job_id": job_id,
            "widens": wider,
            "calling_window_before": calling_window(stored),
            "calling_window_after": calling_window(new),
        },
    )


def _days(value: Any) -> list[int]:
    days = value if isinstance(value, list) else []
    return [0 if day == 7 else day for day in days if isinstance(day, int)]  # 7 and 0 are both Sunday


def _earlier(first: Any, second: Any) -> bool:
    return isinstance(first, str) and isinstance(second, str) and first < second


def _more(first: Any, second: Any) -> bool:
    return isinstance(first, int) and isinstance(second, int) and first > second
