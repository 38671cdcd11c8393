"""What each CLI command does, kept apart from argument parsing so that `--help` imports nothing heavy."""

from __future__ import annotations

import difflib
import json
import logging
from collections.abc import Sequence
from typing import Any, TextIO

import anyio

from . import __version__
from .config import ConfigError, Settings
from .logs import STARTUP_LOGGER

EXIT_OK, EXIT_TOOL_ERROR, EXIT_USAGE = 0, 1, 2


def list_tools(settings: Settings, out: TextIO, *, markdown: bool = False) -> int:
    """The tools that `settings` would serve (the README table always shows the whole catalogue)."""
    from .tool_table import effect_word, render_tool_table
    from .tools import select_specs

    if markdown:
        out.write(render_tool_table() + "\n")
        return EXIT_OK
    for spec in select_specs(settings):
        out.write(f"{spec.name:<34} {spec.toolset:<13} {effect_word(spec):<12} {spec.title}\n")
    return EXIT_OK


def call_tool(settings: Settings, tool: str, raw_arguments: Sequence[str], out: TextIO, err: TextIO) -> int:
    return anyio.run(_call_tool, settings, tool, raw_arguments, out, err)


async def _call_tool(settings: Settings, tool: str, raw_arguments: Sequence[str], out: TextIO, err: TextIO) -> int:
    from mcp import Client

    from .server import build_server

    async with Client(build_server(settings)) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
        if tool not in tools:
            close = difflib.get_close_matches(tool, tools, n=1)
            hint = f" Did you mean {close[0]}?" if close else ""
            err.write(f"ninjahire-mcp: unknown tool {tool!r}.{hint} `ninjahire-mcp tools` lists them.\n")
            return EXIT_USAGE
        try:
            arguments = parse_arguments(raw_arguments, tools[tool].input_schema)
        except ConfigError as exc:
            err.write(f"ninjahire-mcp: {exc}\n")
            return EXIT_USAGE
        result = await client.call_tool(tool, arguments)
    text = "\n".join(block.text for block in result.content if block.type == "text")
    out.write(_readable(text) + "\n")
    return EXIT_TOOL_ERROR if result.is_error else EXIT_OK


def parse_arguments(raw: Sequence[str], schema: dict[str, Any]) -> dict[str, Any]:
    """`key=value` words, typed by the tool's input schema: text stays text, the rest is read as JSON."""
    properties = schema.get("properties", {})
    arguments: dict[str, Any] = {}
    for word in raw:
        key, sep, value = word.partition("=")
        if not sep or not key:
            raise ConfigError(f"arguments are key=value, got {word!r}.")
        if key in arguments:
            raise ConfigError(f"{key} is given twice.")
        arguments[key] = _typed(value, properties.get(key, {}))
    return arguments


def _typed(value: str, schema: dict[str, Any]) -> Any:
    kind = schema.get("type")
    if kind in (None, "string"):
        return value
    try:
        return json.loads(value)
    except ValueError:
        # days_of_week=1,2,3 and fields=id,status read naturally as lists
        return [item.strip() for item in value.split(",")] if kind == "array" else value


def _readable(text: str) -> str:
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return text


def serve_stdio(settings: Settings) -> int:
    from . import stdio
    from .server import build_server
    from .tools import select_specs

    server = build_server(settings)
    tool_count = len(select_specs(settings))  # what build_server serves; listing them would cost ~10 ms of start-up
    if settings.sandbox:
        target = "SANDBOX MODE (simulated tenant, fictional data; nobody is phoned)"
        try_it = "ninjahire-mcp call get_jobs --sandbox"
    else:
        target = f"LIVE tenant at {settings.base_url}"
        try_it = "ninjahire-mcp call get_jobs"
    logging.getLogger(STARTUP_LOGGER).info(
        f"ninjahire-mcp {__version__}: serving {tool_count} tools over stdio, {target}. "
        f"Waiting for an MCP host on stdin (Ctrl+C to stop). To try a tool from a terminal: {try_it}"
    )
    # Our own transport rather than server.run(): it answers every line it cannot serve, and takes the
    # 2025 handshake after a discover (see stdio.py).
    anyio.run(stdio.serve, server)
    return EXIT_OK


