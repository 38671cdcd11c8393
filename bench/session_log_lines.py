"""Session ids in the server's log: how many log lines name one, per session, at each log level.

Run: .venv/bin/python -m bench.session_log_lines --sessions 5

For each transport (streamable HTTP in the 2025 era, which has sessions, and SSE) and each level
(INFO, DEBUG), starts `ninjahire-mcp --sandbox` as a process, opens `--sessions` sessions one after
another (each makes one tool call and ends as a client ends it), then counts the lines of its stderr
that show any of their ids, in any spelling (hex, dashed, any case). A session id in a log is a key
to someone's session for whoever reads the log. To measure other code, point PYTHONPATH at a
checkout of it.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import anyio
import httpx2
from mcp import Client
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client

from ._report import markdown_table, save

SCRIPT = str(Path(sys.executable).parent / "ninjahire-mcp")


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def open_sessions(url: str, transport: str, count: int) -> list[str]:
    ids: list[str] = []
    for _ in range(count):
        if transport == "sse":
            async with Client(sse_client(f"{url}/sse", on_session_created=ids.append), mode="legacy") as client:
                await client.call_tool("get_jobs", {"size": 1})
            continue

        seen: list[str] = []

        async def note(response: httpx2.Response, seen: list[str] = seen) -> None:
            if "mcp-session-id" in response.headers and not seen:
                seen.append(response.headers["mcp-session-id"])

        async with (
            httpx2.AsyncClient(timeout=30, event_hooks={"response": [note]}) as http,
            Client(streamable_http_client(f"{url}/mcp", http_client=http), mode="legacy") as client,
        ):
            await client.call_tool("get_jobs", {"size": 1})
        ids += seen
    return ids


def up(url: str, server: subprocess.Popen[str]) -> bool:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if httpx2.get(f"{url}/healthz", timeout=1).status_code == 200:
                return True
        except httpx2.TransportError:
            pass
        time.sleep(0.1)
    return False


def measure(transport: str, level: str, count: int) -> dict[str, object]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NINJAHIRE_")}
    arg = "sse" if transport == "sse" else "http"
    server = subprocess.Popen(
        [SCRIPT, "--sandbox", "--transport", arg, "--port", str(port), "--log-level", level],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    ids: list[str] | None = None
    try:
        if up(url, server):
            ids = anyio.run(open_sessions, url, transport, count)
            time.sleep(0.5)  # what a session's end logs, written
    finally:
        server.terminate()
        _out, err = server.communicate(timeout=20)
    if ids is None:
        raise SystemExit(f"the server did not start: {err[-2000:]}")
    flat_ids = [sid.replace("-", "").lower() for sid in ids]
    lines = [line for line in err.splitlines() if any(i in re.sub(r"[-{}]", "", line).lower() for i in flat_ids)]
    return {
        "transport": transport,
        "level": level,
        "sessions": len(ids),
        "lines_with_an_id": len(lines),
        "per_session": round(len(lines) / max(1, len(ids)), 2),
        "example": lines[0][:200] if lines else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=5)
    parser.add_argument("--save", default="session_log_lines.json", help="file name under bench/results")
    options = parser.parse_args(argv)
    runs = [
        measure(transport, level, options.sessions)
        for transport in ("streamable-http", "sse")
        for level in ("INFO", "DEBUG")
    ]
    rows = [[r["transport"], r["level"], r["sessions"], r["lines_with_an_id"], r["per_session"]] for r in runs]
    print(markdown_table(["transport", "log level", "sessions", "lines naming a session id", "per session"], rows))
    print(f"saved {save(options.save, {'runs': runs})}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
