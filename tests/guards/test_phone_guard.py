"""The phone-call guard answers "may I phone?" once per request: what an elicitation round costs the API.

Counted on the emulator's own request log, for one confirmed instant_call: the checks (is a call in
progress? GET /v1/calls) run once per request, and again only after a person was asked inside the
request (2025 era), right before the call; the preview (application, job, schedule, scheduling) is
read once, even when a 2026-era exchange asks its question again on its second round.
"""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.types import ElicitResult

from ninjahire_mcp.config import Settings
from ninjahire_mcp.sandbox import create_app
from ninjahire_mcp.server import build_server

from ..support.api import APPLICATION, call, records


def _route(path: str) -> str:
    parts = path.strip("/").split("/")
    # /v1/jobs/<id>/scheduling -> jobs/{}/scheduling: one name per endpoint, ids left out
    return "/".join("{}" if len(part) == 36 else part for part in parts[1:])


@pytest.mark.parametrize(
    ("mode", "checks"),
    [
        ("auto", 2),  # 2026 era: one check on each of the two rounds (the answer comes with the second)
        ("legacy", 2),  # 2025 era: one check before asking, one after the person answered
    ],
)
async def test_a_confirmed_call_reads_the_checks_once_per_request_and_the_preview_once(mode: str, checks: int) -> None:
    emulator = create_app(call_duration=60, clock=lambda: 0.0)
    asked: list[str] = []

    async def say_yes(_ctx: Any, params: Any) -> ElicitResult:
        asked.append(params.message)
        return ElicitResult(action="accept", content={"confirm": True})

    server = build_server(Settings(sandbox=True), transport=httpx2.ASGITransport(app=emulator))
    log = emulator.state.emulator.request_log
    async with Client(server, mode=mode, elicitation_callback=say_yes) as client:
        applications = records(await call(client, "get_applications", size=100))
        pending = next(a for a in applications if a["screening_status"] == "pending")
        before = len(log)
        started = await call(client, "instant_call", application_id=pending["id"])
    sent = Counter(f"{r.method} {_route(r.path)}" for r in log[before:])
    assert started["call_id"] and len(asked) == 1
    assert sent == {
        "GET calls": checks,
        "GET applications/{}": 1,
        "GET jobs/{}": 1,
        "GET jobs/{}/schedule-setting": 1,
        "GET jobs/{}/scheduling": 1,
        "POST applications/{}/instant-call": 1,
    }


class PermissiveAPI:
    """An API that never refuses a second call for one application (as some do): it lists a placed call as
    in progress, and can be told to answer the next instant calls with an error status instead."""

    def __init__(self) -> None:
        self.placed: list[str] = []
        self.failures: list[int] = []
        self.hang = False  # the next instant calls get no answer at all

    async def __call__(self, request: httpx2.Request) -> httpx2.Response:
        if request.method == "POST":
            await anyio.sleep(3600 if self.hang else 0.05)  # long enough for concurrent checks to overlap
            if self.failures:
                return httpx2.Response(self.failures.pop(0), json={"message": "not carried out"})
            application = request.url.path.split("/")[3]
            self.placed.append(application)
            return httpx2.Response(200, json={"status": "initiated", "call_id": str(uuid.uuid4())})
        wanted = request.url.params.get("application_id", "").lower()
        live = [
            {"call_id": "c", "application_id": wanted, "call_status": "call_in_progress"}
            for placed in self.placed
            if placed.lower() == wanted
        ]
        return httpx2.Response(200, json={"data": live, "count": len(live)})


def permissive_server(api: PermissiveAPI, **settings: Any) -> Any:
    return build_server(
        Settings(api_key="k", base_url="https://api.ninjahire.test", confirm=False, **settings),
        transport=httpx2.MockTransport(api),
    )


async def test_concurrent_forced_calls_for_one_application_place_one() -> None:
    api = PermissiveAPI()
    results: list[Any] = []
    async with Client(permissive_server(api)) as client:

        async def place() -> None:
            results.append(await client.call_tool("instant_call", {"application_id": APPLICATION, "force": True}))

        async with anyio.create_task_group() as group:
            for _ in range(3):
                group.start_soon(place)
    assert api.placed == [APPLICATION]
    refused = [r for r in results if r.is_error]
    assert len(refused) == 2 and all("already in progress" in r.content[0].text for r in refused)


@pytest.mark.parametrize("status", [404, 429])
async def test_an_attempt_the_api_did_not_carry_out_is_not_counted(status: int) -> None:
    api = PermissiveAPI()
    api.failures.append(status)
    async with Client(permissive_server(api, max_calls_per_day=1)) as client:
        failed = await client.call_tool("instant_call", {"application_id": APPLICATION})
        retried = await client.call_tool("instant_call", {"application_id": APPLICATION})
    assert failed.is_error and retried.is_error is False, retried.content[0].text  # no "phoned 0 min ago"
    assert api.placed == [APPLICATION]  # and the budget of one was still there for the retry


async def test_an_attempt_whose_outcome_is_unknown_stays_counted() -> None:
    api = PermissiveAPI()
    api.failures.append(503)
    async with Client(permissive_server(api)) as client:
        failed = await client.call_tool("instant_call", {"application_id": APPLICATION})
        again = await client.call_tool("instant_call", {"application_id": APPLICATION})
    assert failed.is_error and "OUTCOME UNKNOWN" in failed.content[0].text
    assert again.is_error and "never learnt whether the call was placed" in again.content[0].text
    assert "get_screening_results(application_id=...) first" in again.content[0].text
    assert api.placed == []


async def test_a_call_cancelled_while_its_request_is_in_flight_is_not_placed_again_blindly() -> None:
    api = PermissiveAPI()
    api.hang = True
    async with Client(permissive_server(api)) as client:
        with anyio.move_on_after(0.5):
            await client.call_tool("instant_call", {"application_id": APPLICATION})
        api.hang = False
        again = await client.call_tool("instant_call", {"application_id": APPLICATION})
    assert again.is_error and "never learnt whether the call was placed" in again.content[0].text
    assert "cancelled" in again.content[0].text


async def test_an_application_id_in_capitals_is_the_same_application() -> None:
    api = PermissiveAPI()
    async with Client(permissive_server(api)) as client:
        first = await client.call_tool("instant_call", {"application_id": APPLICATION})
        api.placed.clear()  # the API forgets the call: only the server's own memory is left to refuse
        again = await client.call_tool("instant_call", {"application_id": APPLICATION.upper()})
    assert not first.is_error
    assert again.is_error and "phoned this candidate 0 min ago" in again.content[0].text
