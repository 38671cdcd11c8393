"""Safe by default over HTTP: who may reach the MCP endpoints, from which pages, with which session ids.

- DNS rebinding: Host and Origin are checked against an allow-list on every bind address (the SDK
  checks only when bound to loopback on its own). Loopback forms are always allowed.
- Access: with a token configured, every request to an MCP endpoint carries `Authorization: Bearer`,
  compared in constant time. /healthz and the webhook receiver are not MCP endpoints. The 401 is a
  JSON-RPC error saying what to send; MCP OAuth is not implemented, and /register (where an OAuth
  client ends up) says so.
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
# Where an OAuth client registers when the server publishes no OAuth metadata (MCP 2025-03-26).
OAUTH_REGISTRATION_PATH = "/register"
# An implementation-defined JSON-RPC code (-32000..-32019; the SDK uses -32000 and -32001 itself).
UNAUTHORIZED = -32010
# No double quote or backslash: it is also the challenge's quoted error_description (RFC 6750 3).
SEND_TOKEN = (
    "Send the header 'Authorization: Bearer <token>' with the token the server was started with "
    "(NINJAHIRE_MCP_TOKEN); with mcp-remote: --header 'Authorization: Bearer <token>'."
)
NO_OAUTH = "This server does not implement MCP OAuth: it takes a static bearer token."


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
        if scope["type"] == "http" and _is_mcp_path(scope.get("path", "")):
            given = next((value for name, value in scope.get("headers", []) if name == b"authorization"), None)
            if not self._authorized(given):
                await _unauthorized(send, token_given=given is not None)
                return
        elif scope["type"] == "http" and scope.get("path") == OAUTH_REGISTRATION_PATH:
            await _no_oauth(send)
            return
        await self.app(scope, receive, send)

    def _authorized(self, given: bytes | None) -> bool:
        scheme, _, token = (given or b"").partition(b" ")
        # The scheme is case-insensitive (RFC 7235); the token is compared in constant time.
        return scheme.lower() == b"bearer" and hmac.compare_digest(token, self._expected)


def _is_mcp_path(path: str) -> bool:
    return any(path == prefix or path.startswith(prefix + "/") for prefix in MCP_PATHS)


async def _unauthorized(send: Send, *, token_given: bool) -> None:
    # A JSON-RPC error object, which MCP clients show word for word (the Python SDK as the request's
    # error, the TypeScript SDK in "Error POSTing to endpoint (HTTP 401): ..."). id is null: the
    # body of a request that is refused is not read.
    problem = "the token in Authorization is not this server's" if token_given else "no Authorization header"
    message = f"Unauthorized: {problem}. {SEND_TOKEN}"
    body = json.dumps({"jsonrpc": "2.0", "id": None, "error": {"code": UNAUTHORIZED, "message": message}})
    # No resource_metadata: there is no OAuth metadata to discover. A client with an OAuth provider
    # (mcp-remote, the Inspector) starts its flow on any 401 whatever this header says; what it then
    # reaches is `_no_oauth`'s answer. error="invalid_token" only for a token given (RFC 6750 3.1).
    challenge = 'Bearer realm="ninjahire-mcp"' + (', error="invalid_token"' if token_given else "")
    challenge += f', error_description="{SEND_TOKEN}"'
    await send(
        {
            "type": "http.response.start",
            "status": 401,
            "headers": [(b"content-type", b"application/json"), (b"www-authenticate", challenge.encode())],
        }
    )
    await send({"type": "http.response.body", "body": body.encode()})


async def _no_oauth(send: Send) -> None:
    """The answer to OAuth dynamic client registration, where an OAuth client lands after discovery
    finds no metadata (the TypeScript SDK shows it as "Dynamic Client Registration rejected (HTTP 404):
    <this body>"): an RFC 7591 error saying what to send instead."""
    body = json.dumps({"error": "invalid_client_metadata", "error_description": f"{NO_OAUTH} {SEND_TOKEN}"})
    await send({"type": "http.response.start", "status": 404, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": body.encode()})
