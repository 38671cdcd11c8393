"""Load over streamable HTTP: concurrent MCP sessions against the real server process, measured.

Run: .venv/bin/python -m bench.load_http --sessions 50 --calls 20

Each run starts `ninjahire-mcp --transport http` as a child process on a free loopback port and opens every
session at once, half of them in the 2025 protocol era (`mode="legacy"`) and half negotiating the newest
(`mode="auto"`). Each session makes its calls one after another, as an agent does, cycling through
get_jobs, get_applications, find_jobs and get_screening_results. Two runs:

- sandbox: `--sandbox`, the emulator inside the server's process: what the server costs on its own.
- per-request keys: the server holds no key, and the emulator is served apart, in its own process, on
  loopback. Every session sends its own X-Ninjahire-Api-Key, and every second call (but find_jobs's,
  which filters in the server) carries a source_id filter unique to the session and the call.
  Afterwards the emulator's request log (one record per request, with the key it came with) must show
  each filtered request exactly once and under its session's key, and no request under a key no
  session sent: anything else counts as leakage.

Latency is the time to a tool call's result as the client sees it. The client, the server and the
emulator share this machine, so absolute figures depend on it; CPU seconds per process say which was the
bottleneck. Exit status 1 when a call failed or a request leaked.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import anyio
import httpx2

SCRIPT = str(Path(sys.executable).parent / "ninjahire-mcp")
KINDS = ("get_jobs", "get_applications", "find_jobs", "get_screening_results")
MARK = "load-s"  # every source_id filter the bench sends starts with this


@dataclass
class Run:
    name: str
    sessions: int
    calls_each: int
    eras: dict[str, str] = field(default_factory=dict)  # mode -> negotiated protocol version
    latencies_ms: list[float] = field(default_factory=list, repr=False)
    latencies_by_era: dict[str, list[float]] = field(default_factory=dict, repr=False)
    later_ms: list[float] = field(default_factory=list, repr=False)  # all but each session's first call
    connect_ms: list[float] = field(default_factory=list, repr=False)
    errors: list[str] = field(default_factory=list)
    wall_s: float = 0.0
    server_cpu_s: float = 0.0
    server_peak_rss_mb: float = 0.0
    client_cpu_s: float = 0.0
    leakage: int | None = None
    marked_checked: int | None = None

    def summary(self) -> dict[str, Any]:
        calls = len(self.latencies_ms)
        return {
            "run": self.name,
            "sessions": self.sessions,
            "calls_per_session": self.calls_each,
            "calls": calls,
            "errors": len(self.errors),
            "wall_s": round(self.wall_s, 2),
            "calls_per_s": round(calls / self.wall_s, 1) if self.wall_s else 0.0,
            "p50_ms": round(percentile(self.latencies_ms, 50), 1),
            "p99_ms": round(percentile(self.latencies_ms, 99), 1),
            "max_ms": round(max(self.latencies_ms, default=0.0), 1),
            "p99_after_first_call_ms": round(percentile(self.later_ms, 99), 1),
            "connect_p50_ms": round(percentile(self.connect_ms, 50), 1),
            "server_cpu_s": round(self.server_cpu_s, 1),
            "server_peak_rss_mb": round(self.server_peak_rss_mb),
            "client_cpu_s": round(self.client_cpu_s, 1),
            "eras": self.eras,
            "by_era": {
                mode: {"p50_ms": round(percentile(values, 50), 1), "p99_ms": round(percentile(values, 99), 1)}
                for mode, values in sorted(self.latencies_by_era.items())
            },
            "leakage": self.leakage,
            "filtered_requests_checked": self.marked_checked,
            "first_errors": self.errors[:5],
        }


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank percentile: the smallest value with at least q% of the values at or below it."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def session_key(session: int) -> str:
    return f"nh_load_{session:03d}"


def plan(session: int, call: int, job_id: str) -> tuple[str, dict[str, Any], str | None]:
    """The tool, its arguments and, for a filtered call (every second one), the marker it sends to the API."""
    kind = KINDS[(session + call) % len(KINDS)]
    if call % 2 == 0 or kind == "find_jobs":  # find_jobs filters in the server: nothing to mark
        return kind, unfiltered(kind, job_id), None
    marker = f"{MARK}{session:03d}-c{call:03d}"
    field_name = "application_source_id" if kind == "get_screening_results" else "source_id"
    return kind, {field_name: marker}, marker


def unfiltered(kind: str, job_id: str) -> dict[str, Any]:
    arguments: dict[str, dict[str, Any]] = {
        "get_jobs": {"size": 10},
        "get_applications": {"job_id": job_id, "size": 10},
        "find_jobs": {"query": "engineer"},
        "get_screening_results": {"job_id": job_id, "size": 5},
    }
    return arguments[kind]


async def drive(url: str, run: Run, job_id: str, *, keyed: bool) -> list[str]:
    """All sessions at once; returns the markers of the filtered calls that were sent."""
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client
    from mcp.types import TextContent

    sent: list[str] = []

    async def session(index: int) -> None:
        mode = "legacy" if index % 2 else "auto"
        headers = {"x-ninjahire-api-key": session_key(index)} if keyed else {}
        started = time.perf_counter()
        try:
            async with (
                httpx2.AsyncClient(headers=headers, timeout=120, trust_env=False) as http,
                Client(streamable_http_client(url, http_client=http), mode=mode) as client,
            ):
                run.connect_ms.append((time.perf_counter() - started) * 1000)
                run.eras.setdefault(mode, client.protocol_version)
                for call in range(run.calls_each):
                    tool, arguments, marker = plan(index, call, job_id)
                    if marker:
                        sent.append(marker)
                    began = time.perf_counter()
                    try:
                        result = await client.call_tool(tool, arguments)
                    except Exception as exc:  # a failed call is counted, and the session goes on
                        run.errors.append(f"session {index} {tool}: {type(exc).__name__}: {exc}")
                        continue
                    elapsed = (time.perf_counter() - began) * 1000
                    run.latencies_ms.append(elapsed)
                    run.latencies_by_era.setdefault(mode, []).append(elapsed)
                    if call:
                        run.later_ms.append(elapsed)
                    if result.is_error:
                        text = " ".join(block.text for block in result.content if isinstance(block, TextContent))
                        run.errors.append(f"session {index} {tool}: {text[:200]}")
        except Exception as exc:
            run.errors.append(f"session {index}: {type(exc).__name__}: {exc}")

    began, cpu = time.perf_counter(), time.process_time()
    async with anyio.create_task_group() as group:
        for index in range(run.sessions):
            group.start_soon(session, index)
    run.wall_s = time.perf_counter() - began
    run.client_cpu_s = time.process_time() - cpu
    return sent


async def find_job(url: str, key: str | None) -> str:
    """The LLM Engineer job's id, and one call of each kind first, so no run pays for warming up."""
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client
    from mcp.types import TextContent

    headers = {"x-ninjahire-api-key": key} if key else {}
    async with (
        httpx2.AsyncClient(headers=headers, timeout=60, trust_env=False) as http,
        Client(streamable_http_client(url, http_client=http)) as client,
    ):
        found = await client.call_tool("find_jobs", {"query": "LLM Engineer"})
        text = "".join(block.text for block in found.content if isinstance(block, TextContent))
        job_id = str(json.loads(text)["matches"][0]["id"])
        for kind in KINDS:
            await client.call_tool(kind, unfiltered(kind, job_id))
    return job_id


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_healthy(url: str, process: subprocess.Popen[Any], what: str) -> None:
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


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NINJAHIRE_")}
    return env | extra


