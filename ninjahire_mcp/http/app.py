"""The ASGI app that serves the MCP server over streamable HTTP or SSE, with /healthz beside it."""

from __future__ import annotations

from typing import Any

from mcp.server import MCPServer
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp

from .. import __version__
from ..config import Settings
from ..inbox import Inbox, inbox_routes
from ..sdk_gaps import use_strong_session_ids
from .cors import Cors
from .protocol_errors import ProtocolErrors
from .security import MCP_PATHS, BearerTokenGate, transport_security
from .sessions import SessionOwners, SseSessionCap

STREAMABLE_PATH = "/mcp"
SSE_PATH, SSE_MESSAGES_PATH = "/sse", "/messages/"
HEALTH_PATH = "/healthz"
MAX_REQUEST_BODY = 4 * 1024 * 1024


def build_http_app(settings: Settings, server: MCPServer[Any], *, inbox: Inbox | None = None) -> ASGIApp:
    """The MCP endpoints of `settings.transport`, /healthz, and the webhook inbox's endpoint when there
    is one (`inbox`, the one given to `build_server`: what it receives, the server's tools read)."""
    use_strong_session_ids()
    for route in inbox_routes(inbox) if inbox is not None else []:
        # Beside the MCP endpoints, outside the bearer-token gate: the signature is what guards it.
        server.custom_route(route.path, methods=sorted(route.methods or ["POST"]), name=route.name)(route.endpoint)

    @server.custom_route(HEALTH_PATH, methods=["GET"])
    async def healthz(_request: Request) -> JSONResponse:
        # Enough for a load balancer and an operator; nothing about tenants, keys or callers.
        return JSONResponse(
            {
                "status": "ok",
                "version": __version__,
                "mode": "sandbox" if settings.sandbox else "live",
                "transport": settings.transport,
                "stateless": settings.stateless,
            }
        )

    security = transport_security(settings.allowed_hosts, settings.allowed_origins)
    if settings.transport == "sse":
        app: ASGIApp = server.sse_app(
            sse_path=SSE_PATH,
            message_path=SSE_MESSAGES_PATH,
            max_request_body_size=MAX_REQUEST_BODY,
            transport_security=security,
            host=settings.host,
        )
        app = ProtocolErrors(app, path=SSE_MESSAGES_PATH, versions=False)
        app = SseSessionCap(app, sse_path=SSE_PATH, limit=settings.max_sse_sessions)
    else:
        app = server.streamable_http_app(
            streamable_http_path=STREAMABLE_PATH,
            stateless_http=settings.stateless,
            max_request_body_size=MAX_REQUEST_BODY,
            transport_security=security,
            host=settings.host,
        )
        # Errors that say what went wrong where the SDK's do not (protocol_errors.py).
        app = ProtocolErrors(app, path=STREAMABLE_PATH)
    # Inside the gate: a request without the token is refused before it is anyone's.
    app = SessionOwners(app, paths=MCP_PATHS, state_key=settings.state_key)
    app = BearerTokenGate(app, settings.auth_token) if settings.auth_token else app
    # Outside the gate: a browser's preflight carries no token. Off unless origins are named.
    if settings.cors_origins:
        app = Cors(app, origins=settings.cors_origins, paths=MCP_PATHS, security=security)
    return app
