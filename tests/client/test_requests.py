"""The client sends exactly the documented request for each of the 29 endpoints."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import httpx2
import pytest

from ninjahire_mcp import __version__
from ninjahire_mcp.client import (
    APIConnectionError,
    InvalidRequestError,
    LazyNetworkTransport,
    NinjahireClient,
    network_transport,
)
from ninjahire_mcp.sandbox import create_app

from ..support.api import API_KEY, APPLICATION, CALL, CANDIDATE, JOB, RecordingAPI
from ..support.serving import serving

Call = Callable[[NinjahireClient], Awaitable[Any]]
BODY = {"title": "LLM Engineer", "min_pay_rate": 38.45}

# (id, call, method, raw path with query, json body or None)
ENDPOINTS: list[tuple[str, Call, str, str, Any]] = [
    ("get_jobs", lambda c: c.jobs.list(page=1, size=10), "GET", "/v1/jobs?page=1&size=10", None),
    (
        "get_jobs_filtered",
        lambda c: c.jobs.list(page=2, size=5, source_id="abc123"),
        "GET",
        "/v1/jobs?page=2&size=5&source_id=abc123",
        None,
    ),
    ("create_job", lambda c: c.jobs.create(BODY), "POST", "/v1/jobs", BODY),
    ("get_job", lambda c: c.jobs.get(JOB), "GET", f"/v1/jobs/{JOB}", None),
    ("update_job", lambda c: c.jobs.update(JOB, BODY), "PATCH", f"/v1/jobs/{JOB}", BODY),
    ("get_job_scheduling", lambda c: c.jobs.get_scheduling(JOB), "GET", f"/v1/jobs/{JOB}/scheduling", None),
    (
        "set_job_scheduling",
        lambda c: c.jobs.set_scheduling(JOB, False),
        "PATCH",
        f"/v1/jobs/{JOB}/scheduling",
        {"scheduling": False},
    ),
    (
        "get_schedule_settings",
        lambda c: c.jobs.get_schedule_settings(JOB),
        "GET",
        f"/v1/jobs/{JOB}/schedule-setting",
        None,
    ),
    (
        "update_schedule_settings",
        lambda c: c.jobs.update_schedule_settings(JOB, {"window_start_time": "08:00:00"}),
        "PUT",
        f"/v1/jobs/{JOB}/schedule-setting",
        {"window_start_time": "08:00:00"},
    ),
    (
        "get_candidates",
        lambda c: c.candidates.list(page=1, size=100, source_id="194897"),
        "GET",
        "/v1/candidates?page=1&size=100&source_id=194897",
        None,
    ),
    (
        "create_candidate",
        lambda c: c.candidates.create({"first_name": "Dana"}),
        "POST",
        "/v1/candidates",
        {"first_name": "Dana"},
    ),
    ("get_candidate", lambda c: c.candidates.get(CANDIDATE), "GET", f"/v1/candidates/{CANDIDATE}", None),
    (
        "update_candidate",
        lambda c: c.candidates.update(CANDIDATE, {"email": "dana@example.com"}),
        "PATCH",
        f"/v1/candidates/{CANDIDATE}",
        {"email": "dana@example.com"},
    ),
    (
        "get_applications",
        lambda c: c.applications.list(
            page=1, size=10, job_id=JOB, source_id="APP-1", job_source_id="J-1", candidate_source_id="C-1"
        ),
        "GET",
        f"/v1/applications?page=1&size=10&job_id={JOB}&source_id=APP-1&job_source_id=J-1&candidate_source_id=C-1",
        None,
    ),
    (
        "create_application",
        lambda c: c.applications.create({"application_stage": "ACTIVE"}),
        "POST",
        "/v1/applications",
        {"application_stage": "ACTIVE"},
    ),
    (
        "get_application",
        lambda c: c.applications.get(APPLICATION),
        "GET",
        f"/v1/applications/{APPLICATION}",
        None,
    ),
    (
        "update_application",
        lambda c: c.applications.update(APPLICATION, {"source_application_status": "hired"}),
        "PATCH",
        f"/v1/applications/{APPLICATION}",
        {"source_application_status": "hired"},
    ),
    (
        "create_application_with_questions",
        lambda c: c.applications.create_with_questions({"questions": [{"question_text": "Q?", "source_id": "q1"}]}),
        "POST",
        "/v1/applications/with-questions",
        {"questions": [{"question_text": "Q?", "source_id": "q1"}]},
    ),
    ("get_questions", lambda c: c.questions.list(JOB), "GET", f"/v1/jobs/{JOB}/questions", None),
    (
        "add_question",
        lambda c: c.questions.add(JOB, {"question_text": "Why?", "source_id": "q1"}),
        "POST",
        f"/v1/jobs/{JOB}/questions",
        {"question_text": "Why?", "source_id": "q1"},
    ),
    (
        "update_question",
        lambda c: c.questions.update(
            JOB, "q-7", {"question_text": "Why?", "source_id": "q1"}, source_id="q1", application_id=APPLICATION
        ),
        "PATCH",
        f"/v1/jobs/{JOB}/questions/q-7?source_id=q1&application_id={APPLICATION}",
        {"question_text": "Why?", "source_id": "q1"},
    ),
    (
        "update_question_without_application",
        lambda c: c.questions.update(JOB, "q-7", {"question_text": "Why?", "source_id": "q1"}, source_id="q1"),
        "PATCH",
        f"/v1/jobs/{JOB}/questions/q-7?source_id=q1",
        {"question_text": "Why?", "source_id": "q1"},
    ),
    ("delete_question", lambda c: c.questions.delete(JOB, "q-7"), "DELETE", f"/v1/jobs/{JOB}/questions/q-7", None),
    (
        "generate_questions",
        lambda c: c.questions.generate(JOB),
        "POST",
        f"/v1/jobs/{JOB}/questions/generate",
        None,
    ),
    (
        "instant_call",
        lambda c: c.calls.instant_call(APPLICATION),
        "POST",
        f"/v1/applications/{APPLICATION}/instant-call",
        None,
    ),
    ("get_call", lambda c: c.calls.get(CALL), "GET", f"/v1/calls/{CALL}", None),
    (
        "get_screening_results",
        lambda c: c.calls.list(
            page=1,
            size=10,
            application_id=APPLICATION,
            job_id=JOB,
            candidate_id=CANDIDATE,
            application_source_id="A-1",
            job_source_id="J-1",
            candidate_source_id="C-1",
        ),
        "GET",
        f"/v1/calls?page=1&size=10&application_id={APPLICATION}&job_id={JOB}&candidate_id={CANDIDATE}"
        "&application_source_id=A-1&job_source_id=J-1&candidate_source_id=C-1",
        None,
    ),
    ("get_webhook", lambda c: c.webhooks.get(), "GET", "/v1/tenant-webhook", None),
    (
        "set_webhook",
        lambda c: c.webhooks.set({"url": "https://example.com/h"}),
        "POST",
        "/v1/tenant-webhook",
        {"url": "https://example.com/h"},
    ),
    (
        "subscribe_webhook",
        lambda c: c.webhooks.subscribe("wh-1"),
        "POST",
        "/v1/tenant-webhook/subscribe/wh-1",
        None,
    ),
    (
        "unsubscribe_webhook",
        lambda c: c.webhooks.unsubscribe("wh-1"),
        "POST",
        "/v1/tenant-webhook/unsubscribe/wh-1",
        None,
    ),
]


@pytest.mark.parametrize(("call", "method", "path", "body"), [e[1:] for e in ENDPOINTS], ids=[e[0] for e in ENDPOINTS])
async def test_each_endpoint_sends_the_documented_request(
    client: NinjahireClient, api: RecordingAPI, call: Call, method: str, path: str, body: Any
) -> None:
    await call(client)

    (request,) = api.requests
    assert request.method == method
    assert request.url.raw_path.decode() == path
    assert request.url.host == "api.ninjahire.test"
    assert request.headers["authorization"] == f"Bearer {API_KEY}"
    assert request.headers["user-agent"].startswith(f"ninjahire-mcp/{__version__} ")
    assert request.headers["accept"] == "application/json"
    if body is None:
        assert request.content == b""
    else:
        assert request.headers["content-type"] == "application/json"
        assert json.loads(request.content) == body


def test_every_documented_endpoint_is_in_the_table() -> None:
    routes = {(e[2], e[3].split("?")[0]) for e in ENDPOINTS}
    assert len(routes) == 29


async def test_arguments_left_out_are_not_sent_as_nulls(client: NinjahireClient, api: RecordingAPI) -> None:
    await client.applications.list(page=1, size=10, job_id=None, source_id=None)
    await client.jobs.create({"title": "T", "city": None, "max_pay_rate": 0})

    assert api.requests[0].url.raw_path == b"/v1/applications?page=1&size=10"
    assert api.body(1) == {"title": "T", "max_pay_rate": 0}


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        ("../tenant-webhook", "..%2Ftenant-webhook"),
        ("q/../../x", "q%2F..%2F..%2Fx"),
        ("a b?c=d#e", "a%20b%3Fc%3Dd%23e"),
        ("%2e%2e", "%252e%252e"),
        ("ünï", "%C3%BCn%C3%AF"),
    ],
)
async def test_path_values_are_percent_encoded_into_one_segment(
    client: NinjahireClient, api: RecordingAPI, value: str, encoded: str
) -> None:
    await client.questions.delete(JOB, value)

    assert api.requests[0].url.raw_path.decode() == f"/v1/jobs/{JOB}/questions/{encoded}"


@pytest.mark.parametrize("value", ["", ".", "..", " .. "])
async def test_dot_segments_and_empty_ids_are_refused_before_sending(
    client: NinjahireClient, api: RecordingAPI, value: str
) -> None:
    with pytest.raises(InvalidRequestError, match="nothing was sent"):
        await client.webhooks.unsubscribe(value)
    assert api.requests == []


async def test_base_url_path_prefix_is_kept(api: RecordingAPI) -> None:
    async with NinjahireClient(api_key=API_KEY, base_url="https://proxy.test/ninjahire", transport=api.transport) as c:
        await c.jobs.get(JOB)
    assert api.requests[0].url.raw_path.decode() == f"/ninjahire/v1/jobs/{JOB}"


async def test_with_api_key_sends_the_other_key_on_the_same_pool(client: NinjahireClient, api: RecordingAPI) -> None:
    other = client.with_api_key("nh_other")
    await other.jobs.list(page=1, size=1)
    await client.jobs.list(page=1, size=1)

    assert [r.headers["authorization"] for r in api.requests] == ["Bearer nh_other", f"Bearer {API_KEY}"]


async def test_no_key_sends_no_authorization_header(api: RecordingAPI) -> None:
    async with NinjahireClient(api_key=None, transport=api.transport) as c:
        await c.webhooks.get()
    assert "authorization" not in api.requests[0].headers


def test_repr_never_shows_the_key(client: NinjahireClient) -> None:
    assert API_KEY not in repr(client)
    assert "[REDACTED]" in repr(client)


async def test_the_network_transport_is_made_on_the_first_request_and_kept() -> None:
    made: list[httpx2.AsyncHTTPTransport] = []

    def make() -> httpx2.AsyncHTTPTransport:
        made.append(httpx2.AsyncHTTPTransport())
        return made[-1]

    lazy = LazyNetworkTransport(make)
    with serving(create_app()) as url:
        async with httpx2.AsyncClient(base_url=url, transport=lazy) as http:
            assert made == []  # nothing loaded until a request goes out
            first = await http.get("/v1/jobs", params={"page": 1, "size": 2}, headers={"Authorization": "Bearer k"})
            second = await http.get("/v1/jobs", params={"page": 2, "size": 2}, headers={"Authorization": "Bearer k"})
    assert first.status_code == second.status_code == 200 and first.json()["data"] != second.json()["data"]
    assert len(made) == 1  # one pool for the client's life


def test_without_a_proxy_the_client_uses_the_lazy_transport(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    assert isinstance(network_transport(), LazyNetworkTransport)
    monkeypatch.setenv("https_proxy", "http://proxy.corp.test:3128")
    assert network_transport() is None  # httpx2 makes its own transports, and routes through the proxy


async def test_a_proxy_in_the_environment_is_still_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bytes] = []

    async def proxy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen.append(await reader.readline())
        writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()
        writer.close()

    listener = await asyncio.start_server(proxy, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{port}")
    async with listener, NinjahireClient(api_key="k", base_url="https://api.ninjahire.test") as client:
        with pytest.raises(APIConnectionError):
            await client.jobs.list(page=1, size=1)
    # Through the proxy, not straight out (a read that fails before it is sent is tried again).
    assert seen and set(seen) == {b"CONNECT api.ninjahire.test:443 HTTP/1.1\r\n"}


PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "all_proxy",
                   "no_proxy")  # fmt: skip
