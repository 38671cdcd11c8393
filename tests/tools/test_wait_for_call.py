"""wait_for_call through the MCP client: polls with backoff on a fake clock, reports progress in both
eras, returns the report when the call ends and a plain "still in progress" at its deadline. One wait
never outlasts NINJAHIRE_WAIT_LIMIT (45 s by default; hosts end a tool call after about 60 s), and
each ends with the exact call to make next, so a call of any length is followed in short waits."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client

from ninjahire_mcp.config import ConfigError, Settings
from ninjahire_mcp.sandbox import create_app
from ninjahire_mcp.server import build_server
from ninjahire_mcp.toolkit import Timing

from ..support.api import CALL, RecordingAPI, call, records
from ..support.clock import Clock
from ..support.sandbox import llm_job

MODES = ["auto", "legacy"]
CALL_DURATION = 60.0
NEXT_CALL = re.compile(r"wait_for_call\(call_id='([^']+)'\)")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def slept() -> list[float]:
    """Every sleep of the poller (see `timing`)."""
    return []


@pytest.fixture
def timing(clock: Clock, slept: list[float]) -> Timing:
    """The server's clocks: each sleep is taken on the fake clock the sandbox also reads, in no real time."""

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.now += seconds

    return Timing(monotonic=clock, sleep=fake_sleep)


@pytest.fixture
def sandbox_client(clock: Clock, timing: Timing) -> Callable[..., Client]:
    def connect(mode: str, *, call_duration: float = CALL_DURATION, **settings: Any) -> Client:
        emulator = httpx2.ASGITransport(app=create_app(call_duration=call_duration, clock=clock))
        server = build_server(Settings(sandbox=True, confirm=False, **settings), transport=emulator, timing=timing)
        return Client(server, mode=mode)

    return connect


async def start_call(client: Client) -> str:
    job = await llm_job(client)
    applications = await call(client, "get_applications", job_id=job["id"], size=100)
    pending = next(a for a in records(applications) if a["screening_status"] == "pending")
    started = await call(client, "instant_call", application_id=pending["id"])
    return str(started["call_id"])


class Progress:
    def __init__(self) -> None:
        self.seen: list[tuple[float, float | None, str | None]] = []

    async def __call__(self, progress: float, total: float | None, message: str | None) -> None:
        self.seen.append((progress, total, message))


@pytest.mark.parametrize("mode", MODES)
async def test_waits_with_backoff_and_progress_then_returns_the_report(
    slept: list[float], sandbox_client: Callable[..., Client], mode: str
) -> None:
    progress = Progress()
    async with sandbox_client(mode, wait_limit=300) as client:  # a host that waits five minutes
        call_id = await start_call(client)
        result = await client.call_tool(
            "wait_for_call", {"call_id": call_id, "timeout_s": 300}, progress_callback=progress
        )
    report = json.loads(result.content[0].text)
    assert not result.is_error
    assert "call_id" not in report and report["call_status"] in ("call_completed", "call_failed")
    assert "next" not in report and "transcript" not in report

    assert slept == [2.0, 3.0, 4.5, 6.75, 10.125, 15.0, 15.0, 15.0]  # 2 s growing to 15 s
    assert sum(slept) >= CALL_DURATION
    assert len(progress.seen) == len(slept)  # one notification before each wait
    assert [p for p, _, _ in progress.seen] == sorted(p for p, _, _ in progress.seen)
    assert {total for _, total, _ in progress.seen} == {300}
    assert progress.seen[-1][2] == "call in progress, waited 56s"


@pytest.mark.parametrize("mode", MODES)
async def test_at_the_deadline_it_says_still_in_progress_without_an_error(
    clock: Clock, slept: list[float], sandbox_client: Callable[..., Client], mode: str
) -> None:
    progress = Progress()
    async with sandbox_client(mode) as client:
        call_id = await start_call(client)
        started = clock.now
        result = await client.call_tool(
            "wait_for_call", {"call_id": call_id, "timeout_s": 20}, progress_callback=progress
        )
    report = json.loads(result.content[0].text)
    assert not result.is_error
    assert report["call_status"] == "call_in_progress"
    assert report["next"] == f"still in progress after 19s: call wait_for_call(call_id='{call_id}') again"
    assert clock.now - started <= 20  # never past timeout_s
    assert slept == [2.0, 3.0, 4.5, 6.75, 2.75]  # the last sleep is cut to leave time for a last check
    assert progress.seen and all(total == 20 for _, total, _ in progress.seen)


