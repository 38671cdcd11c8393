"""Other people's MCP clients, from the registries, drive the server as a host would: the Python SDK 1.x
client (the one most hosts and frameworks still embed) over stdio and over streamable HTTP.

The client runs in its own virtualenv (made once per test session from PyPI), as a separate program:
nothing of this project's SDK 2 is shared with it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ..support.serving import SCRIPT, server_process

pytestmark = pytest.mark.subprocess

CLIENT_1X = "mcp>=1.20,<2"
# One session as an agent would have it: list the tools, read, search across calls, make a mistake.
SESSION = r"""
import asyncio, json, sys
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamablehttp_client

async def session(read, write):
    async with ClientSession(read, write) as client:
        init = await client.initialize()
        tools = (await client.list_tools()).tools
        jobs = await client.call_tool("get_jobs", {"size": 3})
        found = await client.call_tool("search_screening", {"query": "nights", "limit": 3})
        wrong = await client.call_tool("get_job", {"job_id": "JOB-1001"})
        return {
            "server": init.serverInfo.name,
            "version": init.protocolVersion,
            "tools": sorted(tool.name for tool in tools),
            "jobs": json.loads(jobs.content[0].text),
            "found": json.loads(found.content[0].text),
            "wrong": [wrong.isError, wrong.content[0].text],
        }

async def main():
    if sys.argv[1] == "stdio":
        params = StdioServerParameters(command=sys.argv[2], args=["--sandbox"])
        async with stdio_client(params) as (read, write):
            print(json.dumps(await session(read, write)))
    else:
        async with streamablehttp_client(sys.argv[2]) as (read, write, _session_id):
            print(json.dumps(await session(read, write)))

asyncio.run(main())
"""


@pytest.fixture(scope="session")
def client_1x(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtualenv with the Python SDK 1.x from PyPI, and the session script; its python."""
    folder = tmp_path_factory.mktemp("mcp1x")
    subprocess.run([sys.executable, "-m", "venv", str(folder / "venv")], check=True, timeout=120)
    python = folder / "venv" / "bin" / "python"
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", CLIENT_1X],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert installed.returncode == 0, installed.stderr
    (folder / "session.py").write_text(SESSION)
    return python


def run_session(python: Path, *args: str) -> dict[str, object]:
    done = subprocess.run(
        [str(python), str(python.parent.parent.parent / "session.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def check(session: dict[str, object]) -> None:
    assert session["server"] == "ninjahire"
    tools = session["tools"]
    assert isinstance(tools, list) and len(tools) == 34 and "search_screening" in tools  # 31, and the views' 3 app-only
    jobs = session["jobs"]
    assert isinstance(jobs, dict) and jobs["count"] == 7 and len(jobs["rows"]) == 3
    found = session["found"]
    assert isinstance(found, dict) and found["total_matches"] > 0 and found["rows"]
    wrong = session["wrong"]
    assert isinstance(wrong, list) and wrong[0] is True and "get_jobs(source_id='JOB-1001')" in wrong[1]


def test_the_python_sdk_1x_client_over_stdio(client_1x: Path) -> None:
    check(run_session(client_1x, "stdio", SCRIPT))


def test_the_python_sdk_1x_client_over_streamable_http(client_1x: Path) -> None:
    with server_process("--sandbox") as (_process, url):
        session = run_session(client_1x, "http", f"{url}/mcp")
    check(session)


def test_the_1x_client_and_the_server_agree_on_its_newest_protocol(client_1x: Path) -> None:
    # The handshake's answer is the newest version the 1.x client offers: nothing is downgraded.
    newest = subprocess.run(
        [str(client_1x), "-c", "from mcp.types import LATEST_PROTOCOL_VERSION as v; print(v)"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()
    assert run_session(client_1x, "stdio", SCRIPT)["version"] == newest
