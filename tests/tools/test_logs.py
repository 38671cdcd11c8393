"""Operator logs: one JSON line per tool call, with route templates and counts, and nothing personal."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.sse import sse_client
from mcp.client.stdio import stdio_client

from ninjahire_mcp.client import Exchange, NinjahireClient, observe_exchanges
from ninjahire_mcp.config import Settings
from ninjahire_mcp.logs import JsonFormatter, configure_logging
from ninjahire_mcp.sandbox import create_app
from ninjahire_mcp.server import build_server

from ..support.api import API_KEY, APPLICATION, CANDIDATE, INSTANT_RETRY, JOB, RecordingAPI, call, records
from ..support.serving import free_port, serving, stdio_params

SCRIPT = str(Path(sys.executable).parent / "ninjahire-mcp")
ServerFor = Callable[..., Any]


Lines = Callable[[], list[dict[str, Any]]]


@pytest.fixture
def tool_lines() -> Iterator[Lines]:
    """The tool_call lines logged so far, as the CLI's formatter renders them, decoded."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("ninjahire_mcp.tool_call")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def one_job(request: httpx2.Request) -> httpx2.Response:
    return httpx2.Response(200, json={"id": JOB, "title": "LLM Engineer", "status": "active"})


# ---- the line ------------------------------------------------------------------------------------


async def test_each_tool_call_logs_one_line_with_route_templates_and_no_ids(
    api: RecordingAPI, server_for: ServerFor, tool_lines: Lines
) -> None:
    api.default = one_job
    async with Client(server_for()) as client:
        await call(client, "get_job", job_id=JOB)
        await call(client, "get_jobs", size=5)
    first, second = tool_lines()
    assert first["event"] == "tool_call" and first["tool"] == "get_job" and first["outcome"] == "ok"
    assert first["level"] == "info" and first["ts"].endswith("Z")
    assert first["arguments"] == ["job_id"]
    assert first["upstream"] == [
        {
            "method": "GET",
            "route": "/v1/jobs/{job_id}",
            "status": 200,
            "latency_ms": first["upstream"][0]["latency_ms"],
            "retries": 0,
        }
    ]
    assert first["upstream_count"] == 1 and first["retries"] == 0
    assert isinstance(first["duration_ms"], float) and first["request_id"]
    assert JOB not in json.dumps(first)
    assert second["tool"] == "get_jobs" and second["upstream"][0]["route"] == "/v1/jobs"


async def test_retries_are_counted_on_the_exchange_and_the_call(
    api: RecordingAPI, server_for: ServerFor, tool_lines: Lines
) -> None:
    api.responses = [httpx2.Response(503), httpx2.Response(502), one_job(httpx2.Request("GET", "/"))]
    async with Client(server_for()) as client:
        await call(client, "get_job", job_id=JOB)
    (line,) = tool_lines()
    assert len(api.requests) == 3
    assert line["upstream"][0]["retries"] == 2 and line["upstream"][0]["status"] == 200
    assert line["retries"] == 2 and line["outcome"] == "ok" and line["level"] == "info"


async def test_an_api_error_names_its_class_and_an_outage_is_a_warning(
    api: RecordingAPI, server_for: ServerFor, tool_lines: Lines
) -> None:
    api.responses = [httpx2.Response(404, json={"detail": "No candidate Jane Roe <jane@example.com>"})]
    async with Client(server_for()) as client:
        assert (await client.call_tool("get_candidate", {"candidate_id": CANDIDATE})).is_error
        api.default = lambda request: httpx2.Response(503, json={"detail": "down"})
        assert (await client.call_tool("get_candidate", {"candidate_id": CANDIDATE})).is_error
    missing, outage = tool_lines()
    assert missing["outcome"] == "api_error" and missing["error"] == "NotFoundError" and missing["level"] == "info"
    assert missing["upstream"][0] == {**missing["upstream"][0], "status": 404, "error": "NotFoundError"}
    assert "Jane" not in json.dumps(missing) and "example.com" not in json.dumps(missing)
    assert outage["level"] == "warning" and outage["upstream"][0]["status"] == 503
    assert outage["upstream"][0]["retries"] >= 1