async def test_a_call_that_has_ended_returns_at_once(slept: list[float], sandbox_client: Callable[..., Client]) -> None:
    async with sandbox_client("auto") as client:
        job = await llm_job(client)
        done = await call(client, "get_screening_results", job_id=job["id"], size=1)
        call_id = records(done)[0]["call_id"]
        report = await call(client, "wait_for_call", call_id=call_id)
    assert report == {k: v for k, v in records(done)[0].items() if k != "call_id"}  # as get_call shows it
    assert slept == []


async def test_without_a_progress_token_it_still_waits(
    slept: list[float], sandbox_client: Callable[..., Client]
) -> None:
    async with sandbox_client("legacy", wait_limit=120) as client:
        call_id = await start_call(client)
        report = await call(client, "wait_for_call", call_id=call_id)
    assert report["call_status"] != "call_in_progress" and len(slept) == 8


def hanging_api_server(**settings: Any) -> Any:
    """A server whose API takes 30 s to answer anything: longer than any wait in these tests."""

    async def hang(_request: httpx2.Request) -> httpx2.Response:
        await anyio.sleep(30)
        return httpx2.Response(200, json={})

    configured = Settings(api_key="k", base_url="https://api.ninjahire.test", timeout=60, **settings)
    return build_server(configured, transport=httpx2.MockTransport(hang))


async def test_an_api_that_hangs_cannot_hold_the_agent_past_the_timeout(
    server_for: Callable[..., Any], api: RecordingAPI
) -> None:
    server = hanging_api_server()
    started = time.monotonic()
    async with Client(server) as client:
        result = await client.call_tool("wait_for_call", {"call_id": CALL, "timeout_s": 1})
    assert time.monotonic() - started < 5
    report = json.loads(result.content[0].text)
    assert not result.is_error and report["call_id"] == CALL
    assert report["next"].startswith("no answer from Ninjahire within 1s")


async def test_an_unknown_call_is_an_error_at_once(
    server_for: Callable[..., Any], api: RecordingAPI, timing: Timing, slept: list[float]
) -> None:
    api.default = lambda _request: httpx2.Response(404, json={"message": "not found"})
    async with Client(server_for(timing=timing)) as client:
        result = await client.call_tool("wait_for_call", {"call_id": CALL})
    assert result.is_error and "Not found (HTTP 404" in result.content[0].text
    assert slept == [] and len(api.requests) == 1


@pytest.mark.parametrize("timeout_s", [0, 601])
async def test_the_timeout_is_bounded(server_for: Callable[..., Any], api: RecordingAPI, timeout_s: int) -> None:
    async with Client(server_for()) as client:
        result = await client.call_tool("wait_for_call", {"call_id": CALL, "timeout_s": timeout_s})
    assert result.is_error and "timeout_s" in result.content[0].text
    assert api.requests == []


# ---- one wait within the host's limit: NINJAHIRE_WAIT_LIMIT ------------------------------------------------------


def next_call(report: dict[str, Any]) -> str:
    """The call_id of the exact call `next` says to make."""
    found = NEXT_CALL.search(report["next"])
    assert found, report["next"]
    return found.group(1)


@pytest.mark.parametrize("mode", MODES)
async def test_by_default_one_wait_ends_within_45_s_with_the_state_and_the_next_call(
    clock: Clock, sandbox_client: Callable[..., Client], mode: str
) -> None:
    progress = Progress()
    async with sandbox_client(mode) as client:  # the call lasts 60 s: longer than one wait
        call_id = await start_call(client)
        started = clock.now
        result = await client.call_tool("wait_for_call", {"call_id": call_id}, progress_callback=progress)
        waited = clock.now - started
        report = json.loads(result.content[0].text)
        assert not result.is_error and waited <= 45
        assert report["call_status"] == "call_in_progress"
        assert list(report)[-1] == "next"  # the state first, then what to do
        assert report["next"] == f"still in progress after 44s: call wait_for_call(call_id='{call_id}') again"
        assert progress.seen and {total for _, total, _ in progress.seen} == {45}

        ended = await call(client, "wait_for_call", call_id=next_call(report))  # exactly the call it names
    assert ended["call_status"] in ("call_completed", "call_failed") and "next" not in ended


