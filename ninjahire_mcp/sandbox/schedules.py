"""Per-job calling schedules: the defaults a PUT falls back to, and the seeded variations."""

from __future__ import annotations

import copy
from typing import Any

# What a field not given in a PUT returns to: the PUT replaces the whole setting, as PUT does.
DEFAULT_SCHEDULE: dict[str, Any] = {
    "daily_attempts": 3,
    "total_attempts": 10,
    "retry_interval": 15,
    "days_of_week": [1, 2, 3, 4, 5],
    "email_enabled": False,
    "email_notify_minutes": 0,
    "email_repeat": False,
    "sms_enabled": False,
    "sms_notify_minutes": 0,
    "sms_repeat": False,
    "voicemail_enabled": False,
    "repeat_calling": False,
    "call_schedule_minutes": 0,
    "default": False,
    "name": None,
}

# Seeded variations; the first is the documentation's example.
SCHEDULE_PRESETS: tuple[dict[str, Any], ...] = (
    {
        "window_start_time": "08:00:00",
        "window_end_time": "18:00:00",
        "daily_attempts": 3,
        "total_attempts": 10,
        "retry_interval": 15,
        "days_of_week": [1, 2, 3, 4, 5],
        "email_enabled": True,
        "email_notify_minutes": 10,
        "email_repeat": False,
        "sms_enabled": True,
        "sms_notify_minutes": 5,
        "sms_repeat": True,
        "voicemail_enabled": False,
        "repeat_calling": True,
        "call_schedule_minutes": 30,
        "default": True,
        "name": "Default Schedule",
    },
    {
        "window_start_time": "09:00:00",
        "window_end_time": "17:00:00",
        "daily_attempts": 2,
        "total_attempts": 6,
        "retry_interval": 60,
        "days_of_week": [1, 2, 3, 4, 5],
        "email_enabled": True,
        "email_notify_minutes": 30,
        "email_repeat": True,
        "sms_enabled": False,
        "sms_notify_minutes": 0,
        "sms_repeat": False,
        "voicemail_enabled": True,
        "repeat_calling": True,
        "call_schedule_minutes": 20,
        "default": False,
        "name": "Business Hours",
    },
    {
        "window_start_time": "07:00:00",
        "window_end_time": "20:00:00",
        "daily_attempts": 4,
        "total_attempts": 12,
        "retry_interval": 90,
        "days_of_week": [0, 1, 2, 3, 4, 5, 6],
        "email_enabled": True,
        "email_notify_minutes": 15,
        "email_repeat": False,
        "sms_enabled": True,
        "sms_notify_minutes": 10,
        "sms_repeat": False,
        "voicemail_enabled": True,
        "repeat_calling": False,
        "call_schedule_minutes": 15,
        "default": False,
        "name": "Shift Workers (7 days)",
    },
)


def schedule_from_put(values: dict[str, Any]) -> dict[str, Any]:
    """The full setting a PUT leaves behind: given fields, everything else back to its default."""
    return copy.deepcopy({**DEFAULT_SCHEDULE, **values})


def new_job_schedule() -> dict[str, Any]:
    """The setting a job created through the API starts with."""
    return schedule_from_put(
        {
            "window_start_time": "09:00:00",
            "window_end_time": "17:00:00",
            "default": True,
            "name": "Default Schedule",
        }
    )
