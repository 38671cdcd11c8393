"""The phone-call guard answers "may I phone?" once per request: what an elicitation round costs the API.

Counted on the emulator's own request log, for one confirmed instant_call: the checks (is a call in
progress? GET /v1/calls) run once per request, and again only after a person was asked inside the
request (2025 era), right before the call; the preview (application, job, schedule, scheduling) is
read once, even when a 2026-era exchange asks its question again on its second round.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import httpx2
import pytest
from mcp import Client
from mcp.types import ElicitResult

from ninjahire_mcp.config import Settings
from ninjahire_mcp.sandbox import create_app
from ninjahire_mcp.server import build_server

from ..support.api import call, records


def _route(path: str) -> str:
    parts = path.strip("/").split("/")
    # /v1/jobs/<id>/scheduling -> jobs/{}/scheduling: one name per endpoint, ids left out
    return "/".join("{}" if len(part) == 36 else part for part in parts[1:])


@pytest.mark.parametrize(
    ("mode", "checks"),
    [
        ("auto", 2),  # 2026 era: one check on each of the two rounds (the answer comes with the second)
        ("legacy", 2),  # 2025 era: one check before asking, one after the person answered
    ],
)
async def test_a_confirmed_call_reads_the_checks_once_per_request_and_the_preview_once(mode: str, checks: int) -> None:
    emulator = create_app(call_duration=60, clock=lambda: 0.0)
    asked: list[str] = []

    async def say_yes(_ctx: Any, params: Any) -> ElicitResult:
        asked.append(params.message)
        return ElicitResult(action="accept", content={"confirm": True})

    server = build_server(Settings(sandbox=True), transport=httpx2.ASGITransport(app=emulator))
    log = emulator.state.emulator.request_log
    async with Client(server, mode=mode, elicitation_callback=say_yes) as client:
        applications = records(await call(client, "get_applications", size=100))
        pending = next(a for a in applications if a["screening_status"] == "pending")
        before = len(log)
        started = await call(client, "instant_call", application_id=pending["id"])
    sent = Counter(f"{r.method} {_route(r.path)}" for r in log[before:])
    assert started["call_id"] and len(asked) == 1
    assert sent == {
        "GET calls": checks,
        "GET applications/{}": 1,
        "GET jobs/{}": 1,
        "GET jobs/{}/schedule-setting": 1,
        "GET jobs/{}/scheduling": 1,
        "POST applications/{}/instant-call": 1,
    }
