"""The guards outlive the process: a restarted server, or a host that starts a fresh stdio server for every
tool call (langchain-mcp-adapters, llama-index), still refuses a repeat call, keeps the day's budget, and
redeems a confirm token once, whichever process issued it.

Each process is the console script over real stdio in live mode, against the emulator as the API; they
share the test's own data folder, as the processes of one installation share the user's.
"""

from __future__ import annotations

import stat
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from mcp.client.stdio import stdio_client

from ..support.api import call, records
from ..support.serving import emulator_process, stdio_params

pytestmark = pytest.mark.subprocess


@pytest.fixture(scope="module")
def emulator_url() -> Iterator[str]:
    # Calls end within 0.2 s: a later process finds none in progress, so only the ledger can refuse it.
    with emulator_process("--call-duration", "0.2") as url:
        yield url


@asynccontextmanager
async def server(url: str, **env: str) -> AsyncIterator[Client]:
    """One server process, as a host that starts one per tool call would; no elicitation, so previews."""
    params = stdio_params(url, **env)
    async with Client(stdio_client(params)) as client:
        yield client


async def pending_applications(client: Client) -> list[str]:
    applications = records(await call(client, "get_applications", size=100))
    return [a["id"] for a in applications if a["screening_status"] == "pending"]


async def preview_token(client: Client, application_id: str, **arguments: Any) -> str:
    preview = await client.call_tool("instant_call", {"application_id": application_id, **arguments})
    assert not preview.is_error and preview.structured_content is not None, preview.content[0].text
    token = preview.structured_content["confirm_token"]
    assert isinstance(token, str)
    return token


async def test_a_restarted_server_still_refuses_a_repeat_call_and_keeps_the_days_budget(
    emulator_url: str, own_data_folder: Path
) -> None:
    budget = {"NINJAHIRE_MAX_CALLS_PER_DAY": "1"}
    async with server(emulator_url, **budget) as first:
        dana, other = (await pending_applications(first))[:2]
        token = await preview_token(first, dana)
        placed = await call(first, "instant_call", application_id=dana, confirm_token=token)
        assert placed["call_id"]

    async with server(emulator_url) as restarted:
        again = await restarted.call_tool("instant_call", {"application_id": dana})
    assert again.is_error and "phoned this candidate 0 min ago" in again.content[0].text

    async with server(emulator_url, **budget) as restarted_with_budget:
        forced = await restarted_with_budget.call_tool("instant_call", {"application_id": dana, "force": True})
        elsewhere = await restarted_with_budget.call_tool("instant_call", {"application_id": other})
    for refused in (forced, elsewhere):  # the one call of the day was spent by the first process
        assert refused.is_error and "daily call budget (1 calls per UTC day" in refused.content[0].text

    journal = own_data_folder / "ninjahire-mcp" / "guards.sqlite3"
    assert stat.S_IMODE(journal.stat().st_mode) == 0o600  # who was phoned, and the token signing key
    assert "sandbox-key" not in journal.read_bytes().decode("latin-1")  # tenants are kept as hashes


async def test_a_token_issued_by_one_process_is_redeemed_by_the_next_once(emulator_url: str) -> None:
    # force=true (the user asked for a second call within the hour): only the spent token stops a replay.
    forced = {"force": True}
    async with server(emulator_url) as previewing:
        application = (await pending_applications(previewing))[2]
        token = await preview_token(previewing, application, **forced)

    async with server(emulator_url) as confirming:
        placed = await call(confirming, "instant_call", application_id=application, confirm_token=token, **forced)
    assert placed["call_id"]

    async with server(emulator_url) as replaying:
        replayed = await replaying.call_tool(
            "instant_call", {"application_id": application, "confirm_token": token, **forced}
        )
    assert replayed.is_error and "it was already used" in replayed.content[0].text


async def test_a_token_from_elsewhere_is_refused_saying_what_happened(emulator_url: str, tmp_path: Path) -> None:
    async with server(emulator_url) as previewing:
        application = (await pending_applications(previewing))[3]
        token = await preview_token(previewing, application)

    # Another installation: its own guards' file, so its own signing key.
    async with server(emulator_url, NINJAHIRE_GUARD_DB=str(tmp_path / "elsewhere.sqlite3")) as elsewhere:
        refused = await elsewhere.call_tool("instant_call", {"application_id": application, "confirm_token": token})
    text = refused.content[0].text
    assert refused.is_error and "signature is not this installation's" in text and "NINJAHIRE_GUARD_DB" in text
    assert "without confirm_token for a fresh preview" in text  # what to do next
