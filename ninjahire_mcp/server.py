"""`build_server`: the MCP server around the tool catalogue, on any HTTP transport. No import-time I/O."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx2
from mcp.server import MCPServer
from mcp.server.mcpserver import RequestStateSecurity

from . import __version__
from .client import NinjahireClient, RetryPolicy
from .completions import register_completions
from .config import Settings
from .instructions import build_instructions
from .prompts import register_prompts
from .resources import register_resources
from .tools import AppState, build_tools, select_specs
from .tools._call_ledger import CallLedger
from .tools._confirm import ConfirmationBook

SERVER_NAME = "ninjahire"
# Sandbox requests never leave the process; the host name only has to be a valid one.
SANDBOX_BASE_URL = "http://sandbox.ninjahire.invalid"


def build_server(
    settings: Settings,
    *,
    transport: httpx2.AsyncBaseTransport | None = None,
    retry: RetryPolicy | None = None,
) -> MCPServer[AppState]:
    """The server for `settings`. `transport` replaces the network (tests inject a mock or the sandbox);
    `retry` replaces the default retry policy."""
    base_url, api_key = settings.base_url, settings.api_key
    if settings.sandbox:
        from .sandbox import SANDBOX_API_KEY, create_app  # imported only when serving the sandbox

        base_url, api_key = SANDBOX_BASE_URL, SANDBOX_API_KEY
        # One emulator per server, outside the lifespan: its state outlives any one connection.
        transport = transport or httpx2.ASGITransport(app=create_app())

    # Outside the lifespan, which runs once per connection on SSE: tokens and the call budget are the server's.
    confirmations = ConfirmationBook(ttl=settings.confirm_ttl)
    calls_placed = CallLedger(max_per_day=settings.max_calls_per_day)

    @asynccontextmanager
    async def lifespan(_server: MCPServer[AppState]) -> AsyncIterator[AppState]:
        async with NinjahireClient(
            api_key=api_key, base_url=base_url, timeout=settings.timeout, transport=transport, retry=retry
        ) as client:
            yield AppState(api=client, settings=settings, confirmations=confirmations, calls_placed=calls_placed)

    tools = build_tools(select_specs(settings))
    # Replicas that share this key can each take the next round of a 2026-era exchange (an
    # elicitation's answer, say): the sealed request state opens on any of them.
    request_state = RequestStateSecurity(keys=[settings.state_key]) if settings.state_key else None
    server: MCPServer[AppState] = MCPServer(
        SERVER_NAME,
        title="Ninjahire" + (" (sandbox)" if settings.sandbox else ""),
        version=__version__,
        instructions=build_instructions(
            [tool.name for tool in tools], sandbox=settings.sandbox, read_only=settings.read_only
        ),
        tools=list(tools),
        lifespan=lifespan,
        request_state_security=request_state,
        log_level=settings.log_level,  # type: ignore[arg-type]  # validated by the CLI
    )
    register_prompts(server, served=[tool.name for tool in tools])
    register_resources(server)
    register_completions(server)
    return server