async def test_argument_values_and_unknown_argument_names_stay_out_of_the_line(
    api: RecordingAPI, server_for: ServerFor, tool_lines: Lines
) -> None:
    async with Client(server_for()) as client:
        await client.call_tool("find_candidates", {"query": "Jane Roe"})
        await client.call_tool("get_candidates", {"Jane Roe": "jane@example.com"})
        await client.call_tool("get_candidates", {"size": "many"})
    found, unknown, invalid = tool_lines()
    assert found["arguments"] == ["query"] and found["outcome"] == "ok"
    assert unknown["outcome"] == "invalid_arguments" and unknown["arguments"] == []
    assert unknown["unknown_arguments"] == 1 and unknown["upstream_count"] == 0
    assert invalid["outcome"] == "invalid_arguments" and invalid["error"] == "ValidationError"
    text = json.dumps(tool_lines())
    assert "Jane" not in text and "jane@" not in text and "many" not in text


async def test_a_scan_lists_the_first_exchanges_and_counts_the_rest(
    api: RecordingAPI, server_for: ServerFor, tool_lines: Lines
) -> None:
    def full_page(request: httpx2.Request) -> httpx2.Response:
        page = int(request.url.params.get("page", "1"))
        people = [
            {"id": f"00000000-0000-4000-8000-{page:06d}{n:06d}", "first_name": "Ann", "last_name": f"P{n}"}
            for n in range(100)
        ]
        return httpx2.Response(200, json={"data": people, "count": 100_000})

    api.default = full_page
    async with Client(server_for(scan_pages=14)) as client:
        await client.call_tool("find_candidates", {"query": "nobody at all"})
    (line,) = tool_lines()
    assert line["upstream_count"] == len(api.requests) > 10
    assert len(line["upstream"]) == 10 and line["upstream_omitted"] == line["upstream_count"] - 10


async def test_concurrent_tool_calls_on_one_client_keep_their_exchanges_apart(tool_lines: Lines) -> None:
    arrived = {"/v1/jobs": anyio.Event(), "/v1/candidates": anyio.Event()}

    async def both_in_flight(request: httpx2.Request) -> httpx2.Response:
        # Each request waits until the other has arrived: the two calls overlap for certain.
        mine = request.url.path
        arrived[mine].set()
        other = next(path for path in arrived if path != mine)
        with anyio.fail_after(5):
            await arrived[other].wait()
        return httpx2.Response(200, json={"data": [], "count": 0})

    server = build_server(
        Settings(api_key=API_KEY, base_url="https://api.ninjahire.test"),
        transport=httpx2.MockTransport(both_in_flight),
        retry=INSTANT_RETRY,
    )
    async with Client(server) as client, anyio.create_task_group() as group:
        group.start_soon(call, client, "get_jobs")
        group.start_soon(call, client, "get_candidates")
    lines = {line["tool"]: line for line in tool_lines()}
    assert [e["route"] for e in lines["get_jobs"]["upstream"]] == ["/v1/jobs"]
    assert [e["route"] for e in lines["get_candidates"]["upstream"]] == ["/v1/candidates"]


async def test_the_client_tells_each_observer_only_what_its_own_context_asked() -> None:
    async def answer(request: httpx2.Request) -> httpx2.Response:
        await anyio.sleep(0.01)
        return httpx2.Response(200, json={"id": APPLICATION})

    seen: dict[str, list[Exchange]] = {"a": [], "b": []}
    async with NinjahireClient(api_key=API_KEY, transport=httpx2.MockTransport(answer)) as client:

        async def ask(name: str, times: int) -> None:
            with observe_exchanges(seen[name].append):
                async with anyio.create_task_group() as group:  # tasks it starts report to it too
                    for _ in range(times):
                        group.start_soon(client.applications.get, APPLICATION)

        async with anyio.create_task_group() as group:
            group.start_soon(ask, "a", 3)
            group.start_soon(ask, "b", 2)
        await client.jobs.list(page=1, size=1)  # outside any observer: reported to nobody
    assert len(seen["a"]) == 3 and len(seen["b"]) == 2
    assert {(e.method, e.route, e.status, e.attempts) for e in seen["a"]} == {
        ("GET", "/v1/applications/{application_id}", 200, 1)
    }