@contextmanager
def mcp_server(*args: str, env: dict[str, str]) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    process = subprocess.Popen(
        [SCRIPT, "--transport", "http", "--port", str(port), *args], env=env, stderr=subprocess.DEVNULL
    )
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}/healthz", process, "ninjahire-mcp")
        yield f"http://127.0.0.1:{port}/mcp", process
    finally:
        process.terminate()
        process.wait(timeout=30)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a live process (Linux /proc); 0 elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    line = next((line for line in status.splitlines() if line.startswith("VmHWM:")), "VmHWM: 0 kB")
    return int(line.split()[1]) / 1024


def measured(run: Run, url: str, process: subprocess.Popen[Any], job_id: str, *, keyed: bool) -> list[str]:
    before = cpu_seconds(process.pid)
    sent = anyio.run(lambda: drive(url, run, job_id, keyed=keyed))
    run.server_cpu_s = cpu_seconds(process.pid) - before
    run.server_peak_rss_mb = peak_rss_mb(process.pid)
    return sent


def sandbox_run(sessions: int, calls: int) -> Run:
    run = Run("sandbox (emulator in the server process)", sessions, calls)
    with mcp_server("--sandbox", env=clean_env()) as (url, process):
        job_id = anyio.run(find_job, url, None)
        measured(run, url, process, job_id, keyed=False)
    return run


