"""Injected faults, through the MCP client: reads recover, writes go once and say their outcome is unknown,
nothing outlives the timeout, and the server keeps serving. Also the sandbox's fault endpoint itself."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client

from ninjahire_mcp.cli import build_parser
from ninjahire_mcp.commands import serve_sandbox
from ninjahire_mcp.config import ALL_TOOLSETS, ConfigError, Settings
from ninjahire_mcp.http import build_http_app
from ninjahire_mcp.sandbox import (
    FAULTS_PATH,
    SANDBOX_API_KEY,
    Fault,
    FaultSpecError,
    TimedASGITransport,
    create_app,
    parse_faults,
)
from ninjahire_mcp.server import build_server

from ..support.api import API_KEY, INSTANT_RETRY, call, records
from ..support.serving import serving

TIMEOUT = 0.5
# Three attempts per read (INSTANT_RETRY), each at most TIMEOUT: far below this, even on a slow machine.
BOUND = 10.0
STATUS_FAULTS = ["500", "502", "503", "html"]
SPOILING_FAULTS = ["malformed_json", "drop", "hang"]
READ_FAULTS = [*STATUS_FAULTS, "429", *SPOILING_FAULTS, "latency"]
# What the agent reads when a read meets each fault every time.
READ_FAILURES = {
    "500": "server error (HTTP 500",
    "502": "server error (HTTP 502",
    "503": "server error (HTTP 503",
    "html": "server error (HTTP 502: (the error body was not JSON: text/html",
    "429": "rate limiting (HTTP 429)",
    "malformed_json": "body was not JSON (application/json); the result could not be read. Repeating it is harmless",
    "drop": "could not be reached (GET /v1/jobs: ConnectionDropped",
    "hang": f"did not answer in time (GET /v1/jobs: no answer within {TIMEOUT:g} s",
    "latency": f"did not answer in time (GET /v1/jobs: no answer within {TIMEOUT:g} s",
}


def fault(kind: str, method: str, path: str, times: int | str = "always") -> dict[str, Any]:
    # Latency beyond the timeout; Retry-After 0 so that a 429 is retried without waiting.
    return {"kind": kind, "method": method, "path": path, "times": times, "seconds": 2 * TIMEOUT, "retry_after": 0}


def settings(**overrides: Any) -> Settings:
    return Settings(sandbox=True, toolsets=frozenset(ALL_TOOLSETS), timeout=TIMEOUT, confirm=False, **overrides)


@asynccontextmanager
async def connected(app: Any, mode: str = "auto") -> AsyncIterator[Client]:
    """An MCP client of a server on the emulator in-process (with the client's timeout kept)."""
    server = build_server(settings(), transport=TimedASGITransport(app=app), retry=INSTANT_RETRY)
    async with Client(server, mode=mode) as client:  # type: ignore[arg-type]
        yield client


def sent(app: Any, method: str, path: str) -> int:
    return sum(1 for r in app.state.emulator.request_log if r.method == method and r.path == path)


async def an_application(client: Client) -> str:
    return str(records(await call(client, "get_applications", size=1))[0]["id"])


# ---- reads ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", READ_FAULTS)
async def test_a_read_recovers_when_the_fault_passes_within_the_retry_budget(kind: str) -> None:
    app = create_app(faults=[fault(kind, "GET", "/v1/jobs", times=2)])
    with anyio.fail_after(BOUND):
        async with connected(app) as client:
            page = await call(client, "get_jobs", size=5)
    assert len(page["rows"]) == 5
    assert sent(app, "GET", "/v1/jobs") == 3  # two faulted attempts, then the healthy one
    assert app.state.faults.describe() == []  # spent: healthy again


@pytest.mark.parametrize("mode", ["auto", "legacy"])
@pytest.mark.parametrize("kind", READ_FAULTS)
async def test_a_read_that_outlasts_the_retry_budget_is_a_clear_error_and_the_server_serves_on(
    kind: str, mode: str
) -> None:
    app = create_app(faults=[fault(kind, "GET", "/v1/jobs")])
    with anyio.fail_after(BOUND):
        async with connected(app, mode) as client:
            result = await client.call_tool("get_jobs", {})  # within BOUND: each attempt ends at the timeout
            text = result.content[0].text
            assert result.is_error, text
            assert READ_FAILURES[kind] in text, text
            assert sent(app, "GET", "/v1/jobs") == 3
            assert "<" not in text and "nginx" not in text  # no HTML in the agent's context
            assert SANDBOX_API_KEY not in text

            app.state.faults.clear()
            assert len((await call(client, "get_jobs", size=2))["rows"]) == 2


async def test_a_latency_below_the_timeout_only_slows_a_read() -> None:
    app = create_app(faults=[{"kind": "latency", "method": "GET", "path": "/v1/jobs", "seconds": 0.2}])
    async with connected(app) as client:
        started = anyio.current_time()
        await call(client, "get_jobs", size=1)
        assert anyio.current_time() - started >= 0.2
    assert sent(app, "GET", "/v1/jobs") == 1


async def test_a_retry_after_beyond_the_cap_is_not_waited_out_but_relayed() -> None:
    app = create_app(faults=[{"kind": "429", "method": "GET", "path": "/v1/jobs", "retry_after": 30}])
    with anyio.fail_after(BOUND):
        async with connected(app) as client:
            result = await client.call_tool("get_jobs", {})
    assert result.is_error and "Wait 30 seconds, then retry" in result.content[0].text
    assert sent(app, "GET", "/v1/jobs") == 1


# ---- writes --------------------------------------------------------------------------------------------

WRITE_FAULTS = [*STATUS_FAULTS, *SPOILING_FAULTS]
CANDIDATE = {
    "first_name": "Dana",
    "email": "dana.fault@example.com",
    "phone_no": "+12025550123",
    "source": "LinkedIn",
    "source_id": "C-F1",
}


async def write(client: Client, tool: str, application_id: str) -> tuple[Any, str, str, str]:
    """Call a write tool; its result, its method and path, and what the error should tell the agent to check."""
    if tool == "create_candidate":
        check = "get_candidates(source_id='C-F1')"
        return await client.call_tool(tool, CANDIDATE), "POST", "/v1/candidates", check
    if tool == "update_application":
        arguments = {
            "application_id": application_id,
            "source_application_status": "hired",
            "application_stage": "active",
        }
        check = f"get_application(application_id='{application_id}')"
        return await client.call_tool(tool, arguments), "PATCH", f"/v1/applications/{application_id}", check
    check = f"get_screening_results(application_id='{application_id}'): a call started just now"
    path = f"/v1/applications/{application_id}/instant-call"
    return await client.call_tool(tool, {"application_id": application_id}), "POST", path, check


@pytest.mark.parametrize("tool", ["create_candidate", "update_application", "instant_call"])
@pytest.mark.parametrize("kind", WRITE_FAULTS)
async def test_a_write_is_sent_once_and_its_outcome_is_unknown(kind: str, tool: str) -> None:
    app = create_app(faults=[fault(kind, "POST", "*"), fault(kind, "PATCH", "*")])
    with anyio.fail_after(BOUND):
        async with connected(app) as client:
            app.state.faults.clear()
            application_id = await an_application(client)
            app.state.faults.add([fault(kind, "POST", "*"), fault(kind, "PATCH", "*")])
            result, method, path, check = await write(client, tool, application_id)
            text = result.content[0].text
            assert result.is_error, text
            assert sent(app, method, path) == 1
            assert "OUTCOME UNKNOWN" in text and f"Do not repeat it blindly: first check {check}" in text, text
            assert "<" not in text and SANDBOX_API_KEY not in text

            app.state.faults.clear()
            await call(client, "get_application", application_id=application_id)


async def test_a_dropped_answer_hides_a_write_that_happened() -> None:
    """Why the error says "check first": behind a dropped answer, the candidate was created."""
    app = create_app(faults=[fault("drop", "POST", "/v1/candidates", times=1)])
    async with connected(app) as client:
        result = await client.call_tool("create_candidate", CANDIDATE)
        assert result.is_error and "get_candidates(source_id='C-F1')" in result.content[0].text
        found = records(await call(client, "get_candidates", source_id="C-F1"))
    assert [candidate["email"] for candidate in found] == [CANDIDATE["email"]]


async def test_a_rate_limited_write_is_sent_once_and_said_not_carried_out() -> None:
    app = create_app(faults=[fault("429", "POST", "/v1/candidates")])
    async with connected(app) as client:
        result = await client.call_tool("create_candidate", CANDIDATE)
    text = result.content[0].text
    assert result.is_error and "the request was not carried out" in text and "OUTCOME UNKNOWN" not in text
    assert sent(app, "POST", "/v1/candidates") == 1


# ---- over a real socket --------------------------------------------------------------------------------


@asynccontextmanager
async def over_loopback(app: Any) -> AsyncIterator[tuple[Client, httpx2.AsyncClient]]:
    """An MCP client of a live-mode server whose API is the emulator served by uvicorn; and a plain HTTP
    client of that emulator, for its fault endpoint."""
    with serving(app) as url:
        live = Settings(api_key=API_KEY, base_url=url, timeout=TIMEOUT, confirm=False, toolsets=frozenset(ALL_TOOLSETS))
        headers = {"Authorization": f"Bearer {API_KEY}"}
        async with (
            Client(build_server(live, retry=INSTANT_RETRY)) as client,
            httpx2.AsyncClient(base_url=url, headers=headers) as control,
        ):
            yield client, control


@pytest.mark.parametrize("kind", SPOILING_FAULTS)
async def test_over_a_socket_reads_recover_writes_go_once_and_nothing_hangs(kind: str) -> None:
    app = create_app()
    with anyio.fail_after(3 * BOUND):
        async with over_loopback(app) as (client, control):
            application_id = await an_application(client)
            response = await control.post(FAULTS_PATH, json=[fault(kind, "GET", "/v1/jobs", times=2)])
            assert response.status_code == 200, response.text
            assert len((await call(client, "get_jobs", size=3))["rows"]) == 3
            assert sent(app, "GET", "/v1/jobs") == 3

            await control.post(FAULTS_PATH, json={"faults": [fault(kind, "GET", "/v1/jobs")]})
            result = await client.call_tool("get_jobs", {})
            assert result.is_error and sent(app, "GET", "/v1/jobs") == 6
            if kind == "hang":
                assert f"no answer within {TIMEOUT:g} s (ReadTimeout)" in result.content[0].text

            await control.post(FAULTS_PATH, json=fault(kind, "POST", "/v1/applications/*/instant-call"))
            result, method, path, check = await write(client, "instant_call", application_id)
            assert result.is_error and "OUTCOME UNKNOWN" in result.content[0].text and check in result.content[0].text
            assert sent(app, method, path) == 1

            assert (await control.delete(FAULTS_PATH)).json()["faults"] == []
            await call(client, "get_screening_results", application_id=application_id)


PAGE = {"page": 1, "size": 2}


# ---- the fault endpoint --------------------------------------------------------------------------------


@asynccontextmanager
async def control_of(app: Any, key: str | None = SANDBOX_API_KEY) -> AsyncIterator[httpx2.AsyncClient]:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    async with httpx2.AsyncClient(
        transport=httpx2.ASGITransport(app=app), base_url="http://sandbox.test", headers=headers
    ) as http:
        yield http


async def test_the_fault_endpoint_sets_reads_spends_and_clears_the_plan() -> None:
    app = create_app()
    async with control_of(app) as http:
        assert (await http.get(FAULTS_PATH)).json()["faults"] == []
        added = await http.post(FAULTS_PATH, json={"kind": "503", "method": "get", "path": "/v1/jobs", "times": 1})
        assert added.status_code == 200
        assert added.json()["faults"] == [
            {"kind": "503", "method": "GET", "path": "/v1/jobs", "times": 1, "seconds": 1.0, "retry_after": 1.0}
        ]
        await http.post(FAULTS_PATH, json=[{"kind": "latency", "seconds": 0.01, "times": "always"}])
        assert [f["kind"] for f in (await http.get(FAULTS_PATH)).json()["faults"]] == ["503", "latency"]
        assert set((await http.get(FAULTS_PATH)).json()["kinds"]) >= {"drop", "hang", "html", "malformed_json"}

        assert (await http.get("/v1/jobs", params=PAGE)).status_code == 503
        assert (await http.get("/v1/jobs", params=PAGE)).status_code == 200  # the 503 was for one request only
        assert [f["kind"] for f in (await http.get(FAULTS_PATH)).json()["faults"]] == ["latency"]

        assert (await http.delete(FAULTS_PATH)).json()["faults"] == []
        assert (await http.get(FAULTS_PATH)).json()["faults"] == []


async def test_the_fault_endpoint_is_never_faulted_itself() -> None:
    app = create_app(faults="503 * * times=always")
    async with control_of(app) as http:
        assert (await http.get("/v1/jobs", params=PAGE)).status_code == 503
        assert (await http.get(FAULTS_PATH)).status_code == 200
        assert (await http.delete(FAULTS_PATH)).status_code == 200
        assert (await http.get("/v1/jobs", params=PAGE)).status_code == 200


async def test_the_status_faults_answer_as_described() -> None:
    app = create_app(faults="429 GET /v1/jobs retry_after=7; html GET /v1/jobs; malformed_json GET /v1/jobs")
    async with control_of(app) as http:
        limited = await http.get("/v1/jobs", params=PAGE)
        assert limited.status_code == 429 and limited.headers["retry-after"] == "7"
        page = await http.get("/v1/jobs", params=PAGE)
        assert page.status_code == 502 and page.headers["content-type"].startswith("text/html")
        assert "<h1>502 Bad Gateway</h1>" in page.text
        cut = await http.get("/v1/jobs", params=PAGE)
        assert cut.status_code == 200 and cut.headers["content-type"] == "application/json"
        healthy = (await http.get("/v1/jobs", params=PAGE)).content  # the same answer, whole
        assert cut.content == healthy[: len(healthy) // 2]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"{not json", "the body is not JSON"),
        (b'{"kind": "teapot"}', "kind 'teapot' is not a fault; choose one of latency, 500"),
        (b'{"method": "GET"}', "a fault needs a kind"),
        (b'{"kind": "503", "status": 503}', "unknown field(s) status"),
        (b'{"kind": "503", "method": "FETCH"}', "method 'FETCH' is not one of GET"),
        (b'{"kind": "503", "path": "v1/jobs"}', "path 'v1/jobs' must start with '/'"),
        (b'{"kind": "503", "times": 0}', "times must be 1 or more"),
        (b'{"kind": "503", "times": "often"}', "times must be a whole number or 'always'"),
        (b'{"kind": "latency", "seconds": "soon"}', "seconds must be a number of seconds"),
        (b'[{"kind": "503"}, 7]', "each fault must be a JSON object"),
    ],
)
async def test_a_malformed_fault_is_refused_naming_the_problem_and_nothing_is_added(body: bytes, problem: str) -> None:
    app = create_app()
    async with control_of(app) as http:
        response = await http.post(FAULTS_PATH, content=body, headers={"content-type": "application/json"})
        assert response.status_code == 400
        assert problem in response.json()["message"]
        assert (await http.get(FAULTS_PATH)).json()["faults"] == []