def purge_inbox(settings: Settings, err: TextIO, *, everything: bool) -> int:
    """Delete the stored webhook events past their retention, or all of them; say how many went, and where."""
    from datetime import UTC, datetime, timedelta

    from .inbox import EventStore, inbox_path

    async def purge() -> int:
        store = EventStore(inbox_path(settings))
        try:
            cutoff = None if everything else datetime.now(UTC) - timedelta(days=settings.webhook_retention_days)
            return await store.purge(received_before=cutoff)
        finally:
            await store.close()

    gone = anyio.run(purge)
    which = "every event" if everything else f"events older than {settings.webhook_retention_days:g} days"
    err.write(f"ninjahire-mcp: deleted {gone} webhook event(s) ({which}) from {inbox_path(settings)}.\n")
    return EXIT_OK


def serve_sandbox(
    port: int, seed: int, call_duration: float, err: TextIO, *, faults: str | None = None, scale: int = 1
) -> int:
    import uvicorn

    from .sandbox import FAULTS_PATH, SANDBOX_API_KEY, FaultSpecError, create_app, parse_faults

    try:
        planned = parse_faults(faults or "")
    except FaultSpecError as exc:
        raise ConfigError(f"--faults / NINJAHIRE_SANDBOX_FAULTS: {exc}") from None
    url = f"http://127.0.0.1:{port}"
    # Seeded before anything is said: at --scale 100 that takes a few seconds, and the counts are news.
    app = create_app(seed=seed, scale=scale, call_duration=call_duration, faults=planned)
    tenant = app.state.emulator
    err.write(
        f"Ninjahire sandbox emulator on {url} (fictional data; any Bearer token is accepted).\n"
        f"Tenant (scale {scale}): {len(tenant.jobs)} jobs, {len(tenant.candidates)} candidates, "
        f"{len(tenant.applications)} applications, {len(tenant.calls)} calls.\n"
        f"Use it: NINJAHIRE_BASE_URL={url} NINJAHIRE_API_KEY={SANDBOX_API_KEY} ninjahire-mcp\n"
        f"Faults planned: {len(planned)}; read or change them at {url}{FAULTS_PATH}\n"
    )
    err.flush()
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
    return EXIT_OK


def index_status(settings: Settings, out: TextIO) -> int:
    """Each tenant's index file: calls, jobs, size on disk, and how old its data is (never whose key it is)."""
    from datetime import UTC, datetime

    from .index import IndexShelf

    shelf = IndexShelf.for_settings(settings)
    if not shelf.enabled or shelf.folder is None:
        kept = "off" if not shelf.enabled else "kept in memory by each server process"
        out.write(f"The screening index is {kept}: nothing is stored on disk.\n")
        return EXIT_OK
    files = shelf.files()
    if not files:
        out.write(f"No screening index in {shelf.folder} yet: the first question across calls makes one.\n")
        return EXIT_OK
    out.write(f"Screening index in {shelf.folder} (one file per tenant key, named by its hash):\n")
    now = datetime.now(UTC).timestamp()
    for file in files:
        status = shelf.open_file(file).status()
        age = (
            "no jobs read"
            if status.newest is None
            else (f"read {_ago(now - status.newest)} ago, oldest {_ago(now - (status.oldest or status.newest))}")
        )
        out.write(f"  {file.stem}: {status.calls} calls, {status.jobs} jobs, {status.bytes / 1e6:.1f} MB, {age}\n")
    shelf.close()
    return EXIT_OK


def purge_index(settings: Settings, err: TextIO, *, everything: bool) -> int:
    """Delete what the index keeps past its retention, or every tenant's file; say how much went, and where."""
    import time

    from .index import IndexShelf

    shelf = IndexShelf.for_settings(settings)
    if shelf.folder is None:
        err.write("ninjahire-mcp: the screening index keeps nothing on disk (NINJAHIRE_INDEX is off or memory).\n")
        return EXIT_OK
    files = shelf.files()
    if everything:
        shelf.close()
        for file in files:
            for each in (file, file.with_name(file.name + "-wal"), file.with_name(file.name + "-shm")):
                each.unlink(missing_ok=True)
        err.write(f"ninjahire-mcp: deleted the screening index of {len(files)} tenant(s) from {shelf.folder}.\n")
        return EXIT_OK
    cutoff = time.time() - settings.index_retention_days * 86400
    gone = sum(shelf.open_file(file).forget_jobs_read_before(cutoff) for file in files)
    shelf.close()
    err.write(
        f"ninjahire-mcp: deleted {gone} job(s) not read for {settings.index_retention_days:g} days from the "
        f"screening index in {shelf.folder}.\n"
    )
    return EXIT_OK


def _ago(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:.0f} days"
