"""Screening calls: what the emulator keeps about each one, and how a call reads at a given moment.

An instant call's result is decided when it starts, but stays hidden until `call_duration` seconds
of the emulator's clock have passed: completion is worked out whenever a call is read, so the
emulator needs no timers or background tasks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .records import timestamp
from .transcripts import ScreeningResult

IN_PROGRESS = "call_in_progress"
COMPLETED = "call_completed"
FAILED = "call_failed"

# An application's screening_status, from the status of its latest call.
SCREENING_STATUS_BY_CALL_STATUS = {IN_PROGRESS: "in_progress", COMPLETED: "completed", FAILED: "failed"}

RECORDING_URL = "https://recordings.example.com/ninjahire/{call_id}.mp3"


@dataclass(frozen=True)
class Call:
    id: str
    sequence: int  # creation order; breaks ties between calls made in the same second
    application_id: str
    job_id: str
    candidate_id: str
    direction: str
    created_at: datetime
    ended_at: datetime
    result: ScreeningResult | None  # None: nobody answered
    started_on_clock: float | None = None  # set for instant calls, which finish as the clock moves

    def status(self, clock_now: float, call_duration: float) -> str:
        if self.started_on_clock is not None and clock_now - self.started_on_clock < call_duration:
            return IN_PROGRESS
        return COMPLETED if self.result else FAILED


def render_call(call: Call, status: str) -> dict[str, Any]:
    """The call details object of GET /v1/calls and GET /v1/calls/{call_id}."""
    result = call.result if status == COMPLETED else None
    if status == IN_PROGRESS:
        intelligence = "call_inconclusive"
    else:
        intelligence = result.ninjahire_intelligence if result else "call_failed"
    return {
        "call_id": call.id,
        "application_id": call.application_id,
        "job_id": call.job_id,
        "candidate_id": call.candidate_id,
        "call_status": status,
        "ninjahire_intelligence": intelligence,
        "call_direction": call.direction,
        "recording_url": RECORDING_URL.format(call_id=call.id) if result else None,
        "call_score": result.call_score if result else None,
        "call_summary": result.call_summary if result else {},
        "call_digest": result.call_digest if result else "",
        "transcript": result.transcript if result else "",
        "questions_response": result.questions_response if result else "[]",
        "created_at": timestamp(call.created_at),
        "ended_at": None if status == IN_PROGRESS else timestamp(call.ended_at),
    }