@pytest.fixture
def process_logging() -> Iterator[None]:
    """configure_logging changes the whole process's logging: put it back afterwards."""
    names = ("", "httpx2", "mcp.server.sse", "sse_starlette", "uvicorn", "uvicorn.access")
    loggers = [logging.getLogger(name) for name in names]
    saved = [(lg.handlers[:], lg.filters[:], lg.level, lg.propagate) for lg in loggers]
    for uvicorn_logger in loggers[-2:]:
        # As uvicorn leaves them when told log_config=None (an in-process uvicorn may have configured them).
        uvicorn_logger.handlers[:], uvicorn_logger.propagate = [], True
    try:
        yield
    finally:
        for lg, (handlers, filters, level, propagate) in zip(loggers, saved, strict=True):
            lg.handlers[:], lg.filters[:], lg.propagate = handlers, filters, propagate
            lg.setLevel(level)


@pytest.mark.usefixtures("process_logging")
def test_other_records_are_json_too_and_exceptions_keep_their_type_but_not_their_message() -> None:
    stream = io.StringIO()
    configure_logging("DEBUG", stream)
    logging.getLogger("uvicorn.access").setLevel(logging.INFO)  # uvicorn sets it from --log-level
    logging.getLogger("somewhere").info("plain %s", "words")
    try:
        raise ValueError("jane@example.com is not valid")
    except ValueError:
        logging.getLogger("somewhere").exception("it broke")
    logging.getLogger("httpx2").info("HTTP Request: GET https://api/v1/candidates?query=Jane")  # held at WARNING
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "POST", "/messages/?session_id=abc123", "1.1", 202
    )
    plain, broke, access = (json.loads(line) for line in stream.getvalue().splitlines())
    assert plain["message"] == "plain words" and plain["level"] == "info" and plain["logger"] == "somewhere"
    assert broke["exception"]["type"] == "ValueError" and "jane" not in json.dumps(broke)
    assert "/messages/ " in access["message"] and "abc123" not in access["message"]


# ---- a whole session over stdio, scanned for anything personal -----------------------------------------

FRESH_PERSON = {
    "first_name": "Quillon",
    "last_name": "Vandermeer",
    "email": "quillon.vandermeer@example.net",
    "phone_no": "+14155550199",
}
UPDATED_PHONE = "+15205550142"
SECRET_KEY = "nh_live_s3cr3t_5d1f0a9c2b7e"


def phone_forms(phone: str) -> set[str]:
    digits = re.sub(r"\D", "", phone)
    national = digits[1:] if len(digits) == 11 and digits.startswith("1") else digits
    forms = {phone, digits, national}
    if len(national) == 10:
        area, exchange, line = national[:3], national[3:6], national[6:]
        forms |= {f"({area}) {exchange}-{line}", f"{area}-{exchange}-{line}", f"{area}.{exchange}.{line}"}
    return forms


def forbidden_texts() -> tuple[set[str], set[str]]:
    """(full names, other strings) that must not appear in the logs: every seeded person's and call's."""
    from ninjahire_mcp.sandbox.people_catalog import RECRUITERS

    emulator = create_app().state.emulator
    names, texts = set(), set()
    people = [*emulator.candidates.values(), FRESH_PERSON, {**FRESH_PERSON, "phone_no": UPDATED_PHONE}]
    for person in people:
        names.add(f"{person['first_name']} {person['last_name']}")
        texts.add(person["email"])
        texts |= phone_forms(person["phone_no"])
    for name, email, phone in RECRUITERS:
        names.add(name)
        texts.add(email)
        texts |= phone_forms(phone)
    for record in emulator.calls.values():
        transcript = emulator.render_call(record).get("transcript") or ""
        for line in transcript.splitlines():
            spoken = line.partition(": ")[2].strip()
            if len(spoken) >= 25:
                texts.add(spoken)
    return names, texts


