"""Every tool's happy path through the MCP client, in both protocol eras, against the embedded sandbox."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx2
import pytest
from mcp import Client

from ninjahire_mcp.config import ALL_TOOLSETS, Settings
from ninjahire_mcp.sandbox import create_app
from ninjahire_mcp.server import build_server
from ninjahire_mcp.views import SECRET_MASK

from ..support.api import Connect, call, records
from ..support.clock import Clock
from ..support.sandbox import llm_job


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=["auto", "legacy"])
def connect(request: pytest.FixtureRequest, clock: Clock) -> Connect:
    """Opens a client on a fresh sandbox. (Not a yield fixture: a client's task scope must open and
    close in the test's own task.)"""

    @asynccontextmanager
    async def connected() -> AsyncIterator[Client]:
        emulator = httpx2.ASGITransport(app=create_app(call_duration=60, clock=clock))
        async with Client(
            build_server(Settings(sandbox=True, toolsets=frozenset(ALL_TOOLSETS)), transport=emulator),
            mode=request.param,
        ) as client:
            yield client

    return connected


async def confirmed(client: Client, tool: str, **arguments: Any) -> Any:
    """A gated tool as an agent uses it: the preview first, then the same call with its token."""
    preview = await call(client, tool, **arguments)
    assert preview["status"] == "confirmation_required", preview
    return await call(client, tool, **arguments, confirm_token=preview["confirm_token"])


JOB = {
    "title": "Staff Prompt Engineer",
    "industry": "Artificial Intelligence",
    "state_name": "NY",
    "country": "United States",
    "recruiter_name": "Ada Quinn",
    "recruiter_email": "ada.quinn@example.com",
    "recruiter_work_phone_no": "+12025550188",
    "status": "Active",
    "desc": "Design prompts and evaluations for production LLM systems.",
    "source_id": "JOB-TEST-1",
}


async def test_server_says_it_is_the_sandbox(connect: Connect) -> None:
    async with connect() as client:
        assert (client.instructions or "").startswith("SANDBOX MODE")
        assert client.server_info is not None and client.server_info.title == "Ninjahire (sandbox)"


async def test_jobs_list_create_get_update(connect: Connect) -> None:
    async with connect() as client:
        page = await call(client, "get_jobs", page=1, size=2)
        assert page["page"] == 1 and page["size"] == 2 and len(page["rows"]) == 2 and page["next_page"] == 2
        assert page["count"] >= 6

        created = await call(client, "create_job", **JOB, min_pay_rate=90, max_pay_rate=120, city="New York")
        assert created["title"] == JOB["title"] and created["min_pay_rate"] == 90
        assert created == await call(client, "get_job", job_id=created["id"])
        found = await call(client, "get_jobs", source_id="JOB-TEST-1")
        assert [job["id"] for job in records(found)] == [created["id"]]

        updated = await call(client, "update_job", job_id=created["id"], status="Closed")
        assert updated["changed"] == {"status": {"from": "Active", "to": "Closed"}}
        assert updated["record"]["title"] == JOB["title"] and updated["record"]["city"] == "New York"


async def test_job_scheduling_switch_and_settings(connect: Connect) -> None:
    async with connect() as client:
        job = await llm_job(client)
        before = await call(client, "get_job_scheduling", job_id=job["id"])
        assert before["job_id"] == job["id"] and isinstance(before["scheduling"], bool)
        flipped = await call(client, "set_job_scheduling", job_id=job["id"], scheduling=not before["scheduling"])
        assert flipped["scheduling"] is (not before["scheduling"])
        assert (await call(client, "get_job_scheduling", job_id=job["id"]))["scheduling"] is (not before["scheduling"])

        settings = await call(client, "get_schedule_settings", job_id=job["id"])
        assert {"window_start_time", "window_end_time", "daily_attempts", "days_of_week"} <= set(settings)
        replaced = await call(
            client,
            "update_schedule_settings",
            job_id=job["id"],
            window_start_time="09:30",
            window_end_time="17:00:00",
            daily_attempts=2,
            days_of_week=[1, 2, 3, 4, 5],
            sms_enabled=True,
            name="Weekdays",
        )
        assert replaced["record"]["window_start_time"] == "09:30:00" and replaced["record"]["daily_attempts"] == 2
        assert (await call(client, "get_schedule_settings", job_id=job["id"]))["name"] == "Weekdays"


async def test_candidates_list_create_get_update(connect: Connect) -> None:
    async with connect() as client:
        page = await call(client, "get_candidates", size=100)
        assert page["count"] >= 60
        dana = next(c for c in records(page) if c["first_name"] == "Dana")
        assert (await call(client, "get_candidate", candidate_id=dana["id"]))["email"] == dana["email"]

        created = await call(
            client, "create_candidate", first_name="Rosa", last_name="Ortiz", email="rosa.ortiz@example.org",
            phone_no="+12025550177", source="Referral", source_id="CAND-TEST-1", city="Austin",
        )  # fmt: skip
        assert created["first_name"] == "Rosa" and created["id"]
        updated = await call(client, "update_candidate", candidate_id=created["id"], email="rosa@example.org")
        assert updated["changed"] == {"email": {"from": "rosa.ortiz@example.org", "to": "rosa@example.org"}}
        assert updated["record"]["email"] == "rosa@example.org" and updated["record"]["city"] == "Austin"


async def test_applications_and_their_screening_results(connect: Connect) -> None:
    async with connect() as client:
        job = await llm_job(client)
        applications = await call(client, "get_applications", job_id=job["id"], size=100)
        assert applications["count"] == len(records(applications)) > 0
        assert all(a["job_id"] == job["id"] for a in records(applications))

        completed = next(a for a in records(applications) if a["screening_status"] == "completed")
        detail = await call(client, "get_application", application_id=completed["id"])
        assert detail["candidate"]["id"] == completed["candidate_id"] and detail["job"]["title"] == "LLM Engineer"

        results = await call(client, "get_screening_results", application_id=completed["id"])
        assert results["count"] >= 1
        finished = next(c for c in records(results) if c["call_status"] == "call_completed")
        assert 0 <= finished["call_score"] <= 100

        assert "transcript" not in finished and finished["questions"]  # reports: answers parsed, no transcript

        call_detail = await call(client, "get_call", call_id=finished["call_id"])
        assert call_detail == {k: v for k, v in finished.items() if k != "call_id"}
        assert all({"question", "answer", "score"} <= set(q) for q in call_detail["questions"])
        assert isinstance(call_detail["call_summary"], dict)
        with_transcript = await call(client, "get_call", call_id=finished["call_id"], include_transcript=True)
        assert "BOT:" in with_transcript["transcript"]["text"] and "HUMAN:" in with_transcript["transcript"]["text"]

        by_job = await call(client, "get_screening_results", job_id=job["id"], size=5)
        assert by_job["count"] >= results["count"] and len(by_job["data"]) <= 5


async def test_create_and_update_applications(connect: Connect) -> None:
    async with connect() as client:
        job = await call(client, "create_job", **JOB)
        candidate = await call(
            client, "create_candidate", first_name="Ivo", email="ivo@example.com", phone_no="+12025550166",
            source="LinkedIn", source_id="CAND-TEST-2",
        )  # fmt: skip
        application = await call(
            client, "create_application", candidate_source_id="CAND-TEST-2", job_source_id=JOB["source_id"],
            source_application_status="Applied", application_stage="active", job_id=job["id"],
            base64file="JVBERi0xLjcK",
        )  # fmt: skip
        assert application["candidate_id"] == candidate["id"] and application["application_stage"] == "ACTIVE"
        assert application["screening_status"] == "pending"

        updated = await call(
            client, "update_application", application_id=application["id"], source_application_status="Interviewing",
            application_stage="PASSIVE",
        )  # fmt: skip
        assert updated["application_stage"] == "PASSIVE" and updated["source_application_status"] == "Interviewing"

        second = await call(
            client, "create_candidate", first_name="Mae", email="mae@example.com", phone_no="+12025550155",
            source="LinkedIn", source_id="CAND-TEST-3",
        )  # fmt: skip
        with_questions = await call(
            client, "create_application_with_questions", candidate_source_id="CAND-TEST-3",
            job_source_id=JOB["source_id"], candidate_id=second["id"], source_application_status="Applied",
            application_stage="ACTIVE",
            questions=[{"question_text": "Which eval harness do you trust?", "source_id": "Q-T1"}],
        )  # fmt: skip
        assert [q["question_text"] for q in with_questions["questions"]] == ["Which eval harness do you trust?"]
        listed = await call(client, "get_questions", job_id=job["id"])
        assert any(q.get("application_id") == with_questions["id"] for q in listed["data"])


async def test_questions_add_update_delete_generate(connect: Connect) -> None:
    async with connect() as client:
        job = await llm_job(client)
        before = await call(client, "get_questions", job_id=job["id"])
        added = await call(client, "add_question", job_id=job["id"], question_text="What is RAG?", source_id="Q-T9")
        assert added["question_text"] == "What is RAG?"
        updated = await call(
            client, "update_question", job_id=job["id"], question_id=added["id"],
            question_text="Explain retrieval-augmented generation.", source_id="Q-T9",
        )  # fmt: skip
        assert updated["question_text"] == "Explain retrieval-augmented generation."

        deleted = await confirmed(client, "delete_question", job_id=job["id"], question_id=added["id"])
        assert deleted == {"deleted": True, "job_id": job["id"], "question_id": added["id"]}
        assert (await call(client, "get_questions", job_id=job["id"]))["count"] == before["count"]

        generated = await call(client, "generate_questions", job_id=job["id"])
        assert generated["count"] == len(generated["data"]) > 0
        after = await call(client, "get_questions", job_id=job["id"])
        assert after["count"] == before["count"] + generated["count"]


async def test_instant_call_runs_to_completion(connect: Connect, clock: Clock) -> None:
    async with connect() as client:
        job = await llm_job(client)
        applications = await call(client, "get_applications", job_id=job["id"], size=100)
        # The seeded tenant is the same on every run: its first not-yet-screened LLM Engineer applicant
        # picks up and scores 34 (the emulator fixes each attempt's outcome by its seed).
        pending = next(a for a in records(applications) if a["screening_status"] == "pending")
        before = await call(client, "get_screening_results", application_id=pending["id"])

        started = await confirmed(client, "instant_call", application_id=pending["id"])
        assert started["status"] == "initiated"
        assert started["next"].startswith(f"wait_for_call(call_id='{started['call_id']}') returns its report")
        in_progress = await call(client, "get_call", call_id=started["call_id"])
        assert in_progress["call_status"] == "call_in_progress"
        assert (await call(client, "get_application", application_id=pending["id"]))[
            "screening_status"
        ] == "in_progress"

        clock.now += 61
        finished = await call(client, "get_call", call_id=started["call_id"])
        application = await call(client, "get_application", application_id=pending["id"])
        after = await call(client, "get_screening_results", application_id=pending["id"])
    assert (finished["call_status"], finished["call_score"], finished["ninjahire_intelligence"]) == (
        "call_completed",
        34,
        "call_failed",
    )
    assert finished["application_id"] == pending["id"] and finished["questions"]
    assert application["screening_status"] == "completed"
    assert after["count"] == before["count"] + 1  # exactly one call was placed


async def test_webhooks_get_set_unsubscribe_subscribe(connect: Connect) -> None:
    async with connect() as client:
        hooks = await call(client, "get_webhook")
        assert hooks["count"] >= 1
        existing = hooks["data"][0]

        saved = await confirmed(
            client, "set_webhook", tenant_id=existing["tenant_id"], triggered_event="application_activty",
            type="post_call_screening", fields=["id", "status"], url="https://hooks.example.com/ninjahire",
            http_method="POST", content_type="application/json", secret="whsec_do_not_show", is_active=True,
        )  # fmt: skip
        assert saved["secret"] == SECRET_MASK
        assert "whsec_do_not_show" not in json.dumps(await call(client, "get_webhook"))

        stopped = await confirmed(client, "unsubscribe_webhook", tenant_webhook_id=saved["id"])
        assert stopped["is_deleted"] is True
        resumed = await call(client, "subscribe_webhook", tenant_webhook_id=saved["id"])
        assert resumed["is_deleted"] is False


async def test_unknown_ids_get_a_404_that_says_where_ids_come_from(connect: Connect) -> None:
    async with connect() as client:
        result = await client.call_tool("get_call", {"call_id": "00000000-0000-4000-8000-000000000000"})
        assert result.is_error
        assert (
            "Not found (HTTP 404" in result.content[0].text
            and "call_id from get_screening_results" in result.content[0].text
        )


async def test_sandbox_validation_errors_come_back_with_field_names(connect: Connect) -> None:
    async with connect() as client:
        job = await call(client, "create_job", **JOB)
        duplicate = await client.call_tool("create_job", {**JOB, "title": "Another"})
        assert duplicate.is_error and "HTTP 409" in duplicate.content[0].text
        orphan = await client.call_tool(
            "create_application",
            {"candidate_source_id": "NOPE", "job_source_id": JOB["source_id"], "source_application_status": "Applied",
             "application_stage": "ACTIVE", "job_id": job["id"]},
        )  # fmt: skip
        assert orphan.is_error and "HTTP 404" in orphan.content[0].text
