"""The console script over real stdio, against the emulator served over HTTP on loopback."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client

from ..support.api import records
from ..support.serving import emulator_process, stdio_params

SCRIPT = str(Path(sys.executable).parent / "ninjahire-mcp")
pytestmark = pytest.mark.subprocess


@pytest.fixture(scope="module")
def emulator_url() -> Iterator[str]:
    with emulator_process("--call-duration", "0.5") as url:
        yield url


def server_params(url: str, **env: str) -> StdioServerParameters:
    return stdio_params(url, **env)


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_stdio_server_answers_from_the_api_it_is_pointed_at(emulator_url: str, mode: str, tmp_path: Path) -> None:
    errlog = (tmp_path / "server.err").open("w+")
    # DEBUG logging, the most talkative: even then the key must not appear on stderr.
    params = server_params(emulator_url, NINJAHIRE_LOG_LEVEL="DEBUG")
    async with Client(stdio_client(params, errlog=errlog), mode=mode) as client:
        assert client.server_info is not None and client.server_info.name == "ninjahire"
        assert "page starts at 1" in (client.instructions or "")
        assert "SANDBOX" not in (client.instructions or "")  # a live-mode server, even though the API is emulated
        tools = (await client.list_tools()).tools
        assert len(tools) == 34  # the default toolsets (all but webhooks and research), and the views' 3 app-only

        jobs = json.loads((await client.call_tool("get_jobs", {"size": 100})).content[0].text)
        llm = next(job for job in records(jobs) if job["title"] == "LLM Engineer")
        applications = await client.call_tool("get_applications", {"job_id": llm["id"], "size": 100})
        completed = [
            a for a in records(json.loads(applications.content[0].text)) if a["screening_status"] == "completed"
        ]
        results = await client.call_tool("get_screening_results", {"application_id": completed[0]["id"]})
        calls = records(json.loads(results.content[0].text))
        assert calls and all(call["application_id"] == completed[0]["id"] for call in calls)
        assert all("transcript" not in call and "questions_response" not in call for call in calls)  # reports

        missing = await client.call_tool("get_job", {"job_id": "00000000-0000-4000-8000-000000000000"})
        assert missing.is_error and "HTTP 404" in missing.content[0].text

    errlog.seek(0)
    log = errlog.read()
    assert '"level":"debug"' in log  # the debug log did run
    assert "httpcore2" not in log  # the transport's chatter is held above DEBUG: it would echo headers
    assert "sandbox-key" not in log


async def test_an_api_error_over_stdio_is_a_tool_error_and_the_key_never_leaks(
    emulator_url: str, tmp_path: Path
) -> None:
    # A base URL with a wrong prefix: every request meets the emulator's 404 for unknown routes.
    params = server_params(emulator_url + "/nowhere", NINJAHIRE_API_KEY="nh_secret_key_123")
    errlog = (tmp_path / "server.err").open("w+")
    async with Client(stdio_client(params, errlog=errlog)) as client:
        result = await client.call_tool("get_jobs", {})
    assert result.is_error and "HTTP 404" in result.content[0].text
    assert "nh_secret_key_123" not in result.content[0].text
    errlog.seek(0)
    assert "nh_secret_key_123" not in errlog.read()
