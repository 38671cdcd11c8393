"""One tenant's slow upstream against another tenant's call: the neighbour's latency, measured.

Run: .venv/bin/python -m bench.tenant_isolation [--tree /path/to/other/checkout]

The emulator runs in its own process with one slow endpoint (a `latency` fault on GET /v1/candidates,
`--latency` seconds, every time). `ninjahire-mcp --transport http` runs from `--tree` (this checkout by
default; a `git worktree` of an older commit measures "before") with no key of its own, so that each
session brings one. A slow tenant keeps `--in-flight` get_candidates calls going at once (each worker
calls again as soon as its call ends); its neighbour, with another key, calls the healthy get_jobs
`--calls` times, one after another, first with the server idle and then under that load. The figure is
the neighbour's latency as its client sees it; the slow tenant's own completions and errors over the
same time say what the limit costs it. Short by design: a few tens of seconds per tree.
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import anyio
import httpx2

from ._report import markdown_table, save

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = str(Path(sys.executable).parent / "ninjahire-mcp")
SLOW_KEY, NEIGHBOUR_KEY = "nh_bench_slow_tenant", "nh_bench_neighbour"


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def clean_env(**extra: str) -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("NINJAHIRE_")} | extra


def wait_until_healthy(url: str, process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx2.get(url, timeout=1, trust_env=False).status_code == 200:
                return
        except httpx2.TransportError:
            pass
        if process.poll() is not None:
            raise SystemExit(f"{what} exited with status {process.returncode}")
        if time.monotonic() > deadline:
            raise SystemExit(f"{what} did not start within 60 s")
        time.sleep(0.1)


@contextmanager
def process(argv: list[str], health: str, what: str, **options: Any) -> Iterator[None]:
    child = subprocess.Popen(argv, stderr=subprocess.DEVNULL, **options)
    try:
        wait_until_healthy(health, child, what)
        yield
    finally:
        child.terminate()
        child.wait(timeout=30)


@contextmanager
def emulator(latency: float) -> Iterator[str]:
    port = free_port()
    faults = f"latency GET /v1/candidates* seconds={latency:g} times=always"
    argv = [SCRIPT, "sandbox", "--port", str(port), "--faults", faults]
    with process(argv, f"http://127.0.0.1:{port}/openapi.json", "the emulator", env=clean_env()):
        yield f"http://127.0.0.1:{port}"


@contextmanager
def mcp_server(tree: Path, base_url: str) -> Iterator[str]:
    """The server of `tree`'s code (its own package first on the path), holding no key."""
    port = free_port()
    argv = [sys.executable, "-m", "ninjahire_mcp", "--transport", "http", "--port", str(port), "--base-url", base_url]
    env = clean_env(PYTHONPATH=str(tree))
    with process(argv, f"http://127.0.0.1:{port}/healthz", "ninjahire-mcp", env=env, cwd=tree):
        yield f"http://127.0.0.1:{port}/mcp"


