"""Every tool's API-error path through the MCP client: trusted, actionable text, never a crash."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx2
import pytest
from mcp import Client

from ninjahire_mcp.tools import CATALOGUE as EVERY_TOOL
from ninjahire_mcp.tools import INBOX_TOOLSETS

from ..support.api import API_KEY, APPLICATION, CALL, CANDIDATE, JOB, RecordingAPI

MODES = ["auto", "legacy"]

VALID_ARGUMENTS: dict[str, dict[str, Any]] = {
    "get_jobs": {},
    "create_job": {
        "title": "LLM Engineer", "industry": "AI", "state_name": "CA", "country": "US", "recruiter_name": "John",
        "recruiter_email": "john@example.com", "recruiter_work_phone_no": "+19179991111", "status": "Active",
        "desc": "Build things.", "source_id": "JOB-9",
    },
    "get_job": {"job_id": JOB},
    "update_job": {"job_id": JOB, "title": "LLM Engineer"},
    "get_job_scheduling": {"job_id": JOB},
    "set_job_scheduling": {"job_id": JOB, "scheduling": True},
    "get_schedule_settings": {"job_id": JOB},
    "update_schedule_settings": {"job_id": JOB, "window_start_time": "08:00:00", "window_end_time": "18:00:00"},
    "get_candidates": {},
    "create_candidate": {"first_name": "Dana", "email": "dana@example.com", "phone_no": "+12025550123",
                         "source": "LinkedIn", "source_id": "CAND-9"},
    "get_candidate": {"candidate_id": CANDIDATE},
    "update_candidate": {"candidate_id": CANDIDATE, "first_name": "Dana", "email": "dana@example.com",
                         "phone_no": "+12025550123", "source": "LinkedIn", "source_id": "CAND-9"},
    "get_applications": {"job_id": JOB},
    "create_application": {"candidate_source_id": "CAND-9", "job_source_id": "JOB-9",
                           "source_application_status": "Applied", "application_stage": "ACTIVE"},
    "get_application": {"application_id": APPLICATION},
    "update_application": {"application_id": APPLICATION, "source_application_status": "hired",
                           "application_stage": "active"},
    "create_application_with_questions": {"candidate_source_id": "CAND-9", "job_source_id": "JOB-9",
                                          "source_application_status": "Applied", "application_stage": "ACTIVE",
                                          "questions": [{"question_text": "Why us?", "source_id": "q1"}]},
    "get_questions": {"job_id": JOB},
    "add_question": {"job_id": JOB, "question_text": "Why us?", "source_id": "q1"},
    "update_question": {"job_id": JOB, "question_id": "q-1", "question_text": "Why us?", "source_id": "q1"},
    "delete_question": {"job_id": JOB, "question_id": "q-1"},
    "generate_questions": {"job_id": JOB},
    "instant_call": {"application_id": APPLICATION},
    "get_call": {"call_id": CALL},
    "wait_for_call": {"call_id": CALL},
    "rank_applicants": {"job_id": JOB},
    "screening_funnel": {"job_id": JOB},
    "find_jobs": {"query": "engineer"},
    "find_candidates": {"query": "dana"},
    "get_screening_results": {"application_id": APPLICATION},
    "get_webhook": {},
    "set_webhook": {"tenant_id": "t-1", "triggered_event": "call_activity", "type": "post_call_screening",
                    "fields": ["id"], "url": "https://example.com/h", "http_method": "POST",
                    "content_type": "application/json"},
    "subscribe_webhook": {"tenant_webhook_id": "wh-1"},
    "unsubscribe_webhook": {"tenant_webhook_id": "wh-1"},
    "search_screening": {"query": "nights", "job_id": JOB},
    "search": {"query": "nights"},
    "fetch": {"id": CALL},
}  # fmt: skip
# The webhook inbox's tools read no API (test_inbox_tool.py).
CATALOGUE = tuple(spec for spec in EVERY_TOOL if spec.toolset not in INBOX_TOOLSETS)
TOOLS = [spec.name for spec in CATALOGUE]
REPEATABLE = {spec.name for spec in CATALOGUE if spec.effect.read_only} | {
    "update_schedule_settings",  # PUT
    "delete_question",  # DELETE
}
# Partial updates read the stored record before they write (see test_partial_updates.py).
READS_FIRST = {"update_job", "update_candidate", "update_schedule_settings"}


@pytest.fixture
def server_for(server_for: Callable[..., Any]) -> Callable[..., Any]:
    """Confirmation off: these tests are about what happens when the action itself meets an API error
    (previews and tokens are tested in test_confirmations.py)."""
    return lambda **settings: server_for(**{"confirm": False, **settings})


def test_every_tool_has_valid_arguments_here() -> None:
    assert set(VALID_ARGUMENTS) == set(TOOLS)


def answering(status: int, **response: Any) -> Callable[[httpx2.Request], httpx2.Response]:
    return lambda _request: httpx2.Response(status, **response)


def before_calling(then: Callable[[httpx2.Request], httpx2.Response]) -> Callable[[httpx2.Request], httpx2.Response]:
    """No call in progress for the application; every other request gets `then`."""
    return lambda request: (
        httpx2.Response(200, json={"data": [], "count": 0}) if request.url.path == "/v1/calls" else then(request)
    )


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("tool", TOOLS)
async def test_field_errors_from_the_api_are_relayed(
    server_for: Callable[..., Any], api: RecordingAPI, mode: str, tool: str
) -> None:
    api.default = answering(
        422, json={"message": "Validation failed", "errors": [{"field": "source_id", "message": "is already taken"}]}
    )
    async with Client(server_for(), mode=mode) as client:
        result = await client.call_tool(tool, VALID_ARGUMENTS[tool])

    text = result.content[0].text
    assert result.is_error
    assert text.startswith("Ninjahire rejected the request (HTTP 422: Validation failed).")
    assert "- source_id: is already taken" in text
    assert f"call {tool} again" in text
    assert len(api.requests) == 1


@pytest.mark.parametrize("tool", TOOLS)
async def test_a_rejected_key_says_where_to_set_it(
    server_for: Callable[..., Any], api: RecordingAPI, tool: str
) -> None:
    api.default = answering(401, json={"message": f"invalid key {API_KEY}"})
    async with Client(server_for()) as client:
        result = await client.call_tool(tool, VALID_ARGUMENTS[tool])
    text = result.content[0].text
    assert result.is_error and "HTTP 401" in text and "NINJAHIRE_API_KEY" in text
    assert API_KEY not in text


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("tool", TOOLS)
async def test_server_errors_retry_reads_and_never_repeat_writes(
    server_for: Callable[..., Any], api: RecordingAPI, mode: str, tool: str
) -> None:
    down = answering(503, json={"message": "upstream down"})
    # instant_call first asks whether a call is already in progress: let that read succeed.
    api.default = before_calling(down) if tool == "instant_call" else down
    if tool in READS_FIRST:  # the stored record is read (and that succeeds); the write meets the 503
        api.default = lambda request: httpx2.Response(200, json={}) if request.method == "GET" else down(request)
    async with Client(server_for(), mode=mode) as client:
        result = await client.call_tool(tool, VALID_ARGUMENTS[tool])

    text = result.content[0].text
    assert result.is_error and "server error (HTTP 503: upstream down)" in text
    sent = [r for r in api.requests if r.url.path != "/v1/calls" or tool != "instant_call"]
    sent = [r for r in sent if r.method != "GET" or tool not in READS_FIRST]
    if tool in REPEATABLE:
        assert len(sent) == 3 and "after 3 attempts" in text
        assert "OUTCOME UNKNOWN" not in text
    else:
        assert len(sent) == 1
        assert "OUTCOME UNKNOWN" in text and "Do not repeat it blindly: first check get_" in text


async def test_an_unknown_instant_call_outcome_points_at_its_calls(
    server_for: Callable[..., Any], api: RecordingAPI
) -> None:
    api.responses = [httpx2.Response(200, json={"data": [], "count": 0}), httpx2.ReadTimeout("no answer")]
    async with Client(server_for()) as client:
        result = await client.call_tool("instant_call", {"application_id": APPLICATION})

    text = result.content[0].text
    assert result.is_error and "did not answer in time" in text
    assert f"get_screening_results(application_id='{APPLICATION}')" in text
    assert "do not call again" in text
    assert [r.method for r in api.requests] == ["GET", "POST"]  # the in-progress check, then the one attempt


async def test_an_unreadable_success_of_a_write_is_an_unknown_outcome(
    server_for: Callable[..., Any], api: RecordingAPI
) -> None:
    api.default = answering(200, content=b"<html>OK</html>", headers={"content-type": "text/html"})
    async with Client(server_for()) as client:
        result = await client.call_tool("create_candidate", VALID_ARGUMENTS["create_candidate"])
    text = result.content[0].text
    assert result.is_error and "not JSON (text/html)" in text
    assert "get_candidates(source_id='CAND-9')" in text


async def test_a_connection_that_never_opened_says_nothing_was_sent(
    server_for: Callable[..., Any], api: RecordingAPI
) -> None:
    api.responses = [httpx2.ConnectError("refused")] * 3
    async with Client(server_for()) as client:
        result = await client.call_tool("instant_call", {"application_id": APPLICATION})
    text = result.content[0].text
    assert result.is_error and "could not be reached" in text and "Nothing was sent" in text
    assert "OUTCOME UNKNOWN" not in text


@pytest.mark.parametrize("tool", ["instant_call", "create_job", "get_jobs"])
async def test_rate_limits_say_when_to_come_back(server_for: Callable[..., Any], api: RecordingAPI, tool: str) -> None:
    api.default = answering(429, headers={"Retry-After": "45"})
    async with Client(server_for()) as client:
        result = await client.call_tool(tool, VALID_ARGUMENTS[tool])
    text = result.content[0].text
    assert result.is_error and "rate limiting (HTTP 429)" in text and "Wait 45 seconds" in text
    assert len(api.requests) == 1  # 45 s is past the wait budget of one tool call, so even GET is not retried


@pytest.mark.parametrize(
    ("tool", "named", "source"),
    [
        ("get_job", f"job_id='{JOB}'", "job_id from get_jobs"),
        ("get_candidate", f"candidate_id='{CANDIDATE}'", "candidate_id from get_candidates"),
        ("update_application", f"application_id='{APPLICATION}'", "application_id from get_applications"),
        ("get_call", f"call_id='{CALL}'", "call_id from get_screening_results"),
        ("delete_question", "question_id='q-1'", "question_id from get_questions(job_id)"),
        ("unsubscribe_webhook", "tenant_webhook_id='wh-1'", "tenant_webhook_id from get_webhook"),
    ],
)
async def test_not_found_names_the_id_and_where_valid_ones_come_from(
    server_for: Callable[..., Any], api: RecordingAPI, tool: str, named: str, source: str
) -> None:
    api.default = answering(404, json={"message": "not found"})
    async with Client(server_for()) as client:
        result = await client.call_tool(tool, VALID_ARGUMENTS[tool])
    text = result.content[0].text
    assert result.is_error and "Not found (HTTP 404: not found)" in text
    assert named in text and source in text


@pytest.mark.parametrize(
    ("status", "words"),
    [(403, "Not permitted (HTTP 403"), (409, "Conflict (HTTP 409"), (400, "rejected the request (HTTP 400")],
)
async def test_other_refusals_are_explained(
    server_for: Callable[..., Any], api: RecordingAPI, status: int, words: str
) -> None:
    api.default = answering(status, json={"detail": "because"})
    async with Client(server_for()) as client:
        result = await client.call_tool("create_candidate", VALID_ARGUMENTS["create_candidate"])
    text = result.content[0].text
    assert result.is_error and words in text and "because" in text
    assert "OUTCOME UNKNOWN" not in text


@pytest.mark.parametrize("tool", TOOLS)
async def test_successes_are_compact_json_without_nulls(
    server_for: Callable[..., Any], api: RecordingAPI, tool: str
) -> None:
    api.default = answering(200, json={"data": [{"id": "x", "gone": None}], "count": 1, "secret": None})
    async with Client(server_for()) as client:
        result = await client.call_tool(tool, VALID_ARGUMENTS[tool])
    text = result.content[0].text
    assert not result.is_error, text
    assert "null" not in text and ": " not in text and "\n" not in text


async def test_a_delete_whose_answer_was_lost_and_whose_repeat_finds_nothing_was_most_likely_done(
    server_for: Callable[..., Any], api: RecordingAPI
) -> None:
    api.responses += [httpx2.ReadTimeout("the answer was lost"), httpx2.Response(404, json={"message": "Not found"})]
    async with Client(server_for(confirm=False)) as client:
        result = await client.call_tool("delete_question", {"job_id": JOB, "question_id": "q-1"})
    text = result.content[0].text
    assert result.is_error and text.startswith("Most likely deleted already")
    assert f"get_questions(job_id='{JOB}')" in text and "No record for" not in text
    assert [r.method for r in api.requests] == ["DELETE", "DELETE"]
