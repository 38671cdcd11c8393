"""Safe by default over HTTP: who may reach the MCP endpoints, from which pages, with which session ids.

- DNS rebinding: Host and Origin are checked against an allow-list on every bind address (the SDK
  checks only when bound to loopback on its own). Loopback forms are always allowed.
- Access: with a token configured, every request to an MCP endpoint carries `Authorization: Bearer`,
  compared in constant time. /healthz and the webhook receiver are not MCP endpoints.
- Session ids carry 128 random bits (the SDK's uuid4 carries 122; see `sdk_gaps`), and are never
  authentication: a session answers only the credentials that opened it (`sessions.SessionOwners`),
  and its id is never logged (`logs`).
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Iterable

from mcp.server.transport_security import TransportSecuritySettings
from starlette.types import ASGIApp, Receive, Scope, Send

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
MCP_PATHS = ("/mcp", "/sse", "/messages")


def transport_security(allowed_hosts: Iterable[str], allowed_origins: Iterable[str]) -> TransportSecuritySettings:
    """The allow-lists: the loopback forms, plus what the operator named. Origins default to the http
    and https origins of every allowed host."""
    hosts = [*(f"{host}:*" for host in LOOPBACK_HOSTS), *LOOPBACK_HOSTS]
    for host in allowed_hosts:
        hosts += [host] if ":" in host.removeprefix("[").split("]")[-1] else [host, f"{host}:*"]
    origins = list(dict.fromkeys(allowed_origins))
    if not origins:
        origins = [f"{scheme}://{host}" for host in hosts for scheme in ("http", "https")]
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=list(dict.fromkeys(hosts)),
        allowed_origins=list(dict.fromkeys(origins)),
    )


def is_loopback(host: str) -> bool:
    return host in ("127.0.0.1", "localhost", "::1") or host.startswith("127.")


class BearerTokenGate:
    """ASGI middleware: the MCP endpoints answer only requests that bring the configured token."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self._expected = token.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _is_mcp_path(scope.get("path", "")) and not self._authorized(scope):
            await _unauthorized(send)
            return
        await self.app(scope, receive, send)

    def _authorized(self, scope: Scope) -> bool:
        given = next((value for name, value in scope.get("headers", []) if name == b"authorization"), b"")
        scheme, _, token = given.partition(b" ")
        # The scheme is case-insensitive (RFC 7235); the token is compared in constant time.
        return scheme.lower() == b"bearer" and hmac.compare_digest(token, self._expected)


def _is_mcp_path(path: str) -> bool:
    return any(path == prefix or path.startswith(prefix + "/") for prefix in MCP_PATHS)


async def _unauthorized(send: Send) -> None:
    body = json.dumps({"error": "unauthorized", "detail": "Send Authorization: Bearer <NINJAHIRE_MCP_TOKEN>."})
    await send(
        {
            "type": "http.response.start",
            "status": 401,
            "headers": [
                (b"content-type", b"application/json"),
                (b"www-authenticate", b'Bearer realm="ninjahire-mcp"'),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body.encode()})
