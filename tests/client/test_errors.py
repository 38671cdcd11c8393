"""Responses become values or typed errors; the API's error text is relayed bounded, never the key."""

from __future__ import annotations

import json

import httpx2
import pytest

from ninjahire_mcp.client import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NinjahireClient,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnexpectedResponseError,
    UnprocessableEntityError,
)

from ..support.api import API_KEY, JOB, RecordingAPI


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (503, InternalServerError),
        (418, APIStatusError),
    ],
)
async def test_each_status_has_its_error_class(
    client: NinjahireClient, api: RecordingAPI, status: int, error_class: type
) -> None:
    api.responses = [httpx2.Response(status, json={"message": "nope"})] * 3
    with pytest.raises(error_class) as caught:
        await client.calls.instant_call(JOB)
    assert type(caught.value) is error_class
    assert caught.value.status_code == status
    assert caught.value.detail == "nope"
    assert str(caught.value) == f"POST /v1/applications/{{application_id}}/instant-call returned HTTP {status}: nope"


@pytest.mark.parametrize(
    ("body", "detail", "fields"),
    [
        ({"message": "Job not found"}, "Job not found", []),
        ({"detail": "Invalid token"}, "Invalid token", []),
        ({"error": {"message": "Bad thing", "code": 7}}, "Bad thing", []),
        (
            {"error": "invalid_request", "error_description": "page must be >= 1"},
            "page must be >= 1; invalid_request",
            [],
        ),
        (
            {"detail": [{"loc": ["body", "title"], "msg": "field required", "type": "missing"}]},
            None,
            [("title", "field required")],
        ),
        (
            {"message": "Validation failed", "errors": [{"field": "email", "message": "is invalid"}]},
            "Validation failed",
            [("email", "is invalid")],
        ),
        (
            {"errors": {"phone_no": ["too short", "not a number"]}},
            None,
            [("phone_no", "too short"), ("phone_no", "not a number")],
        ),
        (["first", "second"], None, [("", "first"), ("", "second")]),
        ("plain message", "plain message", []),
    ],
)
async def test_the_usual_error_fields_are_relayed(
    client: NinjahireClient, api: RecordingAPI, body: object, detail: str | None, fields: list[tuple[str, str]]
) -> None:
    api.responses = [
        httpx2.Response(422, content=json.dumps(body).encode(), headers={"content-type": "application/json"})
    ]
    with pytest.raises(UnprocessableEntityError) as caught:
        await client.jobs.create({"title": "T"})
    assert caught.value.detail == detail
    assert [(f.field, f.message) for f in caught.value.field_errors] == fields


async def test_a_non_json_error_page_is_described_not_relayed(client: NinjahireClient, api: RecordingAPI) -> None:
    page = b"<html><body><h1>502 Bad Gateway</h1><p>nginx internal details</p></body></html>"
    api.responses = [httpx2.Response(502, content=page, headers={"content-type": "text/html; charset=utf-8"})]
    with pytest.raises(InternalServerError) as caught:
        await client.calls.instant_call(JOB)
    assert caught.value.detail == f"(the error body was not JSON: text/html, {len(page)} bytes)"
    assert "nginx" not in str(caught.value)


async def test_long_error_messages_are_bounded(client: NinjahireClient, api: RecordingAPI) -> None:
    api.responses = [httpx2.Response(400, json={"message": "x" * 5000})]
    with pytest.raises(BadRequestError) as caught:
        await client.jobs.create({})
    assert caught.value.detail is not None and len(caught.value.detail) == 300


async def test_the_key_echoed_by_the_api_is_redacted(client: NinjahireClient, api: RecordingAPI) -> None:
    api.responses = [
        httpx2.Response(
            401, json={"message": f"Invalid key {API_KEY}", "errors": [{"field": "key", "message": API_KEY}]}
        )
    ]
    with pytest.raises(AuthenticationError) as caught:
        await client.jobs.list(page=1, size=10)
    assert API_KEY not in str(caught.value)
    assert API_KEY not in repr(caught.value.field_errors)
    assert "[REDACTED]" in str(caught.value)


async def test_the_key_in_a_transport_error_is_redacted(client: NinjahireClient, api: RecordingAPI) -> None:
    api.responses = [httpx2.RemoteProtocolError(f"garbage after Bearer {API_KEY}")]
    with pytest.raises(APIConnectionError) as caught:
        await client.calls.instant_call(JOB)
    assert API_KEY not in str(caught.value)


async def test_request_id_is_kept(client: NinjahireClient, api: RecordingAPI) -> None:
    api.responses = [httpx2.Response(404, json={"message": "x"}, headers={"x-request-id": "req-42"})]
    with pytest.raises(NotFoundError) as caught:
        await client.jobs.get(JOB)
    assert caught.value.request_id == "req-42"
    assert caught.value.request.path_params == {"job_id": JOB}


@pytest.mark.parametrize(
    "response", [httpx2.Response(204), httpx2.Response(200, content=b""), httpx2.Response(200, content=b"  \n")]
)
async def test_empty_bodies_and_204_are_success(
    client: NinjahireClient, api: RecordingAPI, response: httpx2.Response
) -> None:
    api.responses = [response]
    assert await client.questions.delete(JOB, "q1") is None


async def test_a_success_with_a_non_json_body_is_reported(client: NinjahireClient, api: RecordingAPI) -> None:
    api.responses = [httpx2.Response(200, content=b"<html>ok</html>", headers={"content-type": "text/html"})]
    with pytest.raises(UnexpectedResponseError) as caught:
        await client.calls.instant_call(JOB)
    assert caught.value.status_code == 200
    assert caught.value.content_type == "text/html"
    assert caught.value.may_have_reached_server


async def test_a_redirect_is_not_followed(client: NinjahireClient, api: RecordingAPI) -> None:
    api.responses = [httpx2.Response(302, headers={"location": "https://evil.test/steal"})]
    with pytest.raises(APIStatusError) as caught:
        await client.jobs.get(JOB)
    assert caught.value.status_code == 302
    assert len(api.requests) == 1
