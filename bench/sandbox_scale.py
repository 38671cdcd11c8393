"""The sandbox at size: what `--scale N` costs to seed, to hold and to page through.

Run: .venv/bin/python -m bench.sandbox_scale --scales 1 10 100 --runs 3

For each scale, each run is a fresh child process (so that one scale's memory is not counted in the
next's) that imports the emulator, seeds it with `create_app(scale=N)` and reports:

- the tenant: jobs, candidates, applications, calls (completed ones), and the text of its call reports;
- seed time (create_app, wall clock) and the process's peak RSS after seeding, beside its RSS after the
  import alone (what the tenant itself adds);
- paging through the API in-process (an ASGI transport, no sockets), as a screening index would fill:
  every application and every call in pages of 100, then one job's calls and applications, and each
  of 200 applications' calls by application_id: requests, wall time and per-request p50/p99.

Then, once per scale, `ninjahire-mcp sandbox --scale N` as a process: from its start to its first
answer over HTTP (what a test or a benchmark waits for). Medians over the runs are reported; writes
bench/results/sandbox_scale.json and prints a markdown table.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from typing import Any

from bench._report import markdown_table, save
from bench.load_http import SCRIPT, clean_env, free_port, percentile

RESULTS = "sandbox_scale.json"
PAGE = 100
KEY = {"Authorization": "Bearer bench"}


def _rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def child(scale: int) -> dict[str, Any]:
    """One run at one scale, in this (fresh) process."""
    began = time.perf_counter()
    import anyio
    import httpx2

    from ninjahire_mcp.sandbox import create_app

    imported = time.perf_counter()
    rss_imported = _rss_mb()
    app = create_app(scale=scale)
    seeded = time.perf_counter()
    rss_seeded = _rss_mb()
    emulator = app.state.emulator
    results = [call.result for call in emulator.calls.values() if call.result]
    report: dict[str, Any] = {
        "scale": scale,
        "jobs": len(emulator.jobs),
        "candidates": len(emulator.candidates),
        "applications": len(emulator.applications),
        "calls": len(emulator.calls),
        "completed_calls": len(results),
        "report_text_mb": round(
            sum(len(r.transcript) + len(r.questions_response) + len(r.call_digest) for r in results) / 1e6, 1
        ),
        "import_s": round(imported - began, 3),
        "seed_s": round(seeded - imported, 3),
        "rss_after_import_mb": rss_imported,
        "rss_after_seed_mb": rss_seeded,
    }

    async def page_through() -> dict[str, Any]:
        latencies: list[float] = []

        async def listed(client: httpx2.AsyncClient, path: str, **query: str) -> list[dict[str, Any]]:
            rows: list[dict[str, Any]] = []
            page = 1
            while True:
                start = time.perf_counter()
                response = await client.get(path, params={"page": page, "size": PAGE, **query})
                latencies.append(time.perf_counter() - start)
                response.raise_for_status()
                rows += response.json()["data"]
                if len(rows) >= response.json()["count"]:
                    return rows
                page += 1

        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://sandbox", headers=KEY) as client:
            start = time.perf_counter()
            applications = await listed(client, "/v1/applications")
            calls = await listed(client, "/v1/calls")
            whole = time.perf_counter() - start
            whole_requests = len(latencies)
            assert len({row["id"] for row in applications}) == len(emulator.applications)
            assert len({row["call_id"] for row in calls}) == len(emulator.calls)
            job_id = list(emulator.jobs)[len(emulator.jobs) // 2]
            start = time.perf_counter()
            await listed(client, "/v1/calls", job_id=job_id)
            await listed(client, "/v1/applications", job_id=job_id)
            one_job = time.perf_counter() - start
            screened = [app_id for app_id, ids in emulator.calls_by_application.items() if ids]
            sample = screened[:: max(1, len(screened) // 200)][:200]
            by_application: list[float] = []
            for application_id in sample:
                start = time.perf_counter()
                response = await client.get(
                    "/v1/calls", params={"page": 1, "size": PAGE, "application_id": application_id}
                )
                by_application.append(time.perf_counter() - start)
                assert response.json()["count"] == len(emulator.calls_by_application[application_id])
        return {
            "whole_tenant_requests": whole_requests,
            "whole_tenant_s": round(whole, 2),
            "page_p50_ms": round(1000 * percentile(latencies[:whole_requests], 50), 1),
            "page_p99_ms": round(1000 * percentile(latencies[:whole_requests], 99), 1),
            "one_job_s": round(one_job, 3),
            "by_application_p50_ms": round(1000 * percentile(by_application, 50), 1),
            "by_application_p99_ms": round(1000 * percentile(by_application, 99), 1),
        }

    report |= anyio.run(page_through)
    report["rss_peak_mb"] = _rss_mb()
    return report


def one_run(scale: int) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.sandbox_scale", "--child", str(scale)],
        capture_output=True,
        text=True,
        check=True,
        env=clean_env(),
    )
    return json.loads(done.stdout)


def command_ready(scale: int) -> float:
    """Seconds from starting `ninjahire-mcp sandbox --scale N` to its first answer over HTTP."""
    import httpx2

    port = free_port()
    began = time.perf_counter()
    process = subprocess.Popen(
        [SCRIPT, "sandbox", "--port", str(port), "--scale", str(scale)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=clean_env(),
    )
    try:
        while True:
            try:
                if httpx2.get(f"http://127.0.0.1:{port}/v1/jobs?page=1&size=1", timeout=1).status_code == 401:
                    return round(time.perf_counter() - began, 2)
            except httpx2.TransportError:
                pass
            if process.poll() is not None or time.perf_counter() - began > 120:
                raise RuntimeError(f"`ninjahire-mcp sandbox --scale {scale}` did not start")
            time.sleep(0.05)
    finally:
        process.terminate()
        process.wait(timeout=10)


def median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    # Counts are the same in every run (the tenant is deterministic); times and memory vary.
    return {
        key: statistics.median(run[key] for run in runs) if isinstance(runs[0][key], float) else runs[0][key]
        for key in runs[0]
    }


COLUMNS = (
    ("scale", "scale"),
    ("jobs", "jobs"),
    ("candidates", "candidates"),
    ("applications", "applications"),
    ("calls", "calls (completed)"),
    ("seed_s", "seed s"),
    ("rss_after_import_mb", "RSS after import MB"),
    ("rss_after_seed_mb", "RSS seeded MB"),
    ("rss_peak_mb", "RSS peak MB"),
    ("report_text_mb", "report text MB"),
    ("whole_tenant_requests", "whole tenant: requests"),
    ("whole_tenant_s", "whole tenant: s"),
    ("page_p50_ms", "page p50 ms"),
    ("page_p99_ms", "page p99 ms"),
    ("by_application_p50_ms", "calls by application p50 ms"),
    ("command_ready_s", "`sandbox --scale N` ready s"),
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        print(json.dumps(child(args.child)))
        return 0
    rows = []
    for scale in args.scales:
        runs = [one_run(scale) for _ in range(args.runs)]
        row = median_of(runs)
        row["seed_s_runs"] = [run["seed_s"] for run in runs]
        row["command_ready_s"] = command_ready(scale)
        rows.append(row)
        print(f"scale {scale}: seeded in {row['seed_s']} s, {row['calls']} calls, peak RSS {row['rss_peak_mb']} MB")
    path = save(RESULTS, {"runs": args.runs, "scales": rows})
    table = [
        [f"{row['calls']} ({row['completed_calls']})" if key == "calls" else row[key] for key, _ in COLUMNS]
        for row in rows
    ]
    print(markdown_table([title for _, title in COLUMNS], table))
    print(f"saved {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
