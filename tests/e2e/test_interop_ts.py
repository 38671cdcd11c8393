"""The TypeScript SDK's clients, from npm, drive the server as a TypeScript host would, over stdio and over
streamable HTTP: @modelcontextprotocol/sdk 1.x (what most TypeScript hosts embed today) and its successor
@modelcontextprotocol/client 2.x, both on the 2025 handshake and pinned to the 2026-07-28 revision.

The TypeScript SDK validates every result with its own schemas (zod) and compiles each tool's outputSchema
(AJV) to check structured content, stricter than the Python SDK in places: a tool list, an annotation or a
result it rejects fails the session here, which is the regression this catches.

The clients are installed once per test session with `npm ci` from tests/e2e/ts_client/package-lock.json
(exact versions), into a copy of that folder: the checkout is not written to. Skipped on a machine without
node and npm; never in CI, which installs them (.ci/run): there it fails instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from ..support.serving import SCRIPT, server_process

HAS_NODE = bool(shutil.which("node") and shutil.which("npm"))
pytestmark = [
    pytest.mark.subprocess,
    pytest.mark.skipif(not HAS_NODE and not os.environ.get("CI"), reason="needs node and npm"),
]

CLIENT_FOLDER = Path(__file__).parent / "ts_client"
CLIENT_FILES = ("package.json", "package-lock.json", "session.mjs")
# Which client session.mjs runs: the 1.x SDK; the 2.x client as it connects by default (the 2025 handshake);
# the 2.x client pinned to the 2026-07-28 revision (server/discover, no fallback to the old handshake).
CLIENTS = ("sdk-1", "client-2", "client-2-modern")
MODERN = "2026-07-28"
PINNED: dict[str, str] = json.loads((CLIENT_FOLDER / "package.json").read_text("utf-8"))["dependencies"]


@pytest.fixture(scope="session")
def ts_client(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the session script and the TypeScript clients the lock file pins, installed by `npm ci`."""
    assert HAS_NODE, "node and npm are needed here (CI installs them: .ci/run)"
    folder = tmp_path_factory.mktemp("ts_client")
    for name in CLIENT_FILES:
        shutil.copy(CLIENT_FOLDER / name, folder / name)
    installed = subprocess.run(
        # No install scripts: none of the pinned packages has one, and a new one should not run unasked.
        ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    return folder


def run_session(folder: Path, client: str, transport: str, target: str) -> dict[str, object]:
    done = subprocess.run(
        ["node", str(folder / "session.mjs"), client, transport, target],
        capture_output=True,
        text=True,
        timeout=120,
    )
    # stderr has the step that threw, and the server's own stderr over stdio.
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def check(session: dict[str, object], client: str) -> None:
    """What a TypeScript host sees of one session: the Python SDK 1.x check (test_interop.py), and what such
    a host reads besides (the handshake, instructions, annotations and icons, prompts, resources, errors)."""
    ran = session["client"]
    # What ran is what package.json names exactly, so that a failure has a version to it.
    assert isinstance(ran, dict) and ran["version"] == PINNED[ran["package"]]
    assert session["server"] == "ninjahire"
    # The handshake settles on the newest version the client asks for: nothing is downgraded.
    assert session["version"] == session["offered"]
    assert session["era"] == ("modern" if client == "client-2-modern" else "legacy")
    if client == "client-2-modern":
        assert session["version"] == MODERN
    instructions = session["instructions"]
    assert isinstance(instructions, str) and "get_jobs" in instructions
    tools = session["tools"]
    assert isinstance(tools, list) and len(tools) == 34 and "search_screening" in tools  # 31, and the views' 3 app-only
    # Every tool came through the SDK's schema with its annotations, icons and output schema (AJV-compiled).
    assert session["annotated"] == session["with_icons"] == session["with_output_schema"] == len(tools)
    assert isinstance(session["read_only"], int) and 0 < session["read_only"] < len(tools)
    prompts = session["prompts"]
    assert isinstance(prompts, list) and "triage_job" in prompts
    resources = session["resources"]
    assert isinstance(resources, list) and "ninjahire://guide" in resources
    assert isinstance(session["guide_chars"], int) and session["guide_chars"] > 0

    jobs = session["jobs"]
    assert isinstance(jobs, dict) and jobs["count"] == 7 and len(jobs["rows"]) == 3
    # The structured copy passed the SDK's check against get_jobs' outputSchema, and says the same.
    assert session["jobs_structured"] == jobs
    found = session["found"]
    assert isinstance(found, dict) and found["total_matches"] > 0 and found["rows"]

    # A wrong call is a tool error the model can read and act on, not a protocol error.
    wrong = session["wrong"]
    assert isinstance(wrong, dict) and wrong["isError"] is True
    assert "get_jobs(source_id='JOB-1001')" in wrong["text"]
    invalid = session["invalid"]
    assert isinstance(invalid, dict) and invalid["isError"] is True and "size" in invalid["text"]
    unknown = session["unknown"]
    assert isinstance(unknown, dict) and unknown["isError"] is True and "no_such_tool" in unknown["text"]
    # A read of a resource that is not there is a protocol error, raised with its code (-32602 since
    # 2026-07-28 retired -32002).
    missing = session["missing"]
    assert isinstance(missing, dict) and missing["code"] == -32602
    assert "ninjahire://no-such-resource" in missing["message"]


@pytest.mark.parametrize("client", CLIENTS)
def test_a_typescript_client_over_stdio(ts_client: Path, client: str) -> None:
    check(run_session(ts_client, client, "stdio", SCRIPT), client)


@pytest.mark.parametrize("client", CLIENTS)
def test_a_typescript_client_over_streamable_http(ts_client: Path, client: str) -> None:
    with server_process("--sandbox") as (_process, url):
        session = run_session(ts_client, client, "http", f"{url}/mcp")
    check(session, client)
