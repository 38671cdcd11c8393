"""Automated calling is a real-world action too: turning a job's AI scheduling on, or widening who or when
Ninjahire calls, waits for a person's yes, with a preview that says what changes."""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest
from mcp import Client
from mcp.types import ElicitResult
from starlette.applications import Starlette

from ninjahire_mcp.config import Settings
from ninjahire_mcp.sandbox import create_app
from ninjahire_mcp.server import build_server

from ..support.api import call, records

EVERY_HOUR_EVERY_DAY = {
    "window_start_time": "00:00:00",
    "window_end_time": "23:59:00",
    "days_of_week": [0, 1, 2, 3, 4, 5, 6],
}


@pytest.fixture
def emulator() -> Starlette:
    return create_app(call_duration=60, clock=lambda: 0.0)


def server(emulator: Starlette) -> Any:
    return build_server(Settings(sandbox=True), transport=httpx2.ASGITransport(app=emulator))


def writes(emulator: Starlette) -> list[str]:
    return [f"{r.method} {r.path}" for r in emulator.state.emulator.request_log if r.method in ("PATCH", "PUT")]


async def a_job_with_scheduling_off(client: Client) -> dict[str, Any]:
    for job in records(await call(client, "get_jobs", size=100)):
        if not (await call(client, "get_job_scheduling", job_id=job["id"]))["scheduling"]:
            return job
    raise AssertionError("the seeded tenant has no job with scheduling off")


async def test_turning_scheduling_on_previews_who_may_be_phoned_and_waits_for_the_token(emulator: Starlette) -> None:
    async with Client(server(emulator)) as client:
        job = await a_job_with_scheduling_off(client)
        preview = await call(client, "set_job_scheduling", job_id=job["id"], scheduling=True)
        still = await call(client, "get_job_scheduling", job_id=job["id"])
        assert preview["status"] == "confirmation_required" and writes(emulator) == [] and not still["scheduling"]
        assert f"Turn AI scheduling on for the {job['title']} job" in preview["action"]
        assert preview["details"]["applicants_who_may_be_phoned"].rstrip("+").isdigit()
        assert preview["details"]["calling_window"] != "unknown"
        done = await call(
            client, "set_job_scheduling", job_id=job["id"], scheduling=True, confirm_token=preview["confirm_token"]
        )
        assert done["scheduling"] is True and len(writes(emulator)) == 1
        off = await call(client, "set_job_scheduling", job_id=job["id"], scheduling=False)
    assert off["scheduling"] is False  # turning it off phones nobody: not gated


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_a_person_is_asked_before_scheduling_goes_on(emulator: Starlette, mode: str) -> None:
    asked: list[str] = []

    async def decline(_ctx: Any, params: Any) -> ElicitResult:
        asked.append(params.message)
        return ElicitResult(action="decline")

    async with Client(server(emulator), mode=mode, elicitation_callback=decline) as client:
        job = await a_job_with_scheduling_off(client)
        result = await call(client, "set_job_scheduling", job_id=job["id"], scheduling=True)
    assert result["status"] == "not_done" and writes(emulator) == []
    assert len(asked) == 1 and asked[0].startswith(f"Turn AI scheduling on for the {job['title']} job")


async def test_widening_the_calling_window_is_confirmed_and_says_the_old_and_new_window(emulator: Starlette) -> None:
    async with Client(server(emulator)) as client:
        job = records(await call(client, "get_jobs", size=1))[0]
        before = await call(client, "get_schedule_settings", job_id=job["id"])
        preview = await call(client, "update_schedule_settings", job_id=job["id"], **EVERY_HOUR_EVERY_DAY)
        assert preview["status"] == "confirmation_required" and writes(emulator) == []
        window = f"{before['window_start_time']}-{before['window_end_time']}"
        assert preview["details"]["calling_window_before"].startswith(window)
        assert preview["details"]["calling_window_after"] == "00:00:00-23:59:00 Sun,Mon,Tue,Wed,Thu,Fri,Sat"
        assert any(line.startswith("days added") for line in preview["details"]["widens"])
        done = await call(
            client,
            "update_schedule_settings",
            job_id=job["id"],
            **EVERY_HOUR_EVERY_DAY,
            confirm_token=preview["confirm_token"],
        )
    assert done["changed"]["window_start_time"] == {"from": before["window_start_time"], "to": "00:00:00"}
    assert len(writes(emulator)) == 1


async def test_a_change_that_calls_no_more_widely_is_not_gated(emulator: Starlette) -> None:
    async with Client(server(emulator)) as client:
        job = records(await call(client, "get_jobs", size=1))[0]
        before = await call(client, "get_schedule_settings", job_id=job["id"])
        result = await call(
            client, "update_schedule_settings", job_id=job["id"], email_enabled=not before["email_enabled"]
        )
    assert "changed" in result and len(writes(emulator)) == 1
    assert json.dumps(result).count("confirm_token") == 0