async def full_session(client: Client, tag: str) -> None:
    """Every read tool and the main workflows, over the seeded data."""
    jobs = records(await call(client, "get_jobs", size=100))
    job = next(j for j in jobs if j["title"] == "LLM Engineer")
    candidates = records(await call(client, "get_candidates", size=100))
    await call(client, "get_candidates", page=2, size=20)
    await call(client, "get_job", job_id=job["id"])
    applications = records(await call(client, "get_applications", job_id=job["id"], size=100))
    completed = next(a for a in applications if a["screening_status"] == "completed")
    await call(client, "get_application", application_id=completed["id"])
    await call(client, "get_candidate", candidate_id=candidates[0]["id"])
    results = records(await call(client, "get_screening_results", application_id=completed["id"], page=1, size=5))
    await call(client, "get_screening_results", job_id=job["id"], page=2, size=5)
    call_id = results[0]["call_id"]
    await call(client, "get_call", call_id=call_id, include_transcript=True)
    await call(client, "rank_applicants", job_id=job["id"])
    await call(client, "screening_funnel", job_id=job["id"])
    await call(client, "find_jobs", query="engineer")
    named = f"{candidates[1]['first_name']} {candidates[1]['last_name']}"
    await call(client, "find_candidates", query=named)
    await call(client, "find_candidates", query=candidates[2]["email"])
    await call(client, "get_questions", job_id=job["id"])
    await call(client, "get_job_scheduling", job_id=job["id"])
    for uri in (
        f"ninjahire://calls/{call_id}/transcript",
        f"ninjahire://applications/{completed['id']}",
        f"ninjahire://calls/{call_id}",
        f"ninjahire://jobs/{job['id']}",
    ):
        await client.read_resource(uri)
    await call(client, "update_candidate", candidate_id=candidates[3]["id"], city="Tucson", phone_no=UPDATED_PHONE)
    await call(client, "create_candidate", source="Referral", source_id=f"CAND-LOGS-{tag}", **FRESH_PERSON)
    created = await call(
        client,
        "create_application",
        candidate_source_id=f"CAND-LOGS-{tag}",
        job_source_id=job["source_id"],
        source_application_status="Applied",
        application_stage="ACTIVE",
    )
    placed = await call(client, "instant_call", application_id=created["id"])
    assert placed
    missing = await client.call_tool("get_candidate", {"candidate_id": "00000000-0000-4000-8000-000000000000"})
    assert missing.is_error
    await client.call_tool(
        "create_candidate", {**FRESH_PERSON, "email": "not-an-email", "source": "x", "source_id": "y"}
    )


def scan(log: str, key: str | None) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in log.splitlines()]  # every line is one JSON object
    names, texts = forbidden_texts()
    if key:
        assert key not in log
    for name in names:
        assert not re.search(rf"\b{re.escape(name)}\b", log), f"a seeded name is in the logs: {name}"
    for text in texts:
        assert text not in log, f"seeded personal data is in the logs: {text}"
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", log), "an email address is in the logs"
    return lines


def test_the_scan_catches_each_kind_of_leak() -> None:
    from ninjahire_mcp.sandbox.people_catalog import RECRUITERS

    person = next(iter(create_app().state.emulator.candidates.values()))
    national = re.sub(r"\D", "", person["phone_no"])[1:]
    line = {"message": "x"}
    for leak in (
        f"{person['first_name']} {person['last_name']}",
        person["email"].upper().lower(),
        f"({national[:3]}) {national[3:6]}-{national[6:]}",
        RECRUITERS[0][0],
        SECRET_KEY,
    ):
        with pytest.raises(AssertionError):
            scan(json.dumps({**line, "message": f"about {leak}."}) + "\n", SECRET_KEY)
    with pytest.raises(ValueError):
        scan("not json\n", None)
    scan(json.dumps(line) + "\n", SECRET_KEY)