@contextmanager
def emulator_process(log_path: Path) -> Iterator[str]:
    """The emulator in a process of its own; its request log lands in `log_path` when it stops."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.load_http", "--serve-emulator", str(port), "--request-log", str(log_path)],
        stdin=subprocess.PIPE,
        env=clean_env(),
        cwd=Path(__file__).parent.parent,
    )
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}/openapi.json", process, "the emulator")
        yield f"http://127.0.0.1:{port}"
    finally:
        assert process.stdin is not None
        process.stdin.close()  # the signal to write the log and stop
        process.wait(timeout=30)


def keyed_run(sessions: int, calls: int, log_path: Path) -> Run:
    run = Run("per-request keys (emulator in its own process)", sessions, calls)
    with emulator_process(log_path) as emulator, mcp_server(env=clean_env(NINJAHIRE_BASE_URL=emulator)) as served:
        url, process = served
        job_id = anyio.run(find_job, url, "nh_load_warmup")
        sent = measured(run, url, process, job_id, keyed=True)
    records = [json.loads(line) for line in log_path.read_text().splitlines()]
    run.leakage, run.marked_checked = leakage(records, sent, sessions)
    return run


def leakage(records: list[dict[str, Any]], sent: list[str], sessions: int) -> tuple[int, int]:
    """Requests under the wrong key or an unknown one, plus filtered calls not seen exactly once."""
    known = {session_key(i) for i in range(sessions)} | {"nh_load_warmup"}
    leaks = 0
    seen: Counter[str] = Counter()
    for record in records:
        if record["path"] == "/openapi.json":
            continue
        if record["api_key"] not in known:
            leaks += 1
            continue
        marker = next((part.split("=", 1)[1] for part in record["query"].split("&") if MARK in part), None)
        if marker is None:
            continue
        seen[marker] += 1
        owner = int(marker.removeprefix(MARK).split("-")[0])
        if record["api_key"] != session_key(owner):
            leaks += 1
    leaks += sum(1 for marker in sent if seen[marker] != 1) + sum(1 for marker in seen if marker not in sent)
    return leaks, sum(seen.values())


def serve_emulator(port: int, log_path: Path) -> None:
    """Serve the emulator until stdin closes, then write its request log, one JSON object per line."""
    import uvicorn

    from ninjahire_mcp.sandbox import create_app

    app = create_app()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    sys.stdin.read()
    server.should_exit = True
    thread.join(timeout=30)
    with log_path.open("w") as out:
        for record in app.state.emulator.request_log:
            out.write(json.dumps(asdict(record)) + "\n")


def table(runs: list[Run]) -> str:
    rows = [
        "| run | sessions × calls | calls | errors | calls/s | p50 ms | p99 ms | p99 ms after 1st call | max ms | "
        "server CPU s | server peak RSS MB | leakage |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        s = run.summary()
        leak = "not checked" if s["leakage"] is None else f"{s['leakage']} of {s['filtered_requests_checked']}"
        rows.append(
            f"| {s['run']} | {s['sessions']} × {s['calls_per_session']} | {s['calls']} | {s['errors']} | "
            f"{s['calls_per_s']} | {s['p50_ms']} | {s['p99_ms']} | {s['p99_after_first_call_ms']} | {s['max_ms']} | "
            f"{s['server_cpu_s']} | {s['server_peak_rss_mb']} | {leak} |"
        )
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load_http", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50, help="concurrent MCP sessions (default 50)")
    parser.add_argument("--calls", type=int, default=20, help="tool calls per session (default 20)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    parser.add_argument("--serve-emulator", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--request-log", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_emulator:
        serve_emulator(args.serve_emulator, args.request_log)
        return 0
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        runs = [sandbox_run(args.sessions, args.calls), keyed_run(args.sessions, args.calls, Path(tmp) / "log")]
    if args.json:
        print(json.dumps([run.summary() for run in runs], indent=2))
    else:
        print(table(runs))
        print()
        for run in runs:
            eras = "; ".join(
                f"{mode} ({run.eras.get(mode)}) p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms"
                for mode, figures in run.summary()["by_era"].items()
            )
            print(f"{run.name}: {eras}; client CPU {run.client_cpu_s:.1f} s in {run.wall_s:.1f} s")
        print(f"{os.cpu_count()} CPUs shared by the client, the server and the emulator.")
        for run in runs:
            for error in run.errors[:5]:
                print(f"error ({run.name}): {error}", file=sys.stderr)
    failed = any(run.errors or run.leakage for run in runs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
