"""Overhead per call: get_applications through MCP against the same request made directly with httpx2.

Run: .venv/bin/python -m bench.call_overhead --calls 300

The emulator is served over HTTP on loopback in a process of its own (`ninjahire-mcp sandbox --port N`).
In this process, each iteration makes two requests, in alternating order so that neither always goes first:

- through MCP: `get_applications` (page 1, size 10) through the MCP client against an in-process server
  (`build_server` with the emulator's URL): client, protocol, server, tool, our API client and result shaping.
- direct: GET /v1/applications?page=1&size=10 with the bearer header, on one `httpx2.AsyncClient`.

The overhead is the per-iteration difference (through MCP − direct), so drift of the machine cancels. Two
runs: the newest protocol era (`Client(server)`, 2026-07-28, no JSON-RPC framing in memory) and the
2025 era (`mode="legacy"`: initialize handshake, JSON-RPC over in-memory streams). The target is
≤ 2 ms at p50 of the difference. Writes bench/results/call_overhead.json, latencies included.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import anyio
import httpx2

from bench._report import markdown_table, save, verdict
from bench.load_http import SCRIPT, clean_env, free_port, percentile, wait_until_healthy

RESULTS = "call_overhead.json"
TARGET_P50_MS = 2.0
KEY = "nh_overhead_bench"
PARAMS = {"page": 1, "size": 10}


@contextmanager
def emulator() -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen([SCRIPT, "sandbox", "--port", str(port)], env=clean_env(), stderr=subprocess.DEVNULL)
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}/openapi.json", process, "the emulator")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


async def measure(url: str, mode: str, calls: int, warmup: int) -> dict[str, list[float]]:
    from mcp import Client

    from ninjahire_mcp.config import Settings
    from ninjahire_mcp.server import build_server

    server = build_server(Settings(api_key=KEY, base_url=url))
    headers = {"Authorization": f"Bearer {KEY}"}
    mcp_ms: list[float] = []
    direct_ms: list[float] = []
    async with (
        httpx2.AsyncClient(base_url=url, headers=headers, trust_env=False) as http,
        Client(server, mode=mode) as client,
    ):

        async def through_mcp() -> float:
            began = time.perf_counter()
            result = await client.call_tool("get_applications", PARAMS)
            elapsed = (time.perf_counter() - began) * 1000
            if result.is_error:
                raise SystemExit(f"get_applications failed: {result.content}")
            return elapsed

        async def direct() -> float:
            began = time.perf_counter()
            response = await http.get("/v1/applications", params=PARAMS)
            response.json()  # our client decodes the body too
            elapsed = (time.perf_counter() - began) * 1000
            response.raise_for_status()
            return elapsed

        for index in range(warmup + calls):
            if index % 2:
                b, a = await direct(), await through_mcp()
            else:
                a, b = await through_mcp(), await direct()
            if index >= warmup:
                mcp_ms.append(a)
                direct_ms.append(b)
    return {
        "mcp_ms": mcp_ms,
        "direct_ms": direct_ms,
        "overhead_ms": [a - b for a, b in zip(mcp_ms, direct_ms, strict=True)],
    }


def figures(values: Sequence[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(values), 2),
        "p99_ms": round(percentile(values, 99), 2),
        "mean_ms": round(statistics.fmean(values), 2),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.call_overhead", description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300, help="measured iterations per era (default 300)")
    parser.add_argument("--warmup", type=int, default=30, help="unmeasured iterations first (default 30)")
    args = parser.parse_args(argv)
    runs: dict[str, dict[str, Any]] = {}
    with emulator() as url:
        for mode, era in (("auto", "2026-07-28"), ("legacy", "2025-11-25")):
            samples = anyio.run(measure, url, mode, args.calls, args.warmup)
            runs[mode] = {
                "era": era,
                **{name.removesuffix("_ms"): figures(values) for name, values in samples.items()},
                "samples": {name: [round(value, 3) for value in values] for name, values in samples.items()},
            }
    report = {
        "calls": args.calls,
        "warmup": args.warmup,
        "request": "get_applications page=1 size=10 / GET /v1/applications?page=1&size=10",
        "target_p50_ms": TARGET_P50_MS,
        "target_met": runs["auto"]["overhead"]["p50_ms"] <= TARGET_P50_MS,
        "runs": runs,
    }
    save(RESULTS, report)
    rows = [
        [run["era"], *(f"{run[name]['p50_ms']} / {run[name]['p99_ms']}" for name in ("direct", "mcp", "overhead"))]
        for run in runs.values()
    ]
    headers = ["era", "direct p50 / p99 ms", "through MCP p50 / p99 ms", "overhead p50 / p99 ms"]
    print(markdown_table(headers, rows))
    print(verdict(f"overhead ≤ {TARGET_P50_MS} ms at p50 (newest era)", report["target_met"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
