"""A rolling restart while a confirmed instant_call is on its way: does the caller get its result, and is
the candidate phoned once? The scenario of issue 10, item 3, measured as the review measured it.

Run: .venv/bin/python -m bench.rolling_restart [--transports 2025,2026,sse] [--shutdown-timeout 10]

For each transport (streamable HTTP in the 2025 era, with the initialize handshake; in the 2026 era,
without; and SSE): an emulator takes `--latency` seconds to answer each instant-call POST; a live
`ninjahire-mcp` (confirmations on, its own data folder) serves it. The client previews instant_call,
confirms it with the token, and the server is sent SIGTERM once the POST has reached the emulator. Noted:
how long after the signal the client's request ended, and with what (the call's result, an "outcome
unknown" note, or an error: the stream just ended). Then a second process starts on the same data folder
and the client asks again (preview, then the fresh token if one is given), as an agent that got no answer
would. Noted: every instant-call POST the emulator saw, with its status. Writes
bench/results/rolling_restart.json.
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractAsyncContextManager, contextmanager
from typing import Any

import anyio
import uvicorn
from mcp import Client
from mcp.client.sse import sse_client
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bench._report import markdown_table, save
from bench.load_http import SCRIPT, clean_env, free_port, wait_until_healthy
from ninjahire_mcp.sandbox import create_app

RESULTS = "rolling_restart.json"
CALL_PATH = "/v1/applications/*/instant-call"


class PostLog:
    """ASGI middleware noting each instant-call POST and the status it was answered with (None: none yet)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.posts: list[int | None] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not scope["path"].endswith("/instant-call"):
            await self.app(scope, receive, send)
            return
        index = len(self.posts)
        self.posts.append(None)

        async def noted(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.posts[index] = message["status"]
            await send(message)

        await self.app(scope, receive, noted)


@contextmanager
def serving(app: ASGIApp) -> Iterator[str]:
    """The emulator on loopback, in a thread of this process (so its POST log is at hand)."""
    port = free_port()
    emulator = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=emulator.run, daemon=True)
    thread.start()
    while not emulator.started:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        emulator.should_exit = True
        thread.join(timeout=30)


@contextmanager
def server(api_url: str, transport: str, data: str, timeout: float, port: int) -> Iterator[subprocess.Popen[str]]:
    env = clean_env(NINJAHIRE_API_KEY="nh_bench_rolling_restart", NINJAHIRE_BASE_URL=api_url, XDG_DATA_HOME=data)
    process = subprocess.Popen(
        [SCRIPT, "--transport", transport, "--port", str(port), "--shutdown-timeout", f"{timeout:g}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}/healthz", process, "ninjahire-mcp")
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)


def connect(url: str, era: str) -> AbstractAsyncContextManager[Client]:
    if era == "sse":
        return Client(sse_client(f"{url}/sse"))
    return Client(f"{url}/mcp", mode="legacy" if era == "2025" else "auto")


def text(result: Any) -> str:
    return "".join(getattr(block, "text", "") for block in result.content)


def first_id(page: dict[str, Any]) -> str:
    """The first record's id of a list tool's page: a table (columns and rows) or plain data."""
    return str(page["data"][0]["id"] if "data" in page else page["rows"][0][page["columns"].index("id")])


def token_in(preview: str) -> str | None:
    try:
        return json.loads(preview).get("confirm_token")
    except ValueError:
        return None


async def first_process(url: str, era: str, process: subprocess.Popen[str], log: PostLog) -> dict[str, Any]:
    """Preview, confirm, SIGTERM while the POST is at the API: what the client got, and when."""
    outcome: dict[str, Any] = {}
    with anyio.fail_after(60):
        async with connect(url, era) as client:
            listed = json.loads(text(await client.call_tool("get_applications", {"size": 1})))
            application = first_id(listed)
            preview = text(await client.call_tool("instant_call", {"application_id": application}))
            token = token_in(preview)
            outcome["application"], outcome["token"] = application, bool(token)
            signalled: list[float] = []

            async def confirm() -> None:
                try:
                    result = await client.call_tool(
                        "instant_call", {"application_id": application, "confirm_token": token}
                    )
                    outcome["got"] = text(result)[:160]
                    outcome["is_error"] = result.is_error
                except Exception as error:  # the stream ended without an answer
                    outcome["got"] = f"{type(error).__name__}: {error}"[:160]
                    outcome["is_error"] = None
                outcome["ended_after_s"] = round(time.monotonic() - signalled[0], 2) if signalled else None

            async with anyio.create_task_group() as group:
                group.start_soon(confirm)
                while not log.posts:
                    await anyio.sleep(0.01)
                process.send_signal(signal.SIGTERM)
                signalled.append(time.monotonic())
    return outcome


async def second_process(url: str, era: str, application: str) -> str:
    """After the restart: ask again as an agent with no answer would, confirming a fresh token if given."""
    with anyio.fail_after(60):
        async with connect(url, era) as client:
            preview = text(await client.call_tool("instant_call", {"application_id": application}))
            token = token_in(preview)
            if token is None:
                return f"no token: {preview[:120]}"
            result = text(
                await client.call_tool("instant_call", {"application_id": application, "confirm_token": token})
            )
            return f"confirmed: {result[:120]}"


def run(era: str, timeout: float, latency: float) -> dict[str, Any]:
    # Calls end half a second after they start: the API's own "already in progress" check is over by the time
    # the agent asks again, as in the review (only this server's ledger can refuse the repeat).
    faults = [{"kind": "latency", "method": "POST", "path": CALL_PATH, "seconds": latency}]
    log = PostLog(create_app(call_duration=0.5, faults=faults))
    transport = "sse" if era == "sse" else "streamable-http"
    with tempfile.TemporaryDirectory() as data, serving(log) as api_url:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        with server(api_url, transport, data, timeout, port) as process:
            outcome = anyio.run(first_process, url, era, process, log)
            outcome["exit_code"] = process.wait(timeout=timeout + 30)
        with server(api_url, transport, data, timeout, port):
            outcome["after_restart"] = anyio.run(second_process, url, era, outcome["application"])
        deadline = time.monotonic() + latency + 5
        while None in log.posts and time.monotonic() < deadline:
            time.sleep(0.1)
        outcome["posts"] = list(log.posts)
    return {"era": era, **outcome}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--transports", default="2025,2026,sse")
    parser.add_argument("--shutdown-timeout", type=float, default=10.0)
    parser.add_argument("--latency", type=float, default=3.0, help="seconds the API takes to place a call")
    options = parser.parse_args()
    runs = [run(era, options.shutdown_timeout, options.latency) for era in options.transports.split(",")]
    save(RESULTS, {"shutdown_timeout": options.shutdown_timeout, "latency": options.latency, "runs": runs})
    rows = [
        [r["era"], r.get("ended_after_s"), r.get("got", "")[:70], r["exit_code"], r["after_restart"][:60], r["posts"]]
        for r in runs
    ]
    headers = ["transport", "ended after SIGTERM (s)", "client got", "exit", "after restart", "POSTs"]
    print(markdown_table(headers, rows))


if __name__ == "__main__":
    main()
