"""Sandbox emulator: seeded data, determinism, screening calls and the instant-call lifecycle."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import httpx2
import pytest
from starlette.applications import Starlette

from ninjahire_mcp.sandbox import SANDBOX_API_KEY, create_app

from ..support.clock import Clock

CALL_FIELDS = {
    "call_id", "application_id", "job_id", "candidate_id", "call_status", "ninjahire_intelligence",
    "call_direction", "recording_url", "call_score", "call_summary", "call_digest", "transcript",
    "questions_response", "created_at", "ended_at",
}  # fmt: skip
SUMMARY_CATEGORIES = {"communication", "technical_skills", "experience", "availability", "compensation"}
CALL_DURATION = 8.0


def connect(app: Starlette) -> httpx2.AsyncClient:
    return httpx2.AsyncClient(
        transport=httpx2.ASGITransport(app=app),
        base_url="http://sandbox",
        headers={"Authorization": f"Bearer {SANDBOX_API_KEY}"},
    )


@pytest.fixture
def clock() -> Clock:
    return Clock(50.0)


@pytest.fixture
async def sandbox(clock: Clock) -> AsyncIterator[httpx2.AsyncClient]:
    async with connect(create_app(clock=clock, call_duration=CALL_DURATION)) as client:
        yield client


async def get_all(sandbox: httpx2.AsyncClient, route: str, **filters: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        response = await sandbox.get(route, params={"page": page, "size": 100, **filters})
        assert response.status_code == 200, response.text
        items += response.json()["data"]
        if len(items) >= response.json()["count"]:
            return items
        page += 1


@pytest.fixture
async def seeded(sandbox: httpx2.AsyncClient) -> dict[str, list[dict[str, Any]]]:
    return {route: await get_all(sandbox, f"/v1/{route}") for route in ("jobs", "candidates", "applications", "calls")}


# ---- seeded data ----------------------------------------------------------------------------------


async def test_seed_has_the_promised_jobs(seeded: dict[str, list[dict[str, Any]]]) -> None:
    jobs = seeded["jobs"]
    assert len(jobs) >= 6
    titles = {job["title"] for job in jobs}
    assert {"LLM Engineer", "Senior Backend Engineer", "Data Scientist", "Registered Nurse"} <= titles
    assert len({job["industry"] for job in jobs}) >= 5
    assert len({job["city"] for job in jobs}) >= 5
    assert Counter(job["status"] for job in jobs).most_common(1)[0][0] == "Active"
    for job in jobs:
        assert job["min_pay_rate"] <= job["max_pay_rate"]
        assert re.fullmatch(r"JOB-\d{4}", job["source_id"])
        assert job["recruiter_email"].endswith(("@example.com", "@example.org"))


async def test_seed_has_the_promised_candidates(seeded: dict[str, list[dict[str, Any]]]) -> None:
    candidates = seeded["candidates"]
    assert len(candidates) >= 60
    assert "Dana" in {candidate["first_name"] for candidate in candidates}
    assert len({candidate["first_name"] for candidate in candidates}) >= 40
    assert len({candidate["last_name"] for candidate in candidates}) >= 40
    assert len({candidate["email"] for candidate in candidates}) == len(candidates)
    for candidate in candidates:
        assert re.fullmatch(r"CAND-\d{4}", candidate["source_id"])
        assert candidate["email"].endswith(("@example.com", "@example.org"))
        # 555-0100 to 555-0199: the range reserved for fiction.
        assert re.fullmatch(r"\+1\d{3}55501\d\d", candidate["phone_no"]), candidate["phone_no"]


async def test_seed_has_questions_for_every_job(sandbox: httpx2.AsyncClient, seeded: dict[str, Any]) -> None:
    source_ids = []
    for job in seeded["jobs"]:
        questions = (await sandbox.get(f"/v1/jobs/{job['id']}/questions")).json()["data"]
        assert 4 <= len(questions) <= 6
        source_ids += [question["source_id"] for question in questions]
    assert all(re.fullmatch(r"Q-\d+", source_id) for source_id in source_ids)
    assert len(set(source_ids)) == len(source_ids)


async def test_seed_screening_covers_every_outcome(seeded: dict[str, list[dict[str, Any]]]) -> None:
    applications, calls = seeded["applications"], seeded["calls"]
    assert len(applications) >= 120
    assert len({application["job_id"] for application in applications}) == len(seeded["jobs"])
    statuses = Counter(application["screening_status"] for application in applications)
    assert statuses["completed"] >= 0.6 * len(applications)
    assert statuses["pending"] >= 3 and statuses["failed"] >= 1
    called = {call["application_id"] for call in calls}
    assert len(called) >= 0.75 * len(applications)
    assert Counter(call["call_status"] for call in calls).keys() == {"call_completed", "call_failed"}
    completed = [call for call in calls if call["call_status"] == "call_completed"]
    scores = [call["call_score"] for call in completed]
    assert min(scores) < 25 and max(scores) > 85
    assert {call["ninjahire_intelligence"] for call in completed} == {
        "call_success",
        "call_inconclusive",
        "call_failed",
    }
    assert {call["call_direction"] for call in calls} == {"outgoing", "incoming"}


async def test_some_applications_were_retried_after_an_unanswered_call(seeded: dict[str, Any]) -> None:
    by_application: dict[str, list[dict[str, Any]]] = {}
    for call in reversed(seeded["calls"]):  # oldest first
        by_application.setdefault(call["application_id"], []).append(call)
    retried = [calls for calls in by_application.values() if len(calls) == 2]
    assert len(retried) >= 3
    for first, second in retried:
        assert first["call_status"] == "call_failed" and second["call_status"] == "call_completed"
        assert first["ended_at"] <= second["created_at"]
    statuses = {app["id"]: app["screening_status"] for app in seeded["applications"]}
    assert {statuses[calls[0]["application_id"]] for calls in retried} == {"completed"}


async def test_dana_was_screened_for_llm_engineer(sandbox: httpx2.AsyncClient, seeded: dict[str, Any]) -> None:
    dana = next(candidate for candidate in seeded["candidates"] if candidate["first_name"] == "Dana")
    llm = next(job for job in seeded["jobs"] if job["title"] == "LLM Engineer")
    applications = await get_all(sandbox, "/v1/applications", candidate_source_id=dana["source_id"])
    application = next(app for app in applications if app["job_id"] == llm["id"])
    assert application["screening_status"] == "completed"
    calls = await get_all(sandbox, "/v1/calls", application_id=application["id"])
    assert calls[0]["call_status"] == "call_completed"
    assert "Dana" in calls[0]["transcript"] and "LLM Engineer" in calls[0]["call_digest"]


async def test_completed_calls_tell_one_consistent_story(seeded: dict[str, Any]) -> None:
    for call in seeded["calls"]:
        assert set(call) == CALL_FIELDS
        if call["call_status"] != "call_completed":
            continue
        assert call["recording_url"].startswith("https://")
        assert isinstance(call["call_score"], int) and 0 <= call["call_score"] <= 100
        assert set(call["call_summary"]) == SUMMARY_CATEGORIES
        assert all(0 <= part["score"] <= 100 and part["summary"] for part in call["call_summary"].values())
        assert f"{call['call_score']}/100" in call["call_digest"]
        lines = call["transcript"].split("\n")
        assert len(lines) >= 20
        assert all(line.startswith(("BOT: ", "HUMAN: ")) for line in lines)
        answers = json.loads(call["questions_response"])
        assert 4 <= len(answers) <= 6
        for answer in answers:
            assert set(answer) == {"question", "response", "score"}
            assert 0 <= answer["score"] <= 10
            asked = lines.index(next(line for line in lines if line.endswith(answer["question"])))
            assert lines[asked].startswith("BOT: ")
            assert lines[asked + 1] == f"HUMAN: {answer['response']}"
        assert call["created_at"] < call["ended_at"]


async def test_answer_quality_follows_the_score(seeded: dict[str, Any]) -> None:
    completed = [call for call in seeded["calls"] if call["call_status"] == "call_completed"]
    best = max(completed, key=lambda call: call["call_score"])
    worst = min(completed, key=lambda call: call["call_score"])
    mean_answer = {
        call["call_id"]: sum(a["score"] for a in json.loads(call["questions_response"]))
        / len(json.loads(call["questions_response"]))
        for call in (best, worst)
    }
    assert mean_answer[best["call_id"]] >= 7 > 4 >= mean_answer[worst["call_id"]]
    assert best["ninjahire_intelligence"] == "call_success"
    assert worst["ninjahire_intelligence"] == "call_failed"


async def test_unanswered_calls_have_no_content(seeded: dict[str, Any]) -> None:
    failed = [call for call in seeded["calls"] if call["call_status"] == "call_failed"]
    assert failed
    for call in failed:
        assert call["ninjahire_intelligence"] == "call_failed"
        assert call["recording_url"] is None and call["call_score"] is None
        assert call["call_summary"] == {} and call["call_digest"] == "" and call["transcript"] == ""
        assert call["questions_response"] == "[]"
        assert call["ended_at"] is not None


# ---- determinism ----------------------------------------------------------------------------------


async def dump(app: Starlette) -> dict[str, Any]:
    async with connect(app) as client:
        return {
            "jobs": await get_all(client, "/v1/jobs"),
            "calls": await get_all(client, "/v1/calls"),
            "candidates": await get_all(client, "/v1/candidates"),
            "applications": await get_all(client, "/v1/applications"),
            "webhooks": (await client.get("/v1/tenant-webhook")).json(),
        }


async def test_same_seed_gives_identical_data() -> None:
    first = await dump(create_app(seed=11))
    second = await dump(create_app(seed=11, clock=Clock(50.0)))
    assert first == second


async def test_other_seed_gives_other_data() -> None:
    default, other = await dump(create_app()), await dump(create_app(seed=8))
    assert {job["id"] for job in default["jobs"]}.isdisjoint(job["id"] for job in other["jobs"])
    assert [job["title"] for job in default["jobs"]] == [job["title"] for job in other["jobs"]]
    assert default["candidates"] != other["candidates"]


# ---- call listing and details ---------------------------------------------------------------------


async def test_calls_are_listed_newest_first(seeded: dict[str, Any]) -> None:
    created = [call["created_at"] for call in seeded["calls"]]
    assert created == sorted(created, reverse=True)


@pytest.mark.parametrize(
    ("query", "field", "source"),
    [
        ("application_id", "application_id", "call"),
        ("job_id", "job_id", "call"),
        ("candidate_id", "candidate_id", "call"),
        ("application_source_id", "source_id", "application"),
        ("job_source_id", "job_source_id", "application"),
        ("candidate_source_id", "candidate_source_id", "application"),
    ],
)
async def test_call_filters(
    sandbox: httpx2.AsyncClient, seeded: dict[str, Any], query: str, field: str, source: str
) -> None:
    applications = {application["id"]: application for application in seeded["applications"]}
    sample = seeded["calls"][3]
    wanted = sample[field] if source == "call" else applications[sample["application_id"]][field]

    def matches(call: dict[str, Any]) -> bool:
        value = call[field] if source == "call" else applications[call["application_id"]][field]
        return value == wanted

    filtered = await get_all(sandbox, "/v1/calls", **{query: wanted})
    assert filtered == [call for call in seeded["calls"] if matches(call)]
    assert sample in filtered


async def test_call_detail_matches_the_listing(sandbox: httpx2.AsyncClient, seeded: dict[str, Any]) -> None:
    call = seeded["calls"][0]
    assert (await sandbox.get(f"/v1/calls/{call['call_id']}")).json() == call
    missing = await sandbox.get("/v1/calls/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404
    assert missing.json() == {"message": "Call 00000000-0000-4000-8000-000000000000 not found"}


# ---- instant calls --------------------------------------------------------------------------------


async def pending_applications(sandbox: httpx2.AsyncClient) -> list[dict[str, Any]]:
    applications = await get_all(sandbox, "/v1/applications")
    return [application for application in applications if application["screening_status"] == "pending"]


async def screening_status(sandbox: httpx2.AsyncClient, application_id: str) -> str:
    return (await sandbox.get(f"/v1/applications/{application_id}")).json()["screening_status"]


async def test_instant_call_lifecycle(sandbox: httpx2.AsyncClient, clock: Clock) -> None:
    application = (await pending_applications(sandbox))[0]
    started = await sandbox.post(f"/v1/applications/{application['id']}/instant-call")
    assert started.status_code == 200
    assert started.json()["status"] == "initiated"
    call_id = started.json()["call_id"]

    call = (await sandbox.get(f"/v1/calls/{call_id}")).json()
    assert call["call_status"] == "call_in_progress"
    assert call["ninjahire_intelligence"] == "call_inconclusive"
    assert call["application_id"] == application["id"] and call["job_id"] == application["job_id"]
    assert call["candidate_id"] == application["candidate_id"] and call["call_direction"] == "outgoing"
    assert call["call_score"] is None and call["recording_url"] is None and call["ended_at"] is None
    assert call["transcript"] == "" and call["call_summary"] == {} and call["questions_response"] == "[]"
    assert await screening_status(sandbox, application["id"]) == "in_progress"
    newest = (await sandbox.get("/v1/calls", params={"page": 1, "size": 1})).json()["data"][0]
    assert newest["call_id"] == call_id

    again = await sandbox.post(f"/v1/applications/{application['id']}/instant-call")
    assert again.status_code == 409

    clock.now += CALL_DURATION - 0.5
    assert (await sandbox.get(f"/v1/calls/{call_id}")).json()["call_status"] == "call_in_progress"
    clock.now += 0.5
    finished = (await sandbox.get(f"/v1/calls/{call_id}")).json()
    assert finished["call_status"] in {"call_completed", "call_failed"}
    assert finished["ended_at"] > finished["created_at"]
    expected_status = "completed" if finished["call_status"] == "call_completed" else "failed"
    assert await screening_status(sandbox, application["id"]) == expected_status
    retry = await sandbox.post(f"/v1/applications/{application['id']}/instant-call")
    assert retry.status_code == 200 and retry.json()["call_id"] != call_id


async def test_instant_calls_end_completed_or_unanswered(sandbox: httpx2.AsyncClient, clock: Clock) -> None:
    pending = await pending_applications(sandbox)
    call_ids = {}
    for application in pending:
        response = await sandbox.post(f"/v1/applications/{application['id']}/instant-call")
        call_ids[application["id"]] = response.json()["call_id"]
    clock.now += CALL_DURATION
    outcomes: Counter[str] = Counter()
    for application in pending:
        call = (await sandbox.get(f"/v1/calls/{call_ids[application['id']]}")).json()
        outcomes[call["call_status"]] += 1
        status = await screening_status(sandbox, application["id"])
        if call["call_status"] == "call_completed":
            assert status == "completed"
            assert call["transcript"].startswith("BOT: ") and isinstance(call["call_score"], int)
            job_questions = (await sandbox.get(f"/v1/jobs/{application['job_id']}/questions")).json()["data"]
            asked = [answer["question"] for answer in json.loads(call["questions_response"])]
            assert asked == [question["question_text"] for question in job_questions]
        else:
            assert status == "failed"
            assert call["call_score"] is None and call["ninjahire_intelligence"] == "call_failed"
    assert outcomes["call_completed"] > outcomes["call_failed"] > 0


async def test_instant_call_asks_the_applications_own_questions(sandbox: httpx2.AsyncClient, clock: Clock) -> None:
    for application in await pending_applications(sandbox):
        body = {
            "question_text": "Can you work from our Austin office?",
            "source_id": "Q-OWN",
            "application_id": application["id"],
        }
        await sandbox.post(f"/v1/jobs/{application['job_id']}/questions", json=body)
        call_id = (await sandbox.post(f"/v1/applications/{application['id']}/instant-call")).json()["call_id"]
        clock.now += CALL_DURATION
        call = (await sandbox.get(f"/v1/calls/{call_id}")).json()
        if call["call_status"] == "call_completed":
            asked = [answer["question"] for answer in json.loads(call["questions_response"])]
            assert asked[-1] == "Can you work from our Austin office?"
            assert "BOT: " in call["transcript"] and "Austin office" in call["transcript"]
            return
    raise AssertionError("no instant call was answered")


async def test_instant_call_outcome_is_deterministic_per_application() -> None:
    results = []
    for _ in range(2):
        clock = Clock(50.0)
        async with connect(create_app(clock=clock, call_duration=1.0)) as client:
            application = (await pending_applications(client))[2]
            call_id = (await client.post(f"/v1/applications/{application['id']}/instant-call")).json()["call_id"]
            clock.now += 1.0
            results.append((await client.get(f"/v1/calls/{call_id}")).json())
    assert results[0] == results[1]


async def test_instant_call_for_unknown_application_is_404(sandbox: httpx2.AsyncClient) -> None:
    response = await sandbox.post("/v1/applications/nope/instant-call")
    assert response.status_code == 404
    assert response.json() == {"message": "Application nope not found"}
