"""Running the HTTP app: uvicorn, a loud warning when exposed without a token, and a clean stop."""

from __future__ import annotations

import contextlib
import logging
import math
import signal
import socket
import threading
import time
from collections.abc import Generator
from typing import Any

import uvicorn
from mcp.server import MCPServer

from .. import __version__
from ..config import Settings
from ..inbox import WEBHOOK_PATH
from ..logs import STARTUP_LOGGER
from ..sdk_gaps import end_listen_streams, end_sse_streams, hold_sse_streams_at_exit
from .app import HEALTH_PATH, SSE_MESSAGES_PATH, SSE_PATH, STREAMABLE_PATH, build_http_app
from .draining import Draining
from .security import is_loopback
from .timeouts import timed_http_protocol


class GracefulServer(uvicorn.Server):
    """uvicorn's stop on SIGTERM or SIGINT, without re-raising the signal afterwards (a requested stop
    exits with 0), and with the MCP calls in flight answered before anything is torn down.

    uvicorn alone lets every SSE stream end the moment the signal comes (sse-starlette watches for it),
    the answer of a call still running with them, and then cancels what runs. So first `draining.stop`:
    listeners told their stream ends, new requests refused (503, /healthz too, so that a load balancer
    turns away), calls in flight answered within the graceful timeout and unfinished ones told so. The
    port stays open meanwhile: the person's answer to a call's question may need a new connection. Then
    the SSE streams are ended, and uvicorn's own shutdown (port and connections closed, lifespan ended)
    has what time is left."""

    def __init__(self, config: uvicorn.Config, draining: Draining, mcp: MCPServer[Any]) -> None:
        super().__init__(config)
        self.draining = draining
        self.mcp = mcp
        hold_sse_streams_at_exit()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        if not self.force_exit:
            end_listen_streams(self.mcp)  # a listener waits for news, not for an answer: never waited for
            budget = float(self.config.timeout_graceful_shutdown or 0)
            began = time.monotonic()
            await self.draining.stop(budget, give_up=lambda: self.force_exit)
            end_sse_streams()
            # The rest of the budget for closing connections, at least a second.
            self.config.timeout_graceful_shutdown = max(1, math.ceil(budget - (time.monotonic() - began)))
        await super().shutdown(sockets)

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        original = {sig: signal.signal(sig, self.handle_exit) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, handler in original.items():
                signal.signal(sig, handler)


def serve_http(settings: Settings) -> int:
    from ..inbox import Inbox
    from ..server import build_server

    inbox = Inbox.from_settings(settings) if settings.inbox_enabled else None
    server = build_server(settings, inbox=inbox)
    app = draining = Draining(
        build_http_app(settings, server, inbox=inbox),
        streamable_path=STREAMABLE_PATH,
        sse_path=SSE_PATH,
        messages_path=SSE_MESSAGES_PATH,
        health_path=HEALTH_PATH,
    )
    path = SSE_PATH if settings.transport == "sse" else STREAMABLE_PATH
    url = f"http://{settings.host}:{settings.port}{path}"
    mode = "SANDBOX MODE (fictional data; nobody is phoned)" if settings.sandbox else f"LIVE at {settings.base_url}"
    # Only what is so: the sandbox's emulator needs no key, whether one is set or not.
    if settings.sandbox:
        keys = "none needed (the sandbox's fictional tenant)"
    elif settings.api_key:
        keys = "one tenant (NINJAHIRE_API_KEY)"
    else:
        keys = "each request's X-Ninjahire-Api-Key header"
    startup = logging.getLogger(STARTUP_LOGGER)
    startup.info(
        f"ninjahire-mcp {__version__}: serving MCP over {settings.transport} at {url}, {mode}; Ninjahire key: "
        f"{keys}; health at {HEALTH_PATH}"
        + (f"; webhooks at {WEBHOOK_PATH} (signed with NINJAHIRE_WEBHOOK_SECRET)" if inbox else "")
        + "."
    )
    if not settings.auth_token and not is_loopback(settings.host):
        startup.warning(
            "serving on a non-loopback address with NO access token: anyone who can reach "
            f"{settings.host}:{settings.port} can use these tools. Set NINJAHIRE_MCP_TOKEN (or --auth-token)."
        )
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
        # uvicorn's records go through the process's JSON handler (see logs.py), not its own formatter.
        log_config=None,
        timeout_graceful_shutdown=math.ceil(settings.shutdown_timeout),
        lifespan="on",
        # uvicorn's h11 protocol with deadlines on each request's head and body (see timeouts.py).
        http=timed_http_protocol(settings.http_header_timeout, settings.http_body_timeout),
    )
    GracefulServer(config, draining, server).run()
    return 0
