"""Running the HTTP app: uvicorn, a loud warning when exposed without a token, and a clean stop."""

from __future__ import annotations

import contextlib
import logging
import math
import signal
import threading
from collections.abc import Generator

import uvicorn

from .. import __version__
from ..config import Settings
from ..inbox import WEBHOOK_PATH
from ..logs import STARTUP_LOGGER
from .app import SSE_PATH, STREAMABLE_PATH, build_http_app
from .security import is_loopback
from .timeouts import timed_http_protocol

HEALTH_PATH = "/healthz"  # as build_http_app serves it


class GracefulServer(uvicorn.Server):
    """uvicorn's stop on SIGTERM or SIGINT (no new connections, in-flight requests finish within the
    graceful timeout), without re-raising the signal afterwards: a requested stop exits with 0."""

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
    app = build_http_app(settings, server, inbox=inbox)
    path = SSE_PATH if settings.transport == "sse" else STREAMABLE_PATH
    url = f"http://{settings.host}:{settings.port}{path}"
    mode = "SANDBOX MODE (fictional data; nobody is phoned)" if settings.sandbox else f"LIVE at {settings.base_url}"
    keys = (
        "one tenant (NINJAHIRE_API_KEY)"
        if settings.api_key or settings.sandbox
        else ("each request's X-Ninjahire-Api-Key header")
    )
    startup = logging.getLogger(STARTUP_LOGGER)
    startup.info(
        f"ninjahire-mcp {__version__}: serving MCP over {settings.transport} at {url}, {mode}; Ninjahire key: "
        f"{keys}; health at /healthz"
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
    GracefulServer(config).run()
    return 0
