"""Responses become values or typed errors; the API's error text is relayed bounded, never the key."""

from __future__ import annotations

import io
import json
import logging
from urllib.parse import quote

import httpx2
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

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
from ninjahire_mcp.logs import configure_logging

from ..support.api import API_KEY, JOB, RecordingAPI
from ..support.serving import serving


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


ECHOES = [
    API_KEY,
    API_KEY.upper(),
    quote(API_KEY, safe=""),
    API_KEY[:14] + "…",  # a truncated echo, as a masking API might show it
]


@pytest.mark.parametrize("echo", ECHOES, ids=["verbatim", "upper-case", "url-encoded", "prefix"])
async def test_every_form_of_an_echoed_key_is_redacted_in_errors(
    client: NinjahireClient, api: RecordingAPI, echo: str
) -> None:
    api.responses = [httpx2.Response(403, json={"message": f"key {echo} may not do this"})]
    with pytest.raises(APIStatusError) as caught:
        await client.jobs.list(page=1, size=10)
    assert echo not in str(caught.value) and API_KEY[:12].lower() not in str(caught.value).lower()


@pytest.mark.parametrize("echo", ECHOES, ids=["verbatim", "upper-case", "url-encoded", "prefix"])
async def test_an_echoed_key_in_a_successful_answer_is_redacted(
    client: NinjahireClient, api: RecordingAPI, echo: str
) -> None:
    api.responses = [httpx2.Response(200, json={"id": "j", "title": "LLM", "notes": [f"created with {echo}"]})]
    job = await client.jobs.get("j")
    shown = json.dumps(job.data())
    assert API_KEY[:12].lower() not in shown.lower() and "[REDACTED]" in shown and job.title == "LLM"


async def test_debug_logs_of_the_network_libraries_never_carry_the_key() -> None:
    async def jobs(_request: Request) -> JSONResponse:  # an API that echoes the key in a response header
        return JSONResponse({"data": [], "count": 0}, headers={"x-echo": API_KEY})

    echo_headers = Starlette(routes=[Route("/v1/jobs", jobs)])

    written = io.StringIO()
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    configure_logging("DEBUG", written)
    try:
        with serving(echo_headers) as url:
            async with NinjahireClient(api_key=API_KEY, base_url=url) as live:
                await live.jobs.list(page=1, size=1)
    finally:
        root.handlers[:], root.level = handlers, level
    assert written.getvalue() and API_KEY not in written.getvalue()