async def test_the_fault_endpoint_needs_a_key_like_the_api() -> None:
    app = create_app(api_keys={"only-this-key"})
    async with control_of(app, key=None) as http:
        assert (await http.post(FAULTS_PATH, json={"kind": "503"})).status_code == 401
    async with control_of(app, key="another-key") as http:
        assert (await http.get(FAULTS_PATH)).status_code == 401
    async with control_of(app, key="only-this-key") as http:
        assert (await http.get(FAULTS_PATH)).status_code == 200


async def test_the_live_server_has_no_fault_endpoint() -> None:
    live = Settings(api_key=API_KEY, transport="streamable-http")
    app = build_http_app(live, build_server(live))
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://127.0.0.1") as http:
        for method in ("GET", "POST", "DELETE"):
            response = await http.request(method, FAULTS_PATH, json={"kind": "503"})
            assert response.status_code == 404, (method, response.status_code)
    openapi = (await _openapi()).decode()
    assert "_sandbox" not in openapi  # not part of the API's description either


async def _openapi() -> bytes:
    async with control_of(create_app()) as http:
        return (await http.get("/openapi.json")).content


# ---- the compact spec ----------------------------------------------------------------------------------


def test_a_compact_spec_reads_as_faults() -> None:
    spec = "503 GET /v1/jobs* times=2; drop POST /v1/applications/*/instant-call; latency seconds=0.5 times=always"
    assert parse_faults(spec) == [
        Fault("503", "GET", "/v1/jobs*", times=2),
        Fault("drop", "POST", "/v1/applications/*/instant-call"),
        Fault("latency", times=None, seconds=0.5),
    ]
    assert parse_faults(" ; ") == []


