"""Cold start: process start to the answer of tools/list over stdio, ours against the SDK's floor.

Run: .venv/bin/python -m bench.cold_start --runs 15

Each run starts a server as a child process and speaks raw JSON-RPC lines on its pipes, as a 2025-era
host does: initialize, wait for its answer, notifications/initialized, tools/list, wait for its answer.
The clock runs from just before the process is started to the tools/list answer. The servers:

- floor: bench/floor_server.py, a minimal MCPServer with one tool: what Python and the SDK cost.
- live: `ninjahire-mcp` with a dummy NINJAHIRE_API_KEY (the normal serving path; nothing touches the
  network before a tool is called).
- sandbox: `ninjahire-mcp --sandbox`, which also builds the emulator and its seeded data.

Runs are interleaved (floor, live, sandbox, floor, ...) so that the machine's drift hits all alike. The
target is live ≤ 1.3× floor at the median. Writes bench/results/cold_start.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from bench._report import markdown_table, save, verdict
from bench.load_http import SCRIPT, percentile

RESULTS = "cold_start.json"
TARGET_RATIO = 1.3
PROTOCOL = "2025-11-25"

SERVERS: dict[str, list[str]] = {
    "floor": [sys.executable, str(Path(__file__).with_name("floor_server.py"))],
    "live": [SCRIPT],
    "sandbox": [SCRIPT, "--sandbox"],
}


def environment() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("NINJAHIRE_")}
    # A dummy key: live mode checks that one is set, and calls nothing until a tool runs.
    return {**env, "NINJAHIRE_API_KEY": "nh_cold_start_dummy", "PYTHONUNBUFFERED": "1"}


def send(pipe: IO[bytes], message: dict[str, Any]) -> None:
    pipe.write(json.dumps(message).encode() + b"\n")
    pipe.flush()


def answer(pipe: IO[bytes], request_id: int) -> dict[str, Any]:
    """The response to `request_id`, skipping anything else the server writes first (notifications)."""
    while True:
        line = pipe.readline()
        if not line:
            raise RuntimeError(f"the server closed stdout before answering request {request_id}")
        message: dict[str, Any] = json.loads(line)
        if message.get("id") == request_id:
            if "error" in message:
                raise RuntimeError(f"request {request_id} failed: {message['error']}")
            return message


def one_start(command: list[str]) -> tuple[float, int]:
    """Milliseconds from process start to the tools/list answer, and how many tools it listed."""
    with tempfile.TemporaryFile() as stderr:
        began = time.perf_counter()
        process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, env=environment()
        )
        try:
            return exchange(process, began)
        except (RuntimeError, OSError) as exc:
            stop(process)
            stderr.seek(0)
            raise SystemExit(f"{' '.join(command)}: {exc}\n{stderr.read().decode(errors='replace')[-2000:]}") from exc
        finally:
            stop(process)


def exchange(process: subprocess.Popen[bytes], began: float) -> tuple[float, int]:
    assert process.stdin is not None and process.stdout is not None
    init = {"protocolVersion": PROTOCOL, "capabilities": {}, "clientInfo": {"name": "cold-start", "version": "1"}}
    send(process.stdin, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": init})
    answer(process.stdout, 1)
    send(process.stdin, {"jsonrpc": "2.0", "method": "notifications/initialized"})
    send(process.stdin, {"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {}})
    tools = answer(process.stdout, 2)["result"]["tools"]
    return (time.perf_counter() - began) * 1000, len(tools)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.returncode is not None:
        return
    assert process.stdin is not None
    with contextlib.suppress(OSError):  # it may have gone already
        process.stdin.close()  # end of input: the server stops on its own
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def summary(values: Sequence[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(values), 1),
        "p90_ms": round(percentile(values, 90), 1),
        "min_ms": round(min(values), 1),
    }


def ratios(row: dict[str, Any]) -> list[str]:
    return [f"{row.get('median_ratio', 1.0):.2f}", f"{row.get('min_ratio', 1.0):.2f}"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="starts of each server (at least 10)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured starts of each first (page cache)")
    args = parser.parse_args(argv)
    samples: dict[str, list[float]] = {name: [] for name in SERVERS}
    tools: dict[str, int] = {}
    for index in range(args.warmup + args.runs):
        for name, command in SERVERS.items():
            elapsed, tools[name] = one_start(command)
            if index >= args.warmup:
                samples[name].append(elapsed)
    figures = {name: {**summary(values), "tools": tools[name]} for name, values in samples.items()}
    for name in ("live", "sandbox"):
        # The minimum is the least disturbed start of each: its ratio says the same with less noise.
        for key in ("median", "min"):
            figures[name][f"{key}_ratio"] = round(figures[name][f"{key}_ms"] / figures["floor"][f"{key}_ms"], 2)
    report = {
        "runs": args.runs,
        "protocol": PROTOCOL,
        "python": sys.version.split()[0],
        "target_ratio": TARGET_RATIO,
        "target_met": figures["live"]["median_ratio"] <= TARGET_RATIO,
        "servers": figures,
        "samples_ms": {name: [round(value, 2) for value in values] for name, values in samples.items()},
    }
    save(RESULTS, report)
    rows = [
        [name, row["tools"], row["median_ms"], row["p90_ms"], row["min_ms"], *ratios(row)]
        for name, row in figures.items()
    ]
    headers = ["server", "tools", "median ms", "p90 ms", "min ms", "median ÷ floor", "min ÷ floor"]
    print(markdown_table(headers, rows))
    print(verdict(f"live ≤ {TARGET_RATIO}× floor at the median", report["target_met"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
