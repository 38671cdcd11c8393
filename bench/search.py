"""What questions across many screening calls cost, with the screening index and by paging reports as an agent
would without it, at three tenant sizes; what filling the index costs; how fast a search is.

Run: .venv/bin/python -m bench.search            (scales 1, 10, 100: about 130, 1,300 and 13,000 calls)
     .venv/bin/python -m bench.search --scales 1 10

Each scale runs in its own process (its peak RSS is the server's and the in-process emulator's), against
the emulator in process (no network), with the index in a temporary folder (its size on disk is counted).
Tokens are cl100k_base tokens of the tool results the agent reads.

The three questions, one per kind:
- a phrase in answers: "which candidates said they prefer nights?"  query="nights", where=answers
- a summary category: "who can start immediately?"  query="immediately", category=availability
- a score filter: "the best calls (80+) for one job"  job_id=<a job>, min_score=80
Without the index the agent pages get_screening_results (size 100) over every call the question ranges
over: the whole tenant for the first two, the job for the third.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import anyio
import httpx2
from mcp import Client

from bench._report import RESULTS, markdown_table, save, verdict
from bench.token_cost import count_tokens
from ninjahire_mcp.config import Settings
from ninjahire_mcp.sandbox import create_app
from ninjahire_mcp.server import build_server

QUESTIONS = (
    ("phrase in answers", {"query": "nights", "where": ["answers"]}, False),
    ("summary category", {"query": "immediately", "category": "availability"}, False),
    ("score filter, one job", {"min_score": 80}, True),
)
SEARCH_WORDS = ("nights", "immediately", "python", "kubernetes", "weekend", "salary", "notice", "remote",
                "experience", "team", "shift", "travel", "visa", "relocate", "patient", "customer")  # fmt: skip
LATENCY_QUERIES = 200
TARGET_TOKENS = 2000
TARGET_P50_MS = 20.0
TARGET_FILL_S = 60.0


def text_of(result: Any) -> str:
    return "".join(getattr(part, "text", "") for part in result.content)


async def one_scale(scale: int) -> dict[str, Any]:
    app = create_app(scale=scale)
    log = app.state.emulator.request_log
    folder = Path(tempfile.mkdtemp(prefix="bench-index-"))
    settings = Settings(sandbox=True, index=str(folder), scan_pages=10_000)
    server = build_server(settings, transport=httpx2.ASGITransport(app=app))
    report: dict[str, Any] = {"scale": scale}
    async with Client(server) as client:
        jobs = json.loads(text_of(await client.call_tool("get_jobs", {"size": 100})))
        job_id = jobs["rows"][0][jobs["columns"].index("id")]

        # The first fill of one job, then of the whole tenant (the job already in).
        before, began = len(log), time.perf_counter()
        await client.call_tool("search_screening", {"job_id": job_id, "query": "nights"})
        report["fill_job"] = {"requests": len(log) - before, "s": round(time.perf_counter() - began, 2)}
        before, began = len(log), time.perf_counter()
        await client.call_tool("search_screening", {"query": "nights"})
        report["fill_tenant"] = {"requests": len(log) - before, "s": round(time.perf_counter() - began, 2)}

        questions = []
        for name, arguments, one_job in QUESTIONS:
            asked = {**arguments, **({"job_id": job_id} if one_job else {})}
            before = len(log)
            indexed = text_of(await client.call_tool("search_screening", asked))
            requests = len(log) - before
            paged_tokens, pages = 0, 0
            while True:
                pages += 1
                page = text_of(
                    await client.call_tool(
                        "get_screening_results",
                        {"page": pages, "size": 100, **({"job_id": job_id} if one_job else {})},
                    )
                )
                paged_tokens += count_tokens(page)
                if not json.loads(page).get("has_more"):
                    break
            questions.append(
                {
                    "question": name,
                    "index_tokens": count_tokens(indexed),
                    "index_requests": requests,
                    "total_matches": json.loads(indexed)["total_matches"],
                    "paging_tokens": paged_tokens,
                    "paging_pages": pages,
                }
            )
        report["questions"] = questions

        timings = []
        for n in range(LATENCY_QUERIES):
            began = time.perf_counter()
            await client.call_tool("search_screening", {"query": SEARCH_WORDS[n % len(SEARCH_WORDS)]})
            timings.append((time.perf_counter() - began) * 1000)
        timings.sort()
        report["search_ms"] = {
            "p50": round(statistics.median(timings), 1),
            "p99": round(timings[int(len(timings) * 0.99) - 1], 1),
        }
    report["calls"] = len(app.state.emulator.calls)
    report["index_mb"] = round(sum(file.stat().st_size for file in folder.iterdir()) / 1e6, 1)
    shutil.rmtree(folder)  # candidate data, even fictional, is not left behind
    report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0)
    return report


def plot(reports: list[dict[str, Any]], path: Path) -> Path:
    """Tokens per question against tenant size, both ways, as a small SVG (log-log; no plotting library)."""
    import math

    width, height, left, bottom, top, right = 640, 360, 70, 50, 20, 170
    calls = [r["calls"] for r in reports]
    series = {
        "with the index": ("#1b7f3b", [max(q["index_tokens"] for q in r["questions"]) for r in reports]),
        "paging reports": ("#b3261e", [max(q["paging_tokens"] for q in r["questions"]) for r in reports]),
    }
    values = [v for _colour, points in series.values() for v in points]
    x_lo, x_hi = math.log10(min(calls)) - 0.1, math.log10(max(calls)) + 0.1
    y_lo, y_hi = math.floor(math.log10(min(values))), math.ceil(math.log10(max(values)))

    def x(value: float) -> float:
        return left + (math.log10(value) - x_lo) / (x_hi - x_lo) * (width - left - right)

    def y(value: float) -> float:
        return height - bottom - (math.log10(value) - y_lo) / (y_hi - y_lo) * (height - bottom - top)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
             'font-size="12">', f'<rect width="{width}" height="{height}" fill="white"/>']  # fmt: skip
    for exponent in range(y_lo, y_hi + 1):
        tick = y(10**exponent)
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{tick:.1f}" y2="{tick:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 8}" y="{tick + 4:.1f}" text-anchor="end">{10**exponent:,}</text>')
    for count in calls:
        parts.append(f'<text x="{x(count):.1f}" y="{height - bottom + 18}" text-anchor="middle">{count:,}</text>')
    parts.append(f'<text x="{(left + width - right) / 2}" y="{height - 12}" text-anchor="middle">screening calls in '
                 "the tenant</text>")  # fmt: skip
    middle = (height - bottom + top) / 2
    parts.append(f'<text x="16" y="{middle}" transform="rotate(-90 16 {middle})" text-anchor="middle">'
                 "tokens per question (the costliest)</text>")  # fmt: skip
    for n, (name, (colour, points)) in enumerate(series.items()):
        line = " ".join(f"{x(c):.1f},{y(v):.1f}" for c, v in zip(calls, points, strict=True))
        parts.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts += [
            f'<circle cx="{x(c):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}"/>'
            for c, v in zip(calls, points, strict=True)
        ]
        parts.append(f'<text x="{width - right + 12}" y="{top + 20 + 18 * n}" fill="{colour}">{name}</text>')
    parts.append("</svg>")
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--one-scale", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.one_scale:
        print(json.dumps(anyio.run(one_scale, options.one_scale)))
        return
    reports = []
    for scale in options.scales:
        print(f"scale {scale} ...", file=sys.stderr)
        done = subprocess.run(
            [sys.executable, "-m", "bench.search", "--one-scale", str(scale)],
            capture_output=True,
            text=True,
            check=True,
        )
        reports.append(json.loads(done.stdout.strip().splitlines()[-1]))
    path = save("search.json", {"scales": reports})
    plot(reports, RESULTS / "search_tokens.svg")
    rows = []
    for report in reports:
        for question in report["questions"]:
            rows.append(
                [
                    report["scale"],
                    report["calls"],
                    question["question"],
                    question["index_tokens"],
                    question["index_requests"],
                    question["paging_tokens"],
                    question["paging_pages"],
                ]
            )
    print(
        markdown_table(
            ["scale", "calls", "question", "tokens, index", "requests, index", "tokens, paging", "pages, paging"], rows
        )
    )
    print()
    print(
        markdown_table(
            ["scale", "calls", "fill one job", "fill tenant", "search p50 / p99", "index on disk", "peak RSS"],
            [
                [
                    r["scale"],
                    r["calls"],
                    f"{r['fill_job']['requests']} requests, {r['fill_job']['s']} s",
                    f"{r['fill_tenant']['requests']} requests, {r['fill_tenant']['s']} s",
                    f"{r['search_ms']['p50']} / {r['search_ms']['p99']} ms",
                    f"{r['index_mb']} MB",
                    f"{r['peak_rss_mb']:.0f} MB",
                ]
                for r in reports
            ],
        )
    )
    largest = reports[-1]
    print()
    print(verdict(f"at most {TARGET_TOKENS} tokens per question", all(
        q["index_tokens"] <= TARGET_TOKENS for r in reports for q in r["questions"])))  # fmt: skip
    print(verdict(f"search p50 under {TARGET_P50_MS:g} ms", largest["search_ms"]["p50"] < TARGET_P50_MS))
    print(verdict(f"tenant filled within {TARGET_FILL_S:g} s", largest["fill_tenant"]["s"] <= TARGET_FILL_S))
    print(f"saved {path.relative_to(RESULTS.parent.parent)}")


if __name__ == "__main__":
    main()