@pytest.mark.parametrize(
    ("spec", "problem"),
    [("hang GET /v1/jobs extra", "'extra' in 'hang GET /v1/jobs extra': write it as name=value"), ("boom", "'boom'")],
)
def test_a_bad_compact_spec_is_refused(spec: str, problem: str) -> None:
    with pytest.raises(FaultSpecError) as caught:
        parse_faults(spec)
    assert problem in str(caught.value)


def test_the_sandbox_command_refuses_a_bad_spec_from_its_flag_or_the_environment() -> None:
    assert build_parser().parse_args(["sandbox", "--faults", "drop POST *"]).faults == "drop POST *"
    assert Settings.from_env({"NINJAHIRE_SANDBOX_FAULTS": " drop POST * "}).sandbox_faults == "drop POST *"
    with pytest.raises(ConfigError, match="--faults / NINJAHIRE_SANDBOX_FAULTS: kind 'teapot' is not a fault"):
        serve_sandbox(0, 7, 8.0, io.StringIO(), faults="teapot GET")  # refused before anything is served


async def test_a_delete_whose_2xx_answer_is_unreadable_is_sent_once_and_reported_as_done() -> None:
    # The 2xx says the question is gone: sending the DELETE again would only earn a misleading 404.
    app = create_app()
    question = next(iter(app.state.emulator.questions.values()))
    job_id, question_id = question["job_id"], question["id"]
    path = f"/v1/jobs/{job_id}/questions/{question_id}"
    app.state.faults.add([fault("malformed_json", "DELETE", path)])
    with anyio.fail_after(BOUND):
        async with connected(app) as client:
            result = await client.call_tool("delete_question", {"job_id": job_id, "question_id": question_id})
    text = result.content[0].text
    assert result.is_error and "The change WAS made" in text and "404" not in text, text
    assert sent(app, "DELETE", path) == 1
    assert question_id not in app.state.emulator.questions
