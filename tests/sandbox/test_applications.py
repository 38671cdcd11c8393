"""Sandbox emulator: applications, screening questions and tenant webhooks."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from typing import Any

import httpx2
import pytest

from ninjahire_mcp.sandbox import SANDBOX_API_KEY, create_app

APPLICATION_FIELDS = {
    "id", "candidate_id", "job_id", "candidate_source_id", "job_source_id", "source_id",
    "source_application_status", "application_stage", "screening_status", "created_at", "updated_at",
}  # fmt: skip
QUESTION_FIELDS = {"id", "job_id", "application_id", "question_text", "source_id", "created_at", "updated_at"}
WEBHOOK_FIELDS = {
    "id", "tenant_id", "triggered_event", "type", "fields", "url", "http_method", "content_type", "secret",
    "is_active", "is_deleted", "created_at", "updated_at",
}  # fmt: skip
SCREENING_STATUSES = {"pending", "in_progress", "completed", "failed"}


@pytest.fixture
async def sandbox() -> AsyncIterator[httpx2.AsyncClient]:
    async with httpx2.AsyncClient(
        transport=httpx2.ASGITransport(app=create_app()),
        base_url="http://sandbox",
        headers={"Authorization": f"Bearer {SANDBOX_API_KEY}"},
    ) as client:
        yield client


async def get_all(sandbox: httpx2.AsyncClient, route: str, **filters: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        body = (await sandbox.get(route, params={"page": page, "size": 100, **filters})).json()
        items += body["data"]
        if len(items) >= body["count"]:
            return items
        page += 1


async def job_by_title(sandbox: httpx2.AsyncClient, title: str) -> dict[str, Any]:
    return next(job for job in await get_all(sandbox, "/v1/jobs") if job["title"] == title)


async def unapplied_pair(sandbox: httpx2.AsyncClient) -> tuple[dict[str, Any], dict[str, Any]]:
    """A seeded candidate and a seeded job they have not applied to."""
    applications = await get_all(sandbox, "/v1/applications")
    applied = {(app["candidate_id"], app["job_id"]) for app in applications}
    jobs = await get_all(sandbox, "/v1/jobs")
    for candidate in await get_all(sandbox, "/v1/candidates"):
        for job in jobs:
            if (candidate["id"], job["id"]) not in applied:
                return candidate, job
    raise AssertionError("every candidate applied to every job")


def application_body(candidate: dict[str, Any], job: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    body = {
        "candidate_source_id": candidate["source_id"],
        "job_source_id": job["source_id"],
        "source_application_status": "Applied",
        "application_stage": "active",
    }
    return {**body, **overrides}


def error_fields(response: httpx2.Response) -> set[str]:
    assert response.status_code == 422, response.text
    return {error["field"] for error in response.json()["errors"]}


# ---- applications ---------------------------------------------------------------------------------


async def test_seeded_applications_have_the_documented_shape(sandbox: httpx2.AsyncClient) -> None:
    applications = await get_all(sandbox, "/v1/applications")
    assert len(applications) >= 120
    for application in applications:
        assert set(application) >= APPLICATION_FIELDS
        assert application["application_stage"] in {"ACTIVE", "PASSIVE"}
        assert application["screening_status"] in SCREENING_STATUSES
        assert application["source_id"].startswith("APP-")


@pytest.mark.parametrize("name", ["source_id", "job_source_id", "candidate_source_id", "job_id"])
async def test_application_filters(sandbox: httpx2.AsyncClient, name: str) -> None:
    everything = await get_all(sandbox, "/v1/applications")
    wanted = everything[7][name]
    filtered = await get_all(sandbox, "/v1/applications", **{name: wanted})
    assert filtered == [application for application in everything if application[name] == wanted]
    assert 0 < len(filtered) < len(everything)


async def test_new_application(sandbox: httpx2.AsyncClient) -> None:
    candidate, job = await unapplied_pair(sandbox)
    body = application_body(candidate, job, candidate_id=candidate["id"], job_id=job["id"].upper())
    response = await sandbox.post("/v1/applications", json=body)
    assert response.status_code == 201
    application = response.json()
    assert set(application) >= APPLICATION_FIELDS
    assert application["candidate_id"] == candidate["id"] and application["job_id"] == job["id"]
    assert application["application_stage"] == "ACTIVE"
    assert application["screening_status"] == "pending"
    assert application["source_id"] is None
    listed = await get_all(sandbox, "/v1/applications", job_id=job["id"])
    assert application["id"] in {item["id"] for item in listed}


async def test_applying_twice_to_the_same_job_is_409(sandbox: httpx2.AsyncClient) -> None:
    candidate, job = await unapplied_pair(sandbox)
    assert (await sandbox.post("/v1/applications", json=application_body(candidate, job))).status_code == 201
    again = await sandbox.post("/v1/applications", json=application_body(candidate, job, application_stage="PASSIVE"))
    assert again.status_code == 409


async def test_application_for_unknown_candidate_or_job_is_404(sandbox: httpx2.AsyncClient) -> None:
    candidate, job = await unapplied_pair(sandbox)
    no_candidate = await sandbox.post("/v1/applications", json=application_body({"source_id": "CAND-0"}, job))
    assert no_candidate.status_code == 404
    assert "CAND-0" in no_candidate.json()["message"]
    no_job = await sandbox.post("/v1/applications", json=application_body(candidate, {"source_id": "JOB-0"}))
    assert no_job.status_code == 404


async def test_application_ids_must_agree_with_source_ids(sandbox: httpx2.AsyncClient) -> None:
    candidate, job = await unapplied_pair(sandbox)
    other_job = next(j for j in await get_all(sandbox, "/v1/jobs") if j["id"] != job["id"])
    body = application_body(candidate, job, candidate_id=job["id"], job_id=other_job["id"])
    assert error_fields(await sandbox.post("/v1/applications", json=body)) == {"candidate_id", "job_id"}


async def test_new_application_field_checks(sandbox: httpx2.AsyncClient) -> None:
    assert error_fields(await sandbox.post("/v1/applications", json={})) == {
        "candidate_source_id",
        "job_source_id",
        "source_application_status",
        "application_stage",
    }
    candidate, job = await unapplied_pair(sandbox)
    body = application_body(
        candidate, job, application_stage="archived", candidate_id="42", base64file="not base64!", file=3
    )
    assert error_fields(await sandbox.post("/v1/applications", json=body)) == {
        "application_stage",
        "candidate_id",
        "base64file",
        "file",
    }


async def test_application_with_a_base64_resume(sandbox: httpx2.AsyncClient) -> None:
    candidate, job = await unapplied_pair(sandbox)
    resume = base64.b64encode(b"%PDF-1.7 fictional resume").decode()
    response = await sandbox.post("/v1/applications", json=application_body(candidate, job, base64file=resume))
    assert response.status_code == 201
    assert response.json()["file"].startswith("https://")


async def test_application_detail_includes_candidate_and_job(sandbox: httpx2.AsyncClient) -> None:
    application = (await sandbox.get("/v1/applications", params={"page": 1, "size": 1})).json()["data"][0]
    detail = (await sandbox.get(f"/v1/applications/{application['id']}")).json()
    assert {name: detail[name] for name in application} == application
    candidate = (await sandbox.get(f"/v1/candidates/{application['candidate_id']}")).json()
    assert detail["candidate"] == candidate
    assert set(detail["job"]) == {"id", "title", "source_id", "status", "city", "state_name", "country"}
    assert detail["job"]["id"] == application["job_id"]


async def test_application_patch(sandbox: httpx2.AsyncClient) -> None:
    application = (await sandbox.get("/v1/applications", params={"page": 1, "size": 1})).json()["data"][0]
    path = f"/v1/applications/{application['id']}"
    assert error_fields(await sandbox.patch(path, json={"file": "cv.pdf"})) == {
        "source_application_status",
        "application_stage",
    }
    response = await sandbox.patch(path, json={"source_application_status": "hired", "application_stage": "passive"})
    assert response.status_code == 200
    assert response.json()["source_application_status"] == "hired"
    assert response.json()["application_stage"] == "PASSIVE"
    assert response.json()["candidate_id"] == application["candidate_id"]


async def test_unknown_application_is_404(sandbox: httpx2.AsyncClient) -> None:
    response = await sandbox.get("/v1/applications/with-nothing")
    assert response.json() == {"message": "Application with-nothing not found"}
    body = {"source_application_status": "hired", "application_stage": "ACTIVE"}
    assert (await sandbox.patch("/v1/applications/nope", json=body)).status_code == 404


async def test_application_with_questions(sandbox: httpx2.AsyncClient) -> None:
    candidate, job = await unapplied_pair(sandbox)
    questions = [
        {"question_text": "What is your experience with JavaScript?", "source_id": "q1"},
        {"question_text": "Describe your previous project experience.", "source_id": "q2"},
    ]
    body = application_body(candidate, job, questions=questions)
    response = await sandbox.post("/v1/applications/with-questions", json=body)
    assert response.status_code == 201
    application = response.json()
    assert set(application) >= APPLICATION_FIELDS
    assert [(q["question_text"], q["source_id"]) for q in application["questions"]] == [
        (q["question_text"], q["source_id"]) for q in questions
    ]
    for question in application["questions"]:
        assert set(question) == QUESTION_FIELDS
        assert question["application_id"] == application["id"] and question["job_id"] == job["id"]
    job_questions = (await sandbox.get(f"/v1/jobs/{job['id']}/questions")).json()["data"]
    assert {q["id"] for q in application["questions"]} <= {q["id"] for q in job_questions}


async def test_application_with_bad_questions_creates_nothing(sandbox: httpx2.AsyncClient) -> None:
    candidate, job = await unapplied_pair(sandbox)
    before = (await sandbox.get("/v1/applications", params={"page": 1, "size": 1})).json()["count"]
    questions = [{"question_text": "Fine?", "source_id": "q1"}, {"question_text": ""}, "text"]
    response = await sandbox.post(
        "/v1/applications/with-questions", json=application_body(candidate, job, questions=questions)
    )
    assert error_fields(response) == {"questions[1].question_text", "questions[1].source_id", "questions[2]"}
    not_a_list = application_body(candidate, job, questions={"question_text": "x"})
    assert error_fields(await sandbox.post("/v1/applications/with-questions", json=not_a_list)) == {"questions"}
    assert (await sandbox.get("/v1/applications", params={"page": 1, "size": 1})).json()["count"] == before


# ---- questions ------------------------------------------------------------------------------------


async def test_job_questions_list(sandbox: httpx2.AsyncClient) -> None:
    job = await job_by_title(sandbox, "LLM Engineer")
    body = (await sandbox.get(f"/v1/jobs/{job['id']}/questions")).json()
    assert body["count"] == len(body["data"]) == 5
    assert all(set(question) == QUESTION_FIELDS for question in body["data"])
    assert all(question["application_id"] is None for question in body["data"])


async def test_add_question_to_job_and_to_one_of_its_applications(sandbox: httpx2.AsyncClient) -> None:
    job = await job_by_title(sandbox, "Data Scientist")
    path = f"/v1/jobs/{job['id']}/questions"
    response = await sandbox.post(path, json={"question_text": "Do you know dbt?", "source_id": "Q-DBT"})
    assert response.status_code == 201
    assert response.json()["application_id"] is None and response.json()["job_id"] == job["id"]
    application = (await get_all(sandbox, "/v1/applications", job_id=job["id"]))[0]
    tied = {"question_text": "Still interested?", "source_id": "Q-X", "application_id": application["id"]}
    assert (await sandbox.post(path, json=tied)).json()["application_id"] == application["id"]
    listed = (await sandbox.get(path)).json()["data"]
    assert {"Do you know dbt?", "Still interested?"} <= {q["question_text"] for q in listed}


async def test_question_for_an_application_of_another_job_is_422(sandbox: httpx2.AsyncClient) -> None:
    job = await job_by_title(sandbox, "Data Scientist")
    elsewhere = next(a for a in await get_all(sandbox, "/v1/applications") if a["job_id"] != job["id"])
    body = {"question_text": "Q?", "source_id": "Q-1", "application_id": elsewhere["id"]}
    assert error_fields(await sandbox.post(f"/v1/jobs/{job['id']}/questions", json=body)) == {"application_id"}
    assert error_fields(await sandbox.post(f"/v1/jobs/{job['id']}/questions", json={})) == {
        "question_text",
        "source_id",
    }


async def test_question_patch(sandbox: httpx2.AsyncClient) -> None:
    job = await job_by_title(sandbox, "Registered Nurse")
    question = (await sandbox.get(f"/v1/jobs/{job['id']}/questions")).json()["data"][0]
    path = f"/v1/jobs/{job['id']}/questions/{question['id']}"
    body = {"question_text": "Is your Colorado RN license active?", "source_id": "Q-RN-1"}
    missing_query = await sandbox.patch(path, json=body)
    assert missing_query.status_code == 400
    assert "'source_id'" in missing_query.json()["message"]
    response = await sandbox.patch(path, params={"source_id": question["source_id"]}, json=body)
    assert response.status_code == 200
    assert response.json()["question_text"] == body["question_text"]
    assert response.json()["source_id"] == "Q-RN-1"
    assert response.json()["id"] == question["id"]
    bad_body = await sandbox.patch(path, params={"source_id": "Q-RN-1"}, json={"question_text": 5})
    assert error_fields(bad_body) == {"question_text", "source_id"}


async def test_question_of_another_job_is_404(sandbox: httpx2.AsyncClient) -> None:
    nurse = await job_by_title(sandbox, "Registered Nurse")
    llm = await job_by_title(sandbox, "LLM Engineer")
    question = (await sandbox.get(f"/v1/jobs/{nurse['id']}/questions")).json()["data"][0]
    body = {"question_text": "x", "source_id": "y"}
    wrong_job = await sandbox.patch(
        f"/v1/jobs/{llm['id']}/questions/{question['id']}", params={"source_id": "y"}, json=body
    )
    assert wrong_job.status_code == 404
    assert wrong_job.json() == {"message": f"Question {question['id']} not found"}
    assert (await sandbox.delete(f"/v1/jobs/{llm['id']}/questions/{question['id']}")).status_code == 404


async def test_delete_question_is_204_with_an_empty_body(sandbox: httpx2.AsyncClient) -> None:
    job = await job_by_title(sandbox, "Senior Backend Engineer")
    path = f"/v1/jobs/{job['id']}/questions"
    questions = (await sandbox.get(path)).json()["data"]
    response = await sandbox.delete(f"{path}/{questions[0]['id']}")
    assert response.status_code == 204
    assert response.content == b""
    after = (await sandbox.get(path)).json()
    assert after["count"] == len(questions) - 1
    assert questions[0]["id"] not in {q["id"] for q in after["data"]}
    assert (await sandbox.delete(f"{path}/{questions[0]['id']}")).status_code == 404


async def test_generated_questions_are_added_and_deterministic(sandbox: httpx2.AsyncClient) -> None:
    job = await job_by_title(sandbox, "LLM Engineer")
    response = await sandbox.post(f"/v1/jobs/{job['id']}/questions/generate")
    assert response.status_code == 201
    generated = response.json()
    assert generated["count"] == len(generated["data"]) == 5
    texts = [question["question_text"] for question in generated["data"]]
    assert len(set(texts)) == 5
    assert any("LLM Engineer" in text for text in texts)
    assert any("Python" in text or "LangGraph" in text for text in texts)
    assert all(question["job_id"] == job["id"] and question["source_id"] for question in generated["data"])
    assert (await sandbox.get(f"/v1/jobs/{job['id']}/questions")).json()["count"] == 10
    async with httpx2.AsyncClient(
        transport=httpx2.ASGITransport(app=create_app()),
        base_url="http://sandbox",
        headers={"Authorization": "Bearer other"},
    ) as other:
        again = (await other.post(f"/v1/jobs/{job['id']}/questions/generate")).json()
    assert [question["question_text"] for question in again["data"]] == texts
    assert (await sandbox.post("/v1/jobs/nope/questions/generate")).status_code == 404


# ---- tenant webhooks ------------------------------------------------------------------------------


def webhook_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "tenant_id": "550e8400-e29b-41d4-a716-446655440000",
        "triggered_event": "application_activty",
        "type": "post_call_screening",
        "fields": ["id", "status", "candidate_id", "job_id"],
        "url": "https://api.example.com/webhooks/tenant",
        "http_method": "POST",
        "content_type": "application/json",
        "secret": "whsec_1234567890abcdef",
    }
    return {**body, **overrides}


async def test_seeded_webhook(sandbox: httpx2.AsyncClient) -> None:
    body = (await sandbox.get("/v1/tenant-webhook")).json()
    assert body["count"] == 1
    webhook = body["data"][0]
    assert set(webhook) == WEBHOOK_FIELDS
    assert webhook["triggered_event"] == "call_activity"
    assert webhook["is_active"] is True and webhook["is_deleted"] is False


async def test_webhook_create_then_update_by_tenant_and_event(sandbox: httpx2.AsyncClient) -> None:
    created = await sandbox.post("/v1/tenant-webhook", json=webhook_body())
    assert created.status_code == 201
    assert set(created.json()) == WEBHOOK_FIELDS
    assert created.json()["is_active"] is True
    assert created.json()["triggered_event"] == "application_activty"
    updated = await sandbox.post(
        "/v1/tenant-webhook",
        json=webhook_body(url="http://hooks.example.org/x", is_active=False, http_method="PUT"),
    )
    assert updated.status_code == 200
    assert updated.json()["id"] == created.json()["id"]
    assert updated.json()["url"] == "http://hooks.example.org/x" and updated.json()["is_active"] is False
    other_event = await sandbox.post("/v1/tenant-webhook", json=webhook_body(triggered_event="call_activity"))
    assert other_event.status_code == 201
    assert (await sandbox.get("/v1/tenant-webhook")).json()["count"] == 3


async def test_webhook_event_must_use_the_apis_own_spelling(sandbox: httpx2.AsyncClient) -> None:
    response = await sandbox.post("/v1/tenant-webhook", json=webhook_body(triggered_event="application_activity"))
    assert error_fields(response) == {"triggered_event"}
    assert "application_activty" in response.json()["errors"][0]["message"]


async def test_webhook_field_checks(sandbox: httpx2.AsyncClient) -> None:
    body = webhook_body(
        tenant_id=5,
        type="pre_call",
        fields=[],
        url="ftp://example.com/hook",
        http_method="GET",
        content_type="text/plain",
        secret=123,
        is_active="yes",
    )
    assert error_fields(await sandbox.post("/v1/tenant-webhook", json=body)) == {
        "tenant_id", "type", "fields", "url", "http_method", "content_type", "secret", "is_active",
    }  # fmt: skip
    assert error_fields(await sandbox.post("/v1/tenant-webhook", json=webhook_body(fields=["id", 3]))) == {"fields"}
    assert error_fields(await sandbox.post("/v1/tenant-webhook", json={})) == {
        "tenant_id", "triggered_event", "type", "fields", "url", "http_method", "content_type",
    }  # fmt: skip


async def test_webhook_unsubscribe_and_subscribe(sandbox: httpx2.AsyncClient) -> None:
    webhook = (await sandbox.get("/v1/tenant-webhook")).json()["data"][0]
    unsubscribed = await sandbox.post(f"/v1/tenant-webhook/unsubscribe/{webhook['id']}")
    assert unsubscribed.status_code == 200
    assert unsubscribed.json()["is_deleted"] is True
    assert (await sandbox.get("/v1/tenant-webhook")).json()["data"][0]["is_deleted"] is True
    subscribed = await sandbox.post(f"/v1/tenant-webhook/subscribe/{webhook['id']}")
    assert subscribed.status_code == 200
    assert subscribed.json()["is_deleted"] is False
    for action in ("subscribe", "unsubscribe"):
        missing = await sandbox.post(f"/v1/tenant-webhook/{action}/nope")
        assert missing.status_code == 404
        assert missing.json() == {"message": "Tenant webhook nope not found"}
