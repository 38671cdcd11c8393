"""Sandbox emulator: keys, request log, error shapes, paging, jobs and candidates.

Driven through HTTP only (an ASGI transport), as our client and any other caller would use it.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx2
import pytest
from starlette.applications import Starlette

from ninjahire_mcp.sandbox import SANDBOX_API_KEY, RecordedRequest, create_app

from ..support.clock import Clock

AUTH = {"Authorization": f"Bearer {SANDBOX_API_KEY}"}
PAGED_ROUTES = ("/v1/jobs", "/v1/candidates", "/v1/applications", "/v1/calls")
JOB_FIELDS = (
    "title", "client_name", "industry", "job_code", "address", "workplace_type", "city", "state_name",
    "zip_code", "country", "employment_type", "duration", "start_date", "end_date", "posting_date",
    "pay_frequency", "min_pay_rate", "max_pay_rate", "pay_rate_currency", "recruiter_name",
    "recruiter_email", "recruiter_work_phone_no", "status", "desc", "source_id",
)  # fmt: skip
SCHEDULE_FIELDS = {
    "id", "job_id", "window_start_time", "window_end_time", "daily_attempts", "total_attempts",
    "retry_interval", "days_of_week", "email_enabled", "email_notify_minutes", "email_repeat", "sms_enabled",
    "sms_notify_minutes", "sms_repeat", "voicemail_enabled", "repeat_calling", "call_schedule_minutes",
    "default", "name", "updated_at",
}  # fmt: skip


def connect(app: Starlette, headers: dict[str, str] | None = AUTH) -> httpx2.AsyncClient:
    return httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://sandbox", headers=headers or {})


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(clock: Clock) -> Starlette:
    return create_app(clock=clock)


@pytest.fixture
async def sandbox(app: Starlette) -> AsyncIterator[httpx2.AsyncClient]:
    async with connect(app) as client:
        yield client


def new_job(**overrides: Any) -> dict[str, Any]:
    body = {
        "title": "Platform Engineer",
        "industry": "Software Development",
        "state_name": "WA",
        "country": "United States",
        "recruiter_name": "Rita Lane",
        "recruiter_email": "rita.lane@example.com",
        "recruiter_work_phone_no": "+12065550111",
        "status": "Active",
        "desc": "Build and run our Kubernetes platform in Python and Go.",
        "source_id": "JOB-TEST-1",
        "city": "Seattle",
        "min_pay_rate": 140000,
        "max_pay_rate": 170000.5,
    }
    return {**body, **overrides}


def new_candidate(**overrides: Any) -> dict[str, Any]:
    body = {
        "first_name": "Robin",
        "last_name": "Ashford",
        "email": "robin.ashford@example.com",
        "phone_no": "+12025550177",
        "source": "LinkedIn",
        "source_id": "CAND-TEST-1",
    }
    return {**body, **overrides}


def error_fields(response: httpx2.Response) -> set[str]:
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["message"] == "Validation failed"
    assert all(error["message"] for error in body["errors"])
    return {error["field"] for error in body["errors"]}


async def first_job(sandbox: httpx2.AsyncClient) -> dict[str, Any]:
    return (await sandbox.get("/v1/jobs", params={"page": 1, "size": 1})).json()["data"][0]


def is_uuid(value: Any) -> bool:
    try:
        return str(uuid.UUID(value)) == value
    except (TypeError, ValueError):
        return False


# ---- creating the app ---------------------------------------------------------------------------


def test_creating_an_app_starts_no_threads() -> None:
    # Compared by identity, not by count: a thread an earlier test left behind may end meanwhile. How
    # fast an app is made is measured by bench/cold_start.py (--sandbox), not by a timed test.
    before = set(threading.enumerate())
    apps = [create_app() for _ in range(3)]
    started = [thread.name for thread in set(threading.enumerate()) - before]
    assert len(apps) == 3 and started == []


# ---- keys and the request log ---------------------------------------------------------------------


async def test_request_without_authorization_is_401(app: Starlette) -> None:
    async with connect(app, headers=None) as anonymous:
        response = await anonymous.get("/v1/jobs", params={"page": 1, "size": 5})
    assert response.status_code == 401
    assert "Bearer" in response.json()["message"]


@pytest.mark.parametrize("header", ["Bearer ", "Basic c2FuZGJveDprZXk=", "sandbox-key"])
async def test_authorization_that_is_not_a_bearer_key_is_401(app: Starlette, header: str) -> None:
    async with connect(app, headers={"Authorization": header}) as client:
        response = await client.get("/v1/jobs", params={"page": 1, "size": 5})
    assert response.status_code == 401


async def test_any_non_empty_key_is_accepted_when_no_keys_are_configured(app: Starlette) -> None:
    async with connect(app, headers={"Authorization": "Bearer anything-at-all"}) as client:
        assert (await client.get("/v1/tenant-webhook")).status_code == 200


async def test_only_configured_keys_are_accepted() -> None:
    app = create_app(api_keys={"key-one"})
    async with connect(app, headers={"Authorization": "Bearer key-two"}) as wrong:
        response = await wrong.get("/v1/tenant-webhook")
        assert response.status_code == 401
        assert response.json() == {"message": "Invalid API key"}
    async with connect(app, headers=AUTH) as sandbox_key:
        assert (await sandbox_key.get("/v1/tenant-webhook")).status_code == 401
    async with connect(app, headers={"Authorization": "bearer key-one"}) as right:
        assert (await right.get("/v1/tenant-webhook")).status_code == 200


async def test_auth_is_checked_before_routing(app: Starlette) -> None:
    async with connect(app, headers=None) as anonymous:
        assert (await anonymous.get("/v1/nowhere")).status_code == 401


async def test_request_log_records_every_request_with_its_key() -> None:
    app = create_app(api_keys={"good"})
    async with connect(app, headers={"Authorization": "Bearer good"}) as good:
        await good.get("/v1/jobs", params={"page": 2, "size": 3})
        await good.get("/v1/unknown")
    async with connect(app, headers={"Authorization": "Bearer bad"}) as bad:
        await bad.post("/v1/candidates", json={})
    async with connect(app, headers=None) as anonymous:
        await anonymous.get("/v1/tenant-webhook")
    assert app.state.emulator.request_log == [
        RecordedRequest(method="GET", path="/v1/jobs", query="page=2&size=3", api_key="good"),
        RecordedRequest(method="GET", path="/v1/unknown", query="", api_key="good"),
        RecordedRequest(method="POST", path="/v1/candidates", query="", api_key="bad"),
        RecordedRequest(method="GET", path="/v1/tenant-webhook", query="", api_key=None),
    ]


def test_recorded_requests_are_frozen() -> None:
    record = RecordedRequest(method="GET", path="/", query="", api_key=None)
    with pytest.raises(AttributeError):
        record.api_key = "changed"  # type: ignore[misc]


# ---- error shapes ---------------------------------------------------------------------------------


async def test_unknown_route_is_404_json(sandbox: httpx2.AsyncClient) -> None:
    response = await sandbox.get("/v1/interviews")
    assert response.status_code == 404
    assert response.json() == {"message": "Not Found"}


async def test_wrong_method_is_405_with_allowed_methods(sandbox: httpx2.AsyncClient) -> None:
    response = await sandbox.delete("/v1/jobs")
    assert response.status_code == 405
    assert "message" in response.json()
    assert {"GET", "POST"} <= {method.strip() for method in response.headers["allow"].split(",")}


@pytest.mark.parametrize("content", [b"", b"{not json", b"[1, 2]", b'"text"'])
async def test_body_that_is_not_a_json_object_is_400(sandbox: httpx2.AsyncClient, content: bytes) -> None:
    response = await sandbox.post("/v1/jobs", content=content, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert "JSON" in response.json()["message"]


# ---- paging -------------------------------------------------------------------------------------


@pytest.mark.parametrize("route", PAGED_ROUTES)
@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"size": 10}, "page"),
        ({"page": 1}, "size"),
        ({"page": 0, "size": 10}, "page"),
        ({"page": -1, "size": 10}, "page"),
        ({"page": "first", "size": 10}, "page"),
        ({"page": 1, "size": 0}, "size"),
        ({"page": 1, "size": 101}, "size"),
        ({"page": 1, "size": "ten"}, "size"),
    ],
)
async def test_bad_paging_is_400_naming_the_parameter(
    sandbox: httpx2.AsyncClient, route: str, params: dict[str, Any], named: str
) -> None:
    response = await sandbox.get(route, params=params)
    assert response.status_code == 400
    assert f"'{named}'" in response.json()["message"]


@pytest.mark.parametrize("route", PAGED_ROUTES)
async def test_pages_are_one_based_and_count_is_the_total(sandbox: httpx2.AsyncClient, route: str) -> None:
    everything = (await sandbox.get(route, params={"page": 1, "size": 100})).json()
    first = (await sandbox.get(route, params={"page": 1, "size": 4})).json()
    second = (await sandbox.get(route, params={"page": 2, "size": 4})).json()
    beyond = (await sandbox.get(route, params={"page": 999, "size": 4})).json()
    assert first["count"] == second["count"] == beyond["count"] == everything["count"] >= 6
    assert first["data"] == everything["data"][:4]
    assert second["data"] == everything["data"][4:8]
    assert beyond["data"] == []


@pytest.mark.parametrize(
    ("route", "name"),
    [
        ("/v1/applications", "job_id"),
        ("/v1/calls", "application_id"),
        ("/v1/calls", "job_id"),
        ("/v1/calls", "candidate_id"),
    ],
)
async def test_uuid_filter_that_is_not_a_uuid_is_400(sandbox: httpx2.AsyncClient, route: str, name: str) -> None:
    response = await sandbox.get(route, params={"page": 1, "size": 10, name: "JOB-1001"})
    assert response.status_code == 400
    assert f"'{name}'" in response.json()["message"]


# ---- jobs -----------------------------------------------------------------------------------------


async def test_job_list_filters_by_source_id(sandbox: httpx2.AsyncClient) -> None:
    response = await sandbox.get("/v1/jobs", params={"page": 1, "size": 10, "source_id": "JOB-1001"})
    body = response.json()
    assert body["count"] == 1
    assert body["data"][0]["source_id"] == "JOB-1001"
    assert body["data"][0]["title"] == "LLM Engineer"


async def test_created_job_has_every_documented_field(sandbox: httpx2.AsyncClient) -> None:
    response = await sandbox.post("/v1/jobs", json=new_job(unknown_field="ignored"))
    assert response.status_code == 201
    job = response.json()
    assert set(job) == {"id", *JOB_FIELDS, "created_at", "updated_at"}
    assert is_uuid(job["id"])
    assert job["title"] == "Platform Engineer"
    assert job["max_pay_rate"] == 170000.5
    assert job["zip_code"] is None and job["job_code"] is None
    assert job["created_at"].endswith("Z") and "T" in job["created_at"]
    assert (await sandbox.get(f"/v1/jobs/{job['id']}")).json() == job
    found = await sandbox.get("/v1/jobs", params={"page": 1, "size": 5, "source_id": "JOB-TEST-1"})
    assert found.json() == {"data": [job], "count": 1}
    assert (await sandbox.get(f"/v1/jobs/{job['id']}/scheduling")).json() == {
        "job_id": job["id"],
        "scheduling": False,
    }
    assert set((await sandbox.get(f"/v1/jobs/{job['id']}/schedule-setting")).json()) == SCHEDULE_FIELDS


async def test_new_job_missing_required_fields_names_them_all(sandbox: httpx2.AsyncClient) -> None:
    response = await sandbox.post("/v1/jobs", json={"title": "Only a title", "city": "Reno"})
    assert error_fields(response) == {
        "industry", "state_name", "country", "recruiter_name", "recruiter_email",
        "recruiter_work_phone_no", "status", "desc", "source_id",
    }  # fmt: skip


async def test_new_job_with_wrong_types_is_422(sandbox: httpx2.AsyncClient) -> None:
    body = new_job(title=42, min_pay_rate="40", max_pay_rate=True, city=["Seattle"])
    assert error_fields(await sandbox.post("/v1/jobs", json=body)) == {
        "title",
        "min_pay_rate",
        "max_pay_rate",
        "city",
    }


async def test_new_job_with_min_pay_above_max_is_422(sandbox: httpx2.AsyncClient) -> None:
    # The documentation's own example body does this (48.45 > 38.45); the API should refuse it.
    body = new_job(min_pay_rate=48.45, max_pay_rate=38.45)
    assert error_fields(await sandbox.post("/v1/jobs", json=body)) == {"min_pay_rate"}


async def test_new_job_with_a_taken_source_id_is_409(sandbox: httpx2.AsyncClient) -> None:
    response = await sandbox.post("/v1/jobs", json=new_job(source_id="JOB-1001"))
    assert response.status_code == 409
    assert "JOB-1001" in response.json()["message"]


async def test_unknown_job_is_404_naming_it(sandbox: httpx2.AsyncClient) -> None:
    missing = str(uuid.UUID(int=1))
    for path in ("", "/scheduling", "/schedule-setting", "/questions"):
        response = await sandbox.get(f"/v1/jobs/{missing}{path}")
        assert response.status_code == 404
        assert response.json() == {"message": f"Job {missing} not found"}


async def test_job_patch_changes_only_the_given_fields(sandbox: httpx2.AsyncClient, clock: Clock) -> None:
    before = await first_job(sandbox)
    clock.now += 90
    response = await sandbox.patch(f"/v1/jobs/{before['id']}", json={"title": "Staff LLM Engineer", "city": "Reno"})
    assert response.status_code == 200
    after = response.json()
    assert after["title"] == "Staff LLM Engineer"
    assert after["city"] == "Reno"
    assert after["updated_at"] != before["updated_at"]
    unchanged = {name: value for name, value in before.items() if name not in {"title", "city", "updated_at"}}
    assert {name: after[name] for name in unchanged} == unchanged


async def test_job_patch_requires_title_and_checks_pay_range(sandbox: httpx2.AsyncClient) -> None:
    job = await first_job(sandbox)
    assert error_fields(await sandbox.patch(f"/v1/jobs/{job['id']}", json={"city": "Reno"})) == {"title"}
    too_high = {"title": job["title"], "min_pay_rate": job["max_pay_rate"] + 1}
    assert error_fields(await sandbox.patch(f"/v1/jobs/{job['id']}", json=too_high)) == {"min_pay_rate"}


async def test_job_scheduling_switch(sandbox: httpx2.AsyncClient) -> None:
    job = await first_job(sandbox)
    path = f"/v1/jobs/{job['id']}/scheduling"
    for wanted in (False, True):
        response = await sandbox.patch(path, json={"scheduling": wanted})
        assert response.json() == {"job_id": job["id"], "scheduling": wanted}
        assert (await sandbox.get(path)).json() == {"job_id": job["id"], "scheduling": wanted}
    assert error_fields(await sandbox.patch(path, json={"scheduling": "yes"})) == {"scheduling"}
    assert error_fields(await sandbox.patch(path, json={})) == {"scheduling"}


async def test_seeded_schedule_setting_has_every_field(sandbox: httpx2.AsyncClient) -> None:
    job = await first_job(sandbox)
    setting = (await sandbox.get(f"/v1/jobs/{job['id']}/schedule-setting")).json()
    assert set(setting) == SCHEDULE_FIELDS
    assert setting["job_id"] == job["id"]
    assert setting["window_start_time"] == "08:00:00"
    assert setting["days_of_week"] == [1, 2, 3, 4, 5]


async def test_schedule_put_replaces_the_whole_setting(sandbox: httpx2.AsyncClient) -> None:
    job = await first_job(sandbox)
    path = f"/v1/jobs/{job['id']}/schedule-setting"
    before = (await sandbox.get(path)).json()
    body = {"window_start_time": "10:00:00", "window_end_time": "16:30:00", "days_of_week": [0, 6, 7]}
    response = await sandbox.put(path, json=body)
    assert response.status_code == 200
    setting = response.json()
    assert setting["id"] == before["id"]
    assert setting["window_start_time"] == "10:00:00"
    assert setting["days_of_week"] == [0, 6, 7]
    # Not given, so back to defaults rather than kept from before.
    assert before["sms_enabled"] is True and setting["sms_enabled"] is False
    assert before["name"] == "Default Schedule" and setting["name"] is None
    assert setting["daily_attempts"] == 3
    assert (await sandbox.get(path)).json() == setting


async def test_schedule_put_checks_every_field(sandbox: httpx2.AsyncClient) -> None:
    job = await first_job(sandbox)
    body = {
        "window_start_time": "8:00",
        "window_end_time": "24:00:00",
        "daily_attempts": 6,
        "total_attempts": -1,
        "retry_interval": 1.5,
        "days_of_week": [1, 8],
        "email_enabled": "yes",
        "sms_notify_minutes": True,
        "default": 1,
        "name": 7,
    }
    assert error_fields(await sandbox.put(f"/v1/jobs/{job['id']}/schedule-setting", json=body)) == set(body)
    missing = await sandbox.put(f"/v1/jobs/{job['id']}/schedule-setting", json={"daily_attempts": 1})
    assert error_fields(missing) == {"window_start_time", "window_end_time"}


# ---- candidates -----------------------------------------------------------------------------------


async def test_created_candidate_round_trips(sandbox: httpx2.AsyncClient) -> None:
    response = await sandbox.post("/v1/candidates", json=new_candidate(city="Dallas"))
    assert response.status_code == 201
    candidate = response.json()
    assert is_uuid(candidate["id"])
    assert candidate["city"] == "Dallas" and candidate["file"] is None and candidate["country"] is None
    assert (await sandbox.get(f"/v1/candidates/{candidate['id']}")).json() == candidate
    found = await sandbox.get("/v1/candidates", params={"page": 1, "size": 10, "source_id": "CAND-TEST-1"})
    assert found.json() == {"data": [candidate], "count": 1}


async def test_new_candidate_missing_required_fields_is_422(sandbox: httpx2.AsyncClient) -> None:
    response = await sandbox.post("/v1/candidates", json={"last_name": "Only"})
    assert error_fields(response) == {"first_name", "email", "phone_no", "source", "source_id"}


@pytest.mark.parametrize("email", ["robin", "robin@example", "robin@@example.com", "@example.com"])
async def test_candidate_email_must_look_like_one(sandbox: httpx2.AsyncClient, email: str) -> None:
    assert error_fields(await sandbox.post("/v1/candidates", json=new_candidate(email=email))) == {"email"}


@pytest.mark.parametrize("phone", ["12345", "+1234567890123456", "call me", "++12025550123", ""])
async def test_candidate_phone_needs_7_to_15_digits(sandbox: httpx2.AsyncClient, phone: str) -> None:
    assert error_fields(await sandbox.post("/v1/candidates", json=new_candidate(phone_no=phone))) == {"phone_no"}


@pytest.mark.parametrize("phone", ["+919803879562", "2025550123", "+1 (202) 555-0123", "5550123"])
async def test_candidate_phone_formats_that_are_accepted(sandbox: httpx2.AsyncClient, phone: str) -> None:
    assert (await sandbox.post("/v1/candidates", json=new_candidate(phone_no=phone))).status_code == 201


async def test_new_candidate_with_a_taken_source_id_is_409(sandbox: httpx2.AsyncClient) -> None:
    assert (await sandbox.post("/v1/candidates", json=new_candidate(source_id="CAND-2001"))).status_code == 409


async def test_candidate_patch(sandbox: httpx2.AsyncClient) -> None:
    candidate = (await sandbox.post("/v1/candidates", json=new_candidate(city="Dallas"))).json()
    path = f"/v1/candidates/{candidate['id']}"
    assert error_fields(await sandbox.patch(path, json={"first_name": "Rob"})) == {
        "email",
        "phone_no",
        "source",
        "source_id",
    }
    response = await sandbox.patch(path, json=new_candidate(first_name="Rob", status="ignored"))
    assert response.status_code == 200
    assert response.json()["first_name"] == "Rob"
    assert response.json()["city"] == "Dallas"  # not given, so kept
    taken = await sandbox.patch(path, json=new_candidate(source_id="CAND-2001"))
    assert taken.status_code == 409


async def test_unknown_candidate_is_404(sandbox: httpx2.AsyncClient) -> None:
    response = await sandbox.get("/v1/candidates/nope")
    assert response.status_code == 404
    assert response.json() == {"message": "Candidate nope not found"}
    assert (await sandbox.patch("/v1/candidates/nope", json=new_candidate())).status_code == 404


@pytest.mark.parametrize("url", ["https://[", "http://[::1", "ftp://example.com/hook", "https://"])
async def test_a_webhook_url_that_is_not_an_http_url_is_422_not_a_crash(sandbox: httpx2.AsyncClient, url: str) -> None:
    response = await sandbox.post("/v1/tenant-webhook", json={"url": url, "events": ["call_activity"]})
    assert response.status_code == 422, response.text
    assert "url" in response.text
