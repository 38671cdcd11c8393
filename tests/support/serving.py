"""Serving on loopback for a test, on a free port: an ASGI app by uvicorn in a thread or in the test's own
event loop, or the `ninjahire-mcp` console script over HTTP as a process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx2
import uvicorn
from mcp import StdioServerParameters
from starlette.types import ASGIApp


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(app: ASGIApp, host: str = "127.0.0.1") -> Iterator[str]:
    """The app's base URL while it is served; stopped (gracefully) when the block ends."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


SCRIPT = str(Path(sys.executable).parent / "ninjahire-mcp")


@contextmanager
def server_process(
    *args: str, env: dict[str, str] | None = None, port: int | None = None
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    port = port or free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NINJAHIRE_")}
    process = subprocess.Popen(
        [SCRIPT, "--transport", "http", "--port", str(port), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**clean, **(env or {})},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: answers(f"{url}/healthz"), "the server", process)
        yield process, url
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=10)


@asynccontextmanager
async def served(app: ASGIApp, *, lifespan: str = "off") -> AsyncIterator[str]:
    """The app served by uvicorn on loopback, in this event loop (so that what it does reaches objects
    of this loop safely); its base URL while the block runs."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan=lifespan))
    async with anyio.create_task_group() as group:
        group.start_soon(server.serve)
        with anyio.fail_after(10):
            while not server.started:
                await anyio.sleep(0.01)
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            server.should_exit = True


def answers(url: str, status: int = 200, **options: Any) -> bool:
    """Whether `url` answers `status` now (a refused or dropped connection is no answer)."""
    try:
        return httpx2.get(url, timeout=1, **options).status_code == status
    except httpx2.TransportError:
        return False


def wait_until(
    ready: Callable[[], bool], what: str, process: subprocess.Popen[str] | None = None, *, within: float = 30
) -> None:
    """Poll `ready()` until it holds; fail naming `what` if it does not within `within` s, or at once if
    `process` exits first (with what it wrote on stderr)."""
    deadline = time.monotonic() + within
    while not ready():
        if process is not None and process.poll() is not None:
            raise AssertionError(f"{what} exited: {process.communicate()[1]}")
        assert time.monotonic() < deadline, f"{what} did not start within {within:g} s"
        time.sleep(0.1)


@contextmanager
def emulator_process(*args: str) -> Iterator[str]:
    """`ninjahire-mcp sandbox` (the emulator alone, as the API would be) as a process; its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [SCRIPT, "sandbox", "--port", str(port), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        # Up once it asks for a key, as the API does.
        wait_until(lambda: answers(f"{url}/v1/jobs?page=1&size=1", 401), "the sandbox", process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def stdio_params(api_url: str, *args: str, **env: str) -> StdioServerParameters:
    """The console script over stdio in live mode, pointed at `api_url` (the emulator, as the API), with the
    test's own data folder: the SDK passes on only a few variables (HOME, PATH, ...) of its own."""
    return StdioServerParameters(
        command=SCRIPT,
        args=list(args),
        env={
            "NINJAHIRE_API_KEY": "sandbox-key",
            "NINJAHIRE_BASE_URL": api_url,
            "XDG_DATA_HOME": os.environ["XDG_DATA_HOME"],
            **env,
        },
    )
