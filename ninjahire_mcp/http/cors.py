"""CORS for browser clients, for the origins the operator names (NINJAHIRE_MCP_CORS_ORIGINS), off otherwise.

A browser asks first (a preflight OPTIONS without credentials) and reads an answer only when it carries
Access-Control-Allow-Origin. So a preflight from a named origin is answered here, in front of the bearer
gate, but only after the same Host and Origin checks every MCP request passes (the SDK's own, so that CORS
never opens what DNS-rebinding protection closes); every answer to a named origin says which response
headers a client may read (Mcp-Session-Id to keep its session, WWW-Authenticate to learn why it was
refused). An origin not named gets no CORS headers at all, and so nothing a browser will let it read.
"""

from __future__ import annotations

from collections.abc import Iterable

from mcp.server.transport_security import TransportSecurityMiddleware, TransportSecuritySettings
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# What a browser client may send and read, besides the CORS-safe ones.
ALLOWED_HEADERS = "authorization, content-type, accept, last-event-id, mcp-session-id, mcp-protocol-version, " \
    "x-ninjahire-api-key"  # fmt: skip
EXPOSED_HEADERS = "mcp-session-id, mcp-protocol-version, www-authenticate, retry-after"
ALLOWED_METHODS = "GET, POST, DELETE, OPTIONS"
MAX_AGE = "600"


class Cors:
    """ASGI middleware: CORS answers for `origins` on `paths`; requests from anywhere else pass untouched."""

    def __init__(
        self, app: ASGIApp, *, origins: Iterable[str], paths: Iterable[str], security: TransportSecuritySettings
    ) -> None:
        self.app = app
        self.origins = {origin.rstrip("/") for origin in origins}
        self.paths = {path.rstrip("/") for path in paths}
        self.checks = TransportSecurityMiddleware(security)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        origin = _header(scope, b"origin") if scope["type"] == "http" else None
        if origin is None or origin not in self.origins or scope.get("path", "").rstrip("/") not in self.paths:
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS" and _header(scope, b"access-control-request-method"):
            refused = await self.checks.validate_request(Request(scope), is_post=False)
            if refused is not None:  # a foreign Host (or an Origin the allow-list refuses): as for any request
                await refused(scope, receive, send)
                return
            await _preflight(send, origin)
            return

        async def with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v) for k, v in message.get("headers", []) if not k.lower().startswith(b"access-control-")
                ]
                message = {**message, "headers": [*headers, *_cors_headers(origin)]}
            await send(message)

        await self.app(scope, receive, with_cors)


def _cors_headers(origin: str) -> list[tuple[bytes, bytes]]:
    return [
        (b"access-control-allow-origin", origin.encode("latin-1")),
        (b"access-control-expose-headers", EXPOSED_HEADERS.encode()),
        (b"vary", b"Origin"),
    ]


async def _preflight(send: Send, origin: str) -> None:
    headers = [
        *_cors_headers(origin),
        (b"access-control-allow-methods", ALLOWED_METHODS.encode()),
        (b"access-control-allow-headers", ALLOWED_HEADERS.encode()),
        (b"access-control-max-age", MAX_AGE.encode()),
        (b"content-length", b"0"),
    ]
    await send({"type": "http.response.start", "status": 204, "headers": headers})
    await send({"type": "http.response.body", "body": b""})


def _header(scope: Scope, name: bytes) -> str | None:
    value = next((v for k, v in scope.get("headers", []) if k.lower() == name), None)
    return value.decode("latin-1") if value is not None else None
