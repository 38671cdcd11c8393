"""The sandbox as tests use it: a server on a fresh emulator with a hand-moved clock, its LLM Engineer job,
and a call record as the API documents it."""

from __future__ import annotations

import json
from typing import Any

import httpx2
from mcp import Client

from ninjahire_mcp.config import Settings
from ninjahire_mcp.sandbox import create_app
from ninjahire_mcp.server import build_server

from .api import APPLICATION, CALL, call, records
from .clock import Clock

TRANSCRIPT = "\n".join(f"{'BOT' if n % 2 else 'HUMAN'}: line {n}" for n in range(1, 451))


async def llm_job(client: Client) -> dict[str, Any]:
    return next(job for job in records(await call(client, "get_jobs", size=100)) if job["title"] == "LLM Engineer")


def sandbox_server(clock: Clock, **settings: Any) -> Any:
    emulator = httpx2.ASGITransport(app=create_app(call_duration=60, clock=clock))
    return build_server(Settings(sandbox=True, **settings), transport=emulator)


def call_record(**fields: Any) -> dict[str, Any]:
    """A call as the API documents it; a test overrides what it is about."""
    return {
        "call_id": CALL,
        "application_id": APPLICATION,
        "job_id": "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
        "candidate_id": "550e8400-e29b-41d4-a716-446655440000",
        "call_status": "call_completed",
        "ninjahire_intelligence": "call_success",
        "call_direction": "outgoing",
        "recording_url": f"https://recordings.example.com/{CALL}.mp3",
        "call_score": 82,
        "call_summary": {"communication": {"score": 80, "summary": "Clear."}},
        "call_digest": "Strong candidate.",
        "transcript": TRANSCRIPT,
        "questions_response": json.dumps([{"question": "Python?", "response": "Seven years.", "score": 8}]),
        "created_at": "2025-05-17T14:13:54Z",
        "ended_at": "2025-05-17T14:25:23Z",
        **fields,
    }