async def measure(url: str, *, in_flight: int, calls: int, settle: float, min_load: float) -> dict[str, Any]:
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client
    from mcp.types import TextContent

    def text_of(result: Any) -> str:
        return " ".join(block.text for block in result.content if isinstance(block, TextContent))

    async def neighbour_calls(client: Client) -> tuple[list[float], list[str]]:
        latencies, errors = [], []
        for _ in range(calls):
            began = time.perf_counter()
            result = await client.call_tool("get_jobs", {"size": 5})
            latencies.append((time.perf_counter() - began) * 1000)
            if result.is_error:
                errors.append(text_of(result)[:200])
        return latencies, errors

    slow_done, slow_errors = 0, []
    unlimited = httpx2.Limits(max_connections=None, max_keepalive_connections=None)
    async with (
        httpx2.AsyncClient(headers={"x-ninjahire-api-key": NEIGHBOUR_KEY}, timeout=300, trust_env=False) as n_http,
        Client(streamable_http_client(url, http_client=n_http)) as neighbour,
        httpx2.AsyncClient(
            headers={"x-ninjahire-api-key": SLOW_KEY}, timeout=300, trust_env=False, limits=unlimited
        ) as s_http,
        Client(streamable_http_client(url, http_client=s_http)) as slow,
    ):
        await neighbour.call_tool("get_jobs", {"size": 5})  # warm: the server's first request pays for setup
        idle, _ = await neighbour_calls(neighbour)

        async def worker(n: int) -> None:
            nonlocal slow_done
            while True:
                result = await slow.call_tool("get_candidates", {"size": 1, "page": 1 + n % 3})
                slow_done += 1
                if result.is_error:
                    slow_errors.append(text_of(result)[:200])

        async with anyio.create_task_group() as group:
            load_began = time.perf_counter()
            for n in range(in_flight):
                group.start_soon(worker, n)
            await anyio.sleep(settle)  # every slow call sent and waiting, before the neighbour is timed
            began = time.perf_counter()
            loaded, errors = await neighbour_calls(neighbour)
            window = time.perf_counter() - began
            # The slow tenant's own throughput, over long enough a time to see a few rounds of its calls.
            await anyio.sleep(max(0.0, min_load - (time.perf_counter() - load_began)))
            load = time.perf_counter() - load_began
            slow_completed, slow_errored = slow_done, len(slow_errors)
            group.cancel_scope.cancel()
    return {
        "neighbour_idle_p50_ms": round(percentile(idle, 50), 1),
        "neighbour_p50_ms": round(percentile(loaded, 50), 1),
        "neighbour_max_ms": round(max(loaded, default=0.0), 1),
        "neighbour_ms": [round(value, 1) for value in loaded],
        "neighbour_errors": errors,
        "neighbour_window_s": round(window, 1),
        "load_s": round(load, 1),
        "slow_calls_completed": slow_completed,
        "slow_calls_per_s": round(slow_completed / load, 1),
        "slow_errors": slow_errored,
        "slow_first_error": slow_errors[0] if slow_errors else None,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tree", action="append", type=Path, help="a checkout to measure (repeatable)")
    parser.add_argument("--in-flight", type=int, default=300, help="the slow tenant's calls at once (300)")
    parser.add_argument("--latency", type=float, default=5.0, help="seconds each slow request takes (5)")
    parser.add_argument("--calls", type=int, default=4, help="the neighbour's timed calls (4)")
    parser.add_argument("--settle", type=float, default=6.0, help="seconds the load runs before timing (6)")
    parser.add_argument("--min-load", type=float, default=16.0, help="seconds the load runs at least (16)")
    args = parser.parse_args(argv)
    trees = args.tree or [ROOT]
    runs = []
    with emulator(args.latency) as api:
        for tree in trees:
            with mcp_server(tree.resolve(), api) as url:
                timed = partial(
                    measure, url, in_flight=args.in_flight, calls=args.calls, settle=args.settle, min_load=args.min_load
                )
                figures = anyio.run(timed)
            commit = subprocess.run(
                ["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
            ).stdout.strip()
            dirty = subprocess.run(["git", "-C", str(tree), "status", "--porcelain"], capture_output=True, text=True)
            runs.append({"tree": str(tree), "commit": commit + ("+changes" if dirty.stdout.strip() else ""), **figures})
    report = {"in_flight": args.in_flight, "latency_s": args.latency, "calls": args.calls, "runs": runs}
    path = save("tenant_isolation.json", report)
    headers = ["tree", "neighbour idle p50 ms", "neighbour p50 ms", "neighbour max ms", "slow calls/s", "slow errors"]
    rows = [
        [
            run["commit"],
            run["neighbour_idle_p50_ms"],
            run["neighbour_p50_ms"],
            run["neighbour_max_ms"],
            run["slow_calls_per_s"],
            run["slow_errors"],
        ]
        for run in runs
    ]
    print(f"{args.in_flight} slow calls in flight ({args.latency:g} s each) from one tenant; its neighbour's get_jobs:")
    print(markdown_table(headers, rows))
    print(f"saved {path.relative_to(ROOT)}")
    for run in runs:
        if run["slow_first_error"]:
            print(f"{run['commit']}: the slow tenant's first error: {run['slow_first_error']}")
    return 0 if all(not run["neighbour_errors"] for run in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