@pytest.mark.parametrize("mode", MODES)
async def test_an_agent_follows_a_long_call_in_short_waits(
    clock: Clock, sandbox_client: Callable[..., Client], mode: str
) -> None:
    waits: list[float] = []
    async with sandbox_client(mode, call_duration=600.0) as client:  # ten minutes on the phone
        call_id = await start_call(client)
        report: dict[str, Any] = {"next": f"wait_for_call(call_id='{call_id}')"}
        while "next" in report:
            started = clock.now
            report = await call(client, "wait_for_call", call_id=next_call(report))
            waits.append(clock.now - started)
            assert len(waits) <= 20, report
    assert report["call_status"] in ("call_completed", "call_failed")
    assert max(waits) <= 45 and len(waits) == 14  # 13 waits of 44 s, then the one that sees it end


@pytest.mark.parametrize("mode", MODES)
async def test_the_setting_sets_the_bound(clock: Clock, sandbox_client: Callable[..., Client], mode: str) -> None:
    progress = Progress()
    async with sandbox_client(mode, wait_limit=10) as client:
        call_id = await start_call(client)
        started = clock.now
        result = await client.call_tool("wait_for_call", {"call_id": call_id}, progress_callback=progress)
        waited = clock.now - started
    report = json.loads(result.content[0].text)
    assert waited <= 10 and report["call_status"] == "call_in_progress"
    assert report["next"] == f"still in progress after 9s: call wait_for_call(call_id='{call_id}') again"
    assert {total for _, total, _ in progress.seen} == {10}


@pytest.mark.parametrize("mode", MODES)
async def test_a_longer_timeout_s_is_cut_to_the_limit_and_the_result_says_so(
    clock: Clock, sandbox_client: Callable[..., Client], mode: str
) -> None:
    async with sandbox_client(mode) as client:
        call_id = await start_call(client)
        started = clock.now
        report = await call(client, "wait_for_call", call_id=call_id, timeout_s=300)
        waited = clock.now - started
    assert waited <= 45 and report["call_status"] == "call_in_progress"
    assert report["next"] == (
        "still in progress after 44s (one wait lasts at most 45s: NINJAHIRE_WAIT_LIMIT): "
        f"call wait_for_call(call_id='{call_id}') again"
    )


async def test_an_api_that_hangs_is_given_up_at_the_limit_too(
    server_for: Callable[..., Any], api: RecordingAPI
) -> None:
    server = hanging_api_server(wait_limit=1)
    async with Client(server) as client:
        report = await call(client, "wait_for_call", call_id=CALL, timeout_s=300)
    assert report == {
        "call_id": CALL,
        "next": "no answer from Ninjahire within 1s (one wait lasts at most 1s: NINJAHIRE_WAIT_LIMIT): "
        f"call wait_for_call(call_id='{CALL}') again",
    }


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("limit", "says"), [(None, "45s"), (20.0, "20s"), (7.5, "7.5s")])
async def test_instant_call_names_the_next_call_and_how_long_it_waits(
    sandbox_client: Callable[..., Client], mode: str, limit: float | None, says: str
) -> None:
    settings = {} if limit is None else {"wait_limit": limit}
    async with sandbox_client(mode, **settings) as client:
        job = await llm_job(client)
        applications = await call(client, "get_applications", job_id=job["id"], size=100)
        pending = next(a for a in records(applications) if a["screening_status"] == "pending")
        started = await call(client, "instant_call", application_id=pending["id"])
    assert started["next"] == (
        f"wait_for_call(call_id='{started['call_id']}') returns its report when the call ends, or within {says}: "
        "call it again while in progress"
    )


@pytest.mark.parametrize("text", ["0", "0.5", "601", "soon", "nan"])
def test_a_wait_limit_out_of_range_is_refused_naming_the_variable(text: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"NINJAHIRE_WAIT_LIMIT": text})
    assert str(caught.value) == (
        f"NINJAHIRE_WAIT_LIMIT must be a number of seconds from 1 to 600, got {text!r}: keep it under the tool-call "
        "limit of your MCP host (about 60 s for Claude Desktop), e.g. NINJAHIRE_WAIT_LIMIT=45."
    )
    assert Settings.from_env({"NINJAHIRE_WAIT_LIMIT": "600"}).wait_limit == 600
