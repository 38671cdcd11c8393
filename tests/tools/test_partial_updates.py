"""Updates that take only what changes: read the stored record, merge, send what the API requires, say what changed."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx2
import pytest
from mcp import Client

from ninjahire_mcp.config import ALL_TOOLSETS, Settings
from ninjahire_mcp.sandbox import create_app
from ninjahire_mcp.server import build_server

from ..support.api import CANDIDATE, JOB, RecordingAPI, call

MODES = ["auto", "legacy"]  # the 2026-07-28 era and the 2025-era handshake that today's hosts speak

STORED_CANDIDATE = {
    "id": CANDIDATE,
    "first_name": "Dana",
    "last_name": "Whitfield",
    "email": "dana@example.com",
    "phone_no": "+12025550123",
    "city": "Austin",
    "state_name": None,
    "country": "United States",
    "source": "LinkedIn",
    "source_id": "CAND-1",
    "file": "https://files.example.com/dana.pdf",
    "created_at": "2024-01-01T00:00:00Z",
    "updated_at": "2024-01-01T00:00:00Z",
    "owner_team": "north",  # a field the docs do not give: read, never sent back
}
STORED_JOB = {
    "id": JOB,
    "title": "LLM Engineer",
    "city": "San Jose",
    "status": "Active",
    "min_pay_rate": 40,
    "max_pay_rate": 60,
    "job_code": "123",
    "source_id": "JOB-1",
    "created_at": "2024-01-01T00:00:00Z",
}
STORED_SETTINGS = {
    "id": "setting-1",
    "job_id": JOB,
    "window_start_time": "08:00:00",
    "window_end_time": "18:00:00",
    "daily_attempts": 3,
    "total_attempts": 10,
    "retry_interval": 15,
    "days_of_week": [1, 2, 3, 4, 5],
    "email_enabled": True,
    "email_notify_minutes": 10,
    "email_repeat": False,
    "sms_enabled": False,
    "sms_notify_minutes": 5,
    "sms_repeat": True,
    "voicemail_enabled": False,
    "repeat_calling": True,
    "call_schedule_minutes": 30,
    "default": True,
    "name": None,
    "updated_at": "2024-01-01T00:00:00Z",
}
STORED = {
    f"/v1/candidates/{CANDIDATE}": STORED_CANDIDATE,
    f"/v1/jobs/{JOB}": STORED_JOB,
    f"/v1/jobs/{JOB}/schedule-setting": STORED_SETTINGS,
}
CANDIDATE_BODY_FIELDS = ("first_name", "last_name", "email", "phone_no", "city", "state_name", "country", "source")
SETTINGS_BODY = {k: v for k, v in STORED_SETTINGS.items() if k not in ("id", "job_id", "updated_at", "name")}


def stored_records(records: dict[str, dict[str, Any]] = STORED) -> Callable[[httpx2.Request], httpx2.Response]:
    """GET answers with the stored record; a write answers with the record it would leave behind."""

    def answer(request: httpx2.Request) -> httpx2.Response:
        record = records.get(request.url.path)
        if record is None:
            return httpx2.Response(404, json={"message": "not found"})
        if request.method == "GET":
            return httpx2.Response(200, json=record)
        return httpx2.Response(
            200, json={**record, **json.loads(request.content), "updated_at": "2024-06-01T00:00:00Z"}
        )

    return answer


@pytest.fixture
def stored(api: RecordingAPI) -> RecordingAPI:
    api.default = stored_records()
    return api


async def refused(client: Client, tool: str, **arguments: Any) -> str:
    result = await client.call_tool(tool, arguments)
    text = result.content[0].text
    assert result.is_error, text
    return text


def methods(api: RecordingAPI) -> list[str]:
    return [request.method for request in api.requests]


# ---- candidates ---------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_a_candidate_update_sends_the_whole_documented_body_with_the_change(
    server_for: Callable[..., Any], stored: RecordingAPI, mode: str
) -> None:
    async with Client(server_for(), mode=mode) as client:
        result = await call(client, "update_candidate", candidate_id=CANDIDATE, email="dana.w@example.com")

    assert methods(stored) == ["GET", "PATCH"]
    # Required and optional fields from the stored record; no id, timestamps, nulls, `file` or unknown fields.
    expected = {
        name: STORED_CANDIDATE[name] for name in (*CANDIDATE_BODY_FIELDS, "source_id") if STORED_CANDIDATE[name]
    }
    assert stored.body() == {**expected, "email": "dana.w@example.com"}
    assert result["changed"] == {"email": {"from": "dana@example.com", "to": "dana.w@example.com"}}
    assert result["record"]["email"] == "dana.w@example.com" and result["record"]["updated_at"].startswith("2024-06")


@pytest.mark.parametrize("mode", MODES)
async def test_an_unset_field_shows_only_its_new_value(
    server_for: Callable[..., Any], stored: RecordingAPI, mode: str
) -> None:
    async with Client(server_for(), mode=mode) as client:
        result = await call(client, "update_candidate", candidate_id=CANDIDATE, state_name="Texas", city="Austin")

    assert result["changed"] == {"state_name": {"to": "Texas"}}  # null "from" left out; city did not change
    assert stored.body()["state_name"] == "Texas" and stored.body()["city"] == "Austin"


@pytest.mark.parametrize("mode", MODES)
async def test_a_candidate_update_that_changes_nothing_sends_nothing(
    server_for: Callable[..., Any], stored: RecordingAPI, mode: str
) -> None:
    async with Client(server_for(), mode=mode) as client:
        result = await call(client, "update_candidate", candidate_id=CANDIDATE, email="dana@example.com", city="Austin")

    assert methods(stored) == ["GET"]
    assert result == {"changed": {}, "note": "Nothing sent: the candidate already has these values."}


@pytest.mark.parametrize("tool", ["update_candidate", "update_job", "update_schedule_settings"])
async def test_an_update_with_no_field_is_refused_without_a_request(
    server_for: Callable[..., Any], stored: RecordingAPI, tool: str
) -> None:
    path = {"update_candidate": {"candidate_id": CANDIDATE}}.get(tool, {"job_id": JOB})
    async with Client(server_for()) as client:
        text = await refused(client, tool, **path)
    assert text.startswith(f"Invalid arguments for {tool}; nothing was sent:")
    assert "no field to change was given: pass at least one of " in text
    assert stored.requests == []


async def test_a_required_field_missing_from_the_stored_candidate_must_be_given(
    server_for: Callable[..., Any], api: RecordingAPI
) -> None:
    api.default = stored_records({f"/v1/candidates/{CANDIDATE}": {**STORED_CANDIDATE, "phone_no": None}})
    async with Client(server_for()) as client:
        text = await refused(client, "update_candidate", candidate_id=CANDIDATE, city="Dallas")
        assert "the stored candidate has no phone_no, which the API requires on every update: pass phone_no" in text
        assert methods(api) == ["GET"]

        await call(client, "update_candidate", candidate_id=CANDIDATE, city="Dallas", phone_no="+12025550999")
    assert api.body()["phone_no"] == "+12025550999"


@pytest.mark.parametrize("mode", MODES)
async def test_a_candidate_that_does_not_exist_is_reported_by_the_read(
    server_for: Callable[..., Any], stored: RecordingAPI, mode: str
) -> None:
    missing = "00000000-0000-4000-8000-000000000000"
    async with Client(server_for(), mode=mode) as client:
        text = await refused(client, "update_candidate", candidate_id=missing, city="Dallas")
    assert "Not found (HTTP 404: not found)" in text and f"candidate_id='{missing}'" in text
    assert "candidate_id from get_candidates" in text and "OUTCOME UNKNOWN" not in text
    assert methods(stored) == ["GET"]


async def test_a_failing_read_is_retried_and_nothing_is_written(
    server_for: Callable[..., Any], api: RecordingAPI
) -> None:
    api.default = lambda _request: httpx2.Response(503, json={"message": "upstream down"})
    async with Client(server_for()) as client:
        text = await refused(client, "update_candidate", candidate_id=CANDIDATE, city="Dallas")
    assert "server error (HTTP 503: upstream down) after 3 attempts" in text and "OUTCOME UNKNOWN" not in text
    assert methods(api) == ["GET", "GET", "GET"]


async def test_a_failing_write_after_the_read_is_an_unknown_outcome(
    server_for: Callable[..., Any], api: RecordingAPI
) -> None:
    read = stored_records()
    api.default = lambda request: read(request) if request.method == "GET" else httpx2.Response(502)
    async with Client(server_for()) as client:
        text = await refused(client, "update_candidate", candidate_id=CANDIDATE, city="Dallas")
    assert "OUTCOME UNKNOWN" in text and f"get_candidate(candidate_id='{CANDIDATE}')" in text
    assert methods(api) == ["GET", "PATCH"]  # the PATCH is never repeated


# ---- jobs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_a_job_update_without_title_sends_the_stored_title_and_the_change(
    server_for: Callable[..., Any], stored: RecordingAPI, mode: str
) -> None:
    async with Client(server_for(), mode=mode) as client:
        result = await call(client, "update_job", job_id=JOB, status="Closed", city="San Jose")

    assert methods(stored) == ["GET", "PATCH"]
    assert stored.body() == {"title": "LLM Engineer", "status": "Closed"}  # unchanged city not sent
    assert result["changed"] == {"status": {"from": "Active", "to": "Closed"}}
    assert result["record"]["status"] == "Closed"


@pytest.mark.parametrize("mode", MODES)
async def test_a_new_job_title_is_sent_as_given(
    server_for: Callable[..., Any], stored: RecordingAPI, mode: str
) -> None:
    async with Client(server_for(), mode=mode) as client:
        result = await call(client, "update_job", job_id=JOB, title="Staff LLM Engineer")
    assert stored.body() == {"title": "Staff LLM Engineer"}
    assert result["changed"] == {"title": {"from": "LLM Engineer", "to": "Staff LLM Engineer"}}


async def test_a_job_update_that_changes_nothing_sends_nothing(
    server_for: Callable[..., Any], stored: RecordingAPI
) -> None:
    async with Client(server_for()) as client:
        result = await call(client, "update_job", job_id=JOB, title="LLM Engineer", min_pay_rate=40.0)
    assert methods(stored) == ["GET"]  # 40.0 given is the stored 40
    assert result["changed"] == {} and "Nothing sent" in result["note"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"min_pay_rate": 70}, "min_pay_rate (70) is above max_pay_rate (60, as stored): pass both"),
        ({"max_pay_rate": 30}, "min_pay_rate (40, as stored) is above max_pay_rate (30): pass both"),
    ],
)
async def test_one_side_of_the_pay_range_is_checked_against_the_stored_other(
    server_for: Callable[..., Any], stored: RecordingAPI, mode: str, change: dict[str, Any], expected: str
) -> None:
    async with Client(server_for(), mode=mode) as client:
        text = await refused(client, "update_job", job_id=JOB, **change)
    assert text.startswith("Invalid arguments for update_job; nothing was sent:") and expected in text
    assert methods(stored) == ["GET"]


async def test_a_pay_range_consistent_with_the_stored_side_is_sent(
    server_for: Callable[..., Any], stored: RecordingAPI
) -> None:
    async with Client(server_for()) as client:
        await call(client, "update_job", job_id=JOB, max_pay_rate=45)
        await call(client, "update_job", job_id=JOB, min_pay_rate=70, max_pay_rate=90)
    assert stored.body(1) == {"title": "LLM Engineer", "max_pay_rate": 45}
    assert stored.body(3) == {"title": "LLM Engineer", "min_pay_rate": 70, "max_pay_rate": 90}


async def test_a_pay_range_given_whole_is_checked_before_reading(
    server_for: Callable[..., Any], stored: RecordingAPI
) -> None:
    async with Client(server_for()) as client:
        text = await refused(client, "update_job", job_id=JOB, min_pay_rate=90, max_pay_rate=70)
    assert "min_pay_rate (90) is above max_pay_rate (70): swap them" in text
    assert stored.requests == []


# ---- schedule settings --------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_a_settings_change_puts_every_stored_setting_back(
    server_for: Callable[..., Any], stored: RecordingAPI, mode: str
) -> None:
    async with Client(server_for(), mode=mode) as client:
        result = await call(client, "update_schedule_settings", job_id=JOB, sms_enabled=True, daily_attempts=2)

    assert methods(stored) == ["GET", "PUT"]
    # The whole setting (a PUT replaces it), without id, job_id, updated_at or null name.
    assert stored.body() == {**SETTINGS_BODY, "sms_enabled": True, "daily_attempts": 2}
    assert result["changed"] == {
        "sms_enabled": {"from": False, "to": True},
        "daily_attempts": {"from": 3, "to": 2},
    }
    assert result["record"]["sms_enabled"] is True


@pytest.mark.parametrize("mode", MODES)
async def test_a_window_end_before_the_stored_start_is_refused(
    server_for: Callable[..., Any], stored: RecordingAPI, mode: str
) -> None:
    async with Client(server_for(), mode=mode) as client:
        text = await refused(client, "update_schedule_settings", job_id=JOB, window_end_time="07:30")
    assert "window_end_time (07:30:00) must be after window_start_time (08:00:00, as stored)." in text
    assert methods(stored) == ["GET"]


async def test_a_window_start_after_the_stored_end_is_refused(
    server_for: Callable[..., Any], stored: RecordingAPI
) -> None:
    async with Client(server_for()) as client:
        text = await refused(client, "update_schedule_settings", job_id=JOB, window_start_time="19:00:00")
    assert "window_end_time (18:00:00, as stored) must be after window_start_time (19:00:00)." in text


async def test_the_same_days_in_another_order_change_nothing(
    server_for: Callable[..., Any], stored: RecordingAPI
) -> None:
    async with Client(server_for()) as client:
        result = await call(client, "update_schedule_settings", job_id=JOB, days_of_week=[5, 4, 3, 2, 1])
    assert result == {"changed": {}, "note": "Nothing sent: the schedule settings already has these values."}
    assert methods(stored) == ["GET"]


async def test_settings_without_a_stored_window_need_one(server_for: Callable[..., Any], api: RecordingAPI) -> None:
    api.default = stored_records({f"/v1/jobs/{JOB}/schedule-setting": {"id": "s", "job_id": JOB}})
    async with Client(server_for()) as client:
        text = await refused(client, "update_schedule_settings", job_id=JOB, sms_enabled=True)
    assert "has no window_start_time, window_end_time" in text
    assert "pass window_start_time and window_end_time too" in text
    assert methods(api) == ["GET"]


# ---- against the sandbox ------------------------------------------------------------------------


@asynccontextmanager
async def sandbox(mode: str) -> AsyncIterator[tuple[Client, Any]]:
    """A client on a fresh sandbox, and the emulator behind it (where the tests find ids)."""
    app = create_app()
    server = build_server(
        Settings(sandbox=True, toolsets=frozenset(ALL_TOOLSETS)), transport=httpx2.ASGITransport(app=app)
    )
    async with Client(server, mode=mode) as client:
        yield client, app.state.emulator


@pytest.mark.parametrize("mode", MODES)
async def test_partial_updates_keep_everything_else_in_the_sandbox(mode: str) -> None:
    async with sandbox(mode) as (client, emulator):
        candidate_id = next(iter(emulator.candidates))
        before = await call(client, "get_candidate", candidate_id=candidate_id)
        result = await call(client, "update_candidate", candidate_id=candidate_id, city="Reykjavik")
        after = await call(client, "get_candidate", candidate_id=candidate_id)
        assert result["changed"] == {"city": {"from": before["city"], "to": "Reykjavik"}}
        assert after == {**before, "city": "Reykjavik", "updated_at": after["updated_at"]}

        job_id = next(iter(emulator.jobs))
        job = await call(client, "get_job", job_id=job_id)
        await call(client, "update_job", job_id=job_id, status="Paused")
        now = await call(client, "get_job", job_id=job_id)
        assert now == {**job, "status": "Paused", "updated_at": now["updated_at"]}

        settings = await call(client, "get_schedule_settings", job_id=job_id)
        changed = await call(client, "update_schedule_settings", job_id=job_id, voicemail_enabled=True)
        assert changed["changed"] == {"voicemail_enabled": {"from": settings["voicemail_enabled"], "to": True}}
        replaced = await call(client, "get_schedule_settings", job_id=job_id)
        assert replaced == {**settings, "voicemail_enabled": True, "updated_at": replaced["updated_at"]}

        same = await call(client, "update_schedule_settings", job_id=job_id, voicemail_enabled=True)
        assert same["changed"] == {} and (await call(client, "get_schedule_settings", job_id=job_id)) == replaced


async def test_guardrails_check_stored_values_in_the_sandbox() -> None:
    async with sandbox("auto") as (client, emulator):
        job = next(job for job in emulator.jobs.values() if job.get("max_pay_rate"))
        text = await refused(client, "update_job", job_id=job["id"], min_pay_rate=job["max_pay_rate"] + 1)
        assert f"is above max_pay_rate ({job['max_pay_rate']:g}, as stored)" in text

        settings = await call(client, "get_schedule_settings", job_id=job["id"])
        start = settings["window_start_time"]
        text = await refused(client, "update_schedule_settings", job_id=job["id"], window_end_time=start)
        assert f"window_end_time ({start}) must be after window_start_time ({start}, as stored)" in text
        assert await call(client, "get_schedule_settings", job_id=job["id"]) == settings
