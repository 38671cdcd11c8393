"""Bad input is refused before any request leaves, with a message that names the field and the fix."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from mcp import Client

from ..support.api import APPLICATION, APPLICATION_BODY, CANDIDATE_BODY, JOB, JOB_BODY, WEBHOOK_BODY, RecordingAPI

MODES = ["auto", "legacy"]  # the 2026-07-28 era and the 2025-era handshake that today's hosts speak

SETTINGS = {"job_id": JOB, "window_start_time": "08:00:00", "window_end_time": "18:00:00"}

REFUSED: list[tuple[str, dict[str, Any], list[str]]] = [
    ("get_jobs", {"page": 0}, ["page must be 1 or more (got 0): pages start at 1"]),
    ("get_screening_results", {"page": 0}, ["page must be 1 or more (got 0)", "never 0"]),
    ("get_candidates", {"page": -3}, ["page must be 1 or more (got -3)"]),
    ("get_applications", {"size": 101}, ["size must be between 1 and 100 (got 101)", "page=2"]),
    ("get_jobs", {"size": 0}, ["size must be between 1 and 100 (got 0)"]),
    ("get_jobs", {"page": "two"}, ["page must be an integer (got text 'two')"]),
    ("get_job", {}, ["job_id is required."]),
    ("get_job", {"job_id": "JOB-1001"}, ["job_id must be a Ninjahire UUID", "get_jobs(source_id='JOB-1001')"]),
    ("get_job", {"job_id": "../tenant-webhook"}, ["job_id must be a Ninjahire UUID"]),
    ("get_job", {"job_id": f"{JOB}/../../tenant-webhook"}, ["job_id must be a Ninjahire UUID"]),
    ("get_application", {"application_id": "APP-10001"}, ["get_applications(source_id='APP-10001')"]),
    ("get_candidate", {"candidate_id": "Dana Whitfield"}, ["looks like a name or title"]),
    ("get_call", {"call_id": "call-1"}, ["call_id must be a Ninjahire UUID", "get_screening_results"]),
    ("get_screening_results", {"application_id": "APP-1"}, ["application_id must be a Ninjahire UUID"]),
    ("get_applications", {"job_id": "JOB-1001"}, ["get_jobs(source_id='JOB-1001')"]),
    ("delete_question", {"job_id": JOB, "question_id": ".."}, ["question_id must be the id of an existing record"]),
    ("unsubscribe_webhook", {"tenant_webhook_id": "."}, ["tenant_webhook_id must be the id of an existing record"]),
    ("get_jobs", {"pgae": 2}, ["unknown argument(s): pgae", "accepts: page, size, source_id"]),
    ("create_job", {**JOB_BODY, "job_title": "x"}, ["unknown argument(s): job_title"]),
    ("create_job", {**JOB_BODY, "recruiter_email": "john"}, ["recruiter_email must be an email address"]),
    ("create_job", {**JOB_BODY, "recruiter_work_phone_no": "call me"}, ["recruiter_work_phone_no must be a phone"]),
    (
        "create_job",
        {**JOB_BODY, "min_pay_rate": 48.45, "max_pay_rate": 38.45},
        ["min_pay_rate (48.45) is above max_pay_rate (38.45)"],
    ),
    ("update_job", {"job_id": JOB, "title": "T", "min_pay_rate": 10, "max_pay_rate": 9}, ["is above max_pay_rate"]),
    ("create_job", {**JOB_BODY, "min_pay_rate": -1}, ["min_pay_rate must be at least 0"]),
    ("create_job", {**JOB_BODY, "start_date": "next Tuesday"}, ["start_date must be an ISO 8601 date"]),
    ("create_job", {**JOB_BODY, "title": ""}, ["title must not be empty."]),
    ("create_job", {k: v for k, v in JOB_BODY.items() if k != "desc"}, ["desc is required."]),
    ("update_job", {"job_id": JOB}, ["no field to change was given: pass at least one of title, "]),
    ("create_candidate", {**CANDIDATE_BODY, "email": "dana@"}, ["email must be an email address"]),
    ("create_candidate", {**CANDIDATE_BODY, "phone_no": "+1 555"}, ["phone_no must be a phone number of 7 to 15"]),
    (
        "create_application",
        {**APPLICATION_BODY, "application_stage": "hired"},
        ["application_stage must be one of 'ACTIVE' or 'PASSIVE' (got 'HIRED')"],
    ),
    ("create_application", {**APPLICATION_BODY, "base64file": "not base64!"}, ["base64file must be the file's bytes"]),
    (
        "create_application",
        {**APPLICATION_BODY, "file": "cv.pdf", "base64file": "JVBERi0="},
        ["file or as base64file, not both"],
    ),
    ("create_application", {**APPLICATION_BODY, "job_id": "JOB-1"}, ["job_id must be a Ninjahire UUID"]),
    (
        "create_application_with_questions",
        {**APPLICATION_BODY, "questions": [{"question_text": "Why?"}]},
        ["questions[0].source_id is required."],
    ),
    (
        "create_application_with_questions",
        {**APPLICATION_BODY, "questions": [{"text": "Why?", "source_id": "q"}]},
        ["questions[0].text"],
    ),
    (
        "add_question",
        {"job_id": JOB, "question_text": "Q?", "source_id": "q1", "application_id": "sample application id"},
        ["application_id must be a Ninjahire UUID"],
    ),
    (
        "set_webhook",
        {**WEBHOOK_BODY, "triggered_event": "application_activity"},
        ["triggered_event must be one of 'call_activity' or 'application_activty'"],
    ),
    ("set_webhook", {**WEBHOOK_BODY, "url": "ftp://files.example.com/drop"}, ["url must be an absolute http(s) URL"]),
    ("set_webhook", {**WEBHOOK_BODY, "http_method": "GET"}, ["http_method must be one of 'POST', 'PUT' or 'PATCH'"]),
    ("set_webhook", {**WEBHOOK_BODY, "content_type": "text/xml"}, ["content_type must be one of"]),
    ("set_webhook", {**WEBHOOK_BODY, "type": "pre_call"}, ["type must be one of 'post_call_screening'"]),
    ("set_webhook", {**WEBHOOK_BODY, "fields": []}, ["fields needs at least 1 item(s)."]),
    ("set_job_scheduling", {"job_id": JOB, "scheduling": "maybe"}, ["scheduling must be true or false"]),
    ("update_schedule_settings", {**SETTINGS, "daily_attempts": 6}, ["daily_attempts must be at most 5 (got 6)"]),
    ("update_schedule_settings", {**SETTINGS, "daily_attempts": -1}, ["daily_attempts must be at least 0"]),
    ("update_schedule_settings", {**SETTINGS, "retry_interval": -5}, ["retry_interval must be at least 0"]),
    ("update_schedule_settings", {**SETTINGS, "sms_notify_minutes": -1}, ["sms_notify_minutes must be at least 0"]),
    ("update_schedule_settings", {**SETTINGS, "days_of_week": [1, 8]}, ["days_of_week[1] must be at most 7 (got 8)"]),
    ("update_schedule_settings", {**SETTINGS, "days_of_week": [1, 1]}, ["days_of_week lists a day twice"]),
    ("update_schedule_settings", {**SETTINGS, "window_start_time": "8am"}, ["window_start_time must be a 24-hour"]),
    ("update_schedule_settings", {**SETTINGS, "window_end_time": "24:00:00"}, ["window_end_time must be a 24-hour"]),
    (
        "update_schedule_settings",
        {**SETTINGS, "window_start_time": "18:00:00", "window_end_time": "08:00:00"},
        ["window_end_time (08:00:00) must be after window_start_time (18:00:00)"],
    ),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("tool", "arguments", "expected"), REFUSED, ids=[f"{t}-{i}" for i, (t, _, _) in enumerate(REFUSED)]
)
async def test_bad_input_is_refused_before_sending(
    server_for: Callable[..., Any],
    api: RecordingAPI,
    mode: str,
    tool: str,
    arguments: dict[str, Any],
    expected: list[str],
) -> None:
    async with Client(server_for(), mode=mode) as client:
        result = await client.call_tool(tool, arguments)

    text = result.content[0].text
    assert result.is_error, text
    assert text.startswith(f"Invalid arguments for {tool}; nothing was sent:")
    for fragment in expected:
        assert fragment in text
    assert "errors.pydantic.dev" not in text
    assert api.requests == []


@pytest.mark.parametrize("mode", MODES)
async def test_documented_enums_and_formats_are_normalised(
    server_for: Callable[..., Any], api: RecordingAPI, mode: str
) -> None:
    async with Client(server_for(confirm=False), mode=mode) as client:
        await client.call_tool("create_application", {**APPLICATION_BODY, "application_stage": "passive"})
        await client.call_tool(
            "update_schedule_settings", {**SETTINGS, "window_start_time": "08:00", "days_of_week": [0, 1, 2]}
        )
        await client.call_tool("update_schedule_settings", {**SETTINGS, "days_of_week": [1, 2, 3, 4, 5, 6, 7]})
        await client.call_tool(
            "set_webhook", {**WEBHOOK_BODY, "http_method": "put", "triggered_event": "application_activty"}
        )
        await client.call_tool("get_job", {"job_id": f"  {JOB.upper()} "})

    # Each settings update reads the stored settings (GET) before its PUT.
    assert api.body(0)["application_stage"] == "PASSIVE"
    assert api.body(2) == {"window_start_time": "08:00:00", "window_end_time": "18:00:00", "days_of_week": [0, 1, 2]}
    assert api.body(4)["days_of_week"] == [1, 2, 3, 4, 5, 6, 7]
    assert api.body(5)["http_method"] == "PUT"
    assert api.body(5)["triggered_event"] == "application_activty"
    assert api.requests[6].url.path == f"/v1/jobs/{JOB.upper()}"


@pytest.mark.parametrize("mode", MODES)
async def test_free_text_reaches_the_api_exactly_as_written(
    server_for: Callable[..., Any], api: RecordingAPI, mode: str
) -> None:
    # JSON-looking text must not be decoded into other types on its way through the SDK.
    async with Client(server_for(), mode=mode) as client:
        for text in ['{"a": 1}', "null", "[1, 2]", "true"]:
            result = await client.call_tool("add_question", {"job_id": JOB, "question_text": text, "source_id": "q"})
            assert not result.is_error, result.content[0].text
    assert [api.body(i)["question_text"] for i in range(4)] == ['{"a": 1}', "null", "[1, 2]", "true"]


@pytest.mark.parametrize("mode", MODES)
async def test_lists_sent_as_json_strings_are_still_understood(
    server_for: Callable[..., Any], api: RecordingAPI, mode: str
) -> None:
    # Some hosts send list arguments as JSON text; that is decoded for list-typed arguments only.
    async with Client(server_for(), mode=mode) as client:
        result = await client.call_tool("update_schedule_settings", {**SETTINGS, "days_of_week": "[1, 2, 3]"})
    assert not result.is_error, result.content[0].text
    assert api.body()["days_of_week"] == [1, 2, 3]


@pytest.mark.parametrize("mode", MODES)
async def test_optional_arguments_left_out_or_null_are_not_sent(
    server_for: Callable[..., Any], api: RecordingAPI, mode: str
) -> None:
    async with Client(server_for(), mode=mode) as client:
        await client.call_tool("create_job", {**JOB_BODY, "city": None})
        await client.call_tool("get_screening_results", {"application_id": APPLICATION, "job_id": None})

    assert api.body(0) == JOB_BODY
    assert api.requests[1].url.raw_path.decode() == f"/v1/calls?page=1&size=10&application_id={APPLICATION}"


@pytest.mark.parametrize("mode", MODES)
async def test_update_question_sends_source_and_application_in_query_and_body(
    server_for: Callable[..., Any], api: RecordingAPI, mode: str
) -> None:
    arguments = {
        "job_id": JOB,
        "question_id": "q-7",
        "question_text": "Why?",
        "source_id": "Q-1",
        "application_id": APPLICATION,
    }
    async with Client(server_for(), mode=mode) as client:
        await client.call_tool("update_question", arguments)

    request = api.requests[0]
    assert request.method == "PATCH"
    assert request.url.raw_path.decode() == f"/v1/jobs/{JOB}/questions/q-7?source_id=Q-1&application_id={APPLICATION}"
    assert json.loads(request.content) == {"question_text": "Why?", "source_id": "Q-1", "application_id": APPLICATION}


@pytest.mark.parametrize("mode", MODES)
async def test_the_docs_job_example_passes_once_its_pay_range_is_consistent(
    server_for: Callable[..., Any], api: RecordingAPI, mode: str
) -> None:
    example = {
        **JOB_BODY,
        "min_pay_rate": 38.45,
        "max_pay_rate": 48.45,
        "pay_frequency": "Per Hour",
        "start_date": "2024-07-22T04:00:00Z",
        "end_date": "2025-01-25T05:00:00Z",
        "posting_date": "2024-06-21T18:29:21Z",
        "zip_code": "95134",
    }
    async with Client(server_for(), mode=mode) as client:
        result = await client.call_tool("create_job", example)
    assert not result.is_error, result.content[0].text
    assert api.body() == example