@contextmanager
def sse_server(env: dict[str, str], errlog: Path) -> Iterator[str]:
    """The MCP server over SSE in a child process whose stderr goes to a file (a pipe nobody reads fills up)."""
    port = free_port()
    argv = [SCRIPT, "--transport", "sse", "--port", str(port), "--no-confirm"]
    with errlog.open("w") as err:
        process = subprocess.Popen(argv, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=err)
    try:
        started = time.monotonic()
        # At DEBUG, uvicorn says when it listens.
        while "Uvicorn running on" not in errlog.read_text():
            assert process.poll() is None and time.monotonic() - started < 30, errlog.read_text()
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=15)


@pytest.mark.subprocess
@pytest.mark.parametrize("mode", ["stdio-sandbox", "stdio-live", "sse-live"])
async def test_a_full_session_logs_no_key_no_names_no_emails_no_phones_no_transcript(mode: str, tmp_path: Path) -> None:
    errlog = tmp_path / "server.err"
    key = None
    if mode == "stdio-sandbox":
        params = StdioServerParameters(command=SCRIPT, args=["--sandbox", "--no-confirm", "--log-level", "DEBUG"])
        with errlog.open("w") as err:
            async with Client(stdio_client(params, errlog=err)) as client:
                await full_session(client, mode)
    else:
        # A real secret flows: the server holds a key and sends it to the emulator on loopback (any key is let in).
        key = SECRET_KEY
        with serving(create_app(call_duration=0.5)) as api_url:
            env = {"NINJAHIRE_API_KEY": key, "NINJAHIRE_BASE_URL": api_url, "NINJAHIRE_LOG_LEVEL": "DEBUG"}
            if mode == "stdio-live":
                params = stdio_params(api_url, "--no-confirm", **env)
                with errlog.open("w") as err:
                    async with Client(stdio_client(params, errlog=err)) as client:
                        await full_session(client, mode)
            else:
                with sse_server(env, errlog) as url:
                    async with Client(sse_client(f"{url}/sse")) as client:
                        await full_session(client, mode)
    log = errlog.read_text()
    lines = scan(log, key)
    tool_calls = [line for line in lines if line.get("event") == "tool_call"]
    assert len(tool_calls) == 23  # one per call that full_session makes
    assert {line["tool"] for line in tool_calls} >= {"get_call", "rank_applicants", "instant_call", "update_candidate"}
    assert any(line["logger"].startswith("mcp") for line in lines)  # DEBUG did log more than our own lines
    routes = {e["route"] for line in tool_calls for e in line["upstream"]}
    assert "/v1/candidates/{candidate_id}" in routes and all("{" in r or r.count("/") <= 2 for r in routes)
    if mode == "sse-live":
        access = [line["message"] for line in lines if line["logger"] == "uvicorn.access"]
        assert any("POST /messages/ " in message for message in access)
        assert not any("session_id" in message for message in access)


async def test_a_call_the_client_cancels_logs_one_info_line_saying_so(tool_lines: Lines) -> None:
    arrived = anyio.Event()

    async def never_answers(request: httpx2.Request) -> httpx2.Response:
        arrived.set()
        await anyio.sleep(60)
        return httpx2.Response(200, json={})

    server = build_server(
        Settings(api_key=API_KEY, base_url="https://api.ninjahire.test"), transport=httpx2.MockTransport(never_answers)
    )
    async with Client(server) as client:
        with anyio.fail_after(10):
            async with anyio.create_task_group() as group:
                group.start_soon(client.call_tool, "get_jobs", {})
                await arrived.wait()
                group.cancel_scope.cancel()
            while not tool_lines():
                await anyio.sleep(0.01)
    (line,) = tool_lines()
    # The person gave up; nothing is wrong with the API, so no warning for the operator.
    assert line["outcome"] == "cancelled" and line["level"] == "info"
    assert line["upstream"][0]["status"] is None
