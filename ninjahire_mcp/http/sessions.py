"""Whose session is it: each MCP session answers only the credentials that opened it, and SSE sessions
are capped as the SDK caps streamable ones.

A session id is not a secret its holder can be trusted with: it travels in headers and URLs, proxies
log it, and a pending question ("Phone Dana?") waits on it. So a session belongs to the credentials
its opening request brought (the bearer token and the X-Ninjahire-Api-Key header, as a keyed digest;
the raw values are never kept), and a request for it with other credentials is answered exactly as an
unknown session is: 404, the SDK's own body, so that a probe cannot even tell it exists.

The SDK's session managers (streamable HTTP, SSE) already bind each session to the principal of
`scope["user"]` when it is an `AuthenticatedUser`, and refuse a mismatch as an unknown session; the
2026-era `requestState` is bound to the same principal through the auth context. What they lack is a
principal when no OAuth verifier is configured: `SessionOwners` gives every MCP request one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets

from mcp.server.auth.middleware.auth_context import AuthContextMiddleware
from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser
from mcp.server.auth.provider import AccessToken
from mcp_types import INTERNAL_ERROR
from starlette.authentication import AuthCredentials
from starlette.types import ASGIApp, Receive, Scope, Send

from ..toolkit import API_KEY_HEADER

logger = logging.getLogger(__name__)

_AUTHORIZATION = b"authorization"
_KEY_HEADER = API_KEY_HEADER.encode()
# What the digest's key is derived from when replicas share a state key (one label, one purpose).
_OWNER_LABEL = b"ninjahire-mcp/session-owner/v1"


class SessionOwners:
    """ASGI middleware: every request to an MCP endpoint carries, as `scope["user"]`, who is asking:
    a digest of its bearer token and Ninjahire key header, keyed so that it says nothing of either.

    The digest's key is drawn per process, or derived from the replicas' shared state key so that
    stateless replicas agree on who opened a 2026-era exchange. The SDK compares owners with `!=`, not
    in constant time; that is safe here because they are keyed digests: however long a comparison
    takes, it tells a caller nothing about anyone's token or key, and no caller can choose a digest."""

    def __init__(self, app: ASGIApp, *, paths: tuple[str, ...], state_key: str | None = None) -> None:
        self.app = app
        # The auth context is what binds a 2026-era `requestState` to the same principal.
        self._with_context = AuthContextMiddleware(app)
        self._paths = paths
        if state_key:
            self._key = hmac.new(state_key.encode(), _OWNER_LABEL, hashlib.sha256).digest()
        else:
            self._key = secrets.token_bytes(32)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _under(scope.get("path", ""), self._paths):
            owner = self.owner(scope)
            scope["user"] = AuthenticatedUser(AccessToken(token="", client_id=owner, scopes=[]))
            scope["auth"] = AuthCredentials([])
            await self._with_context(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def owner(self, scope: Scope) -> str:
        """Who the request's credentials say is asking, as a digest: equal credentials, equal digests."""
        digest = hmac.new(self._key, digestmod=hashlib.sha256)
        for name in (_AUTHORIZATION, _KEY_HEADER):
            value = next((v for n, v in scope.get("headers", []) if n == name), b"").strip()
            # Length-prefixed, so that no split of one header's bytes into the other's is the same input.
            digest.update(len(value).to_bytes(4, "big") + value)
        return digest.hexdigest()


class SseSessionCap:
    """ASGI middleware: at most `limit` SSE sessions open at once (each holds a connection and a server
    task); one more is refused with 503, as the SDK refuses a streamable session beyond its cap."""

    def __init__(self, app: ASGIApp, *, sse_path: str, limit: int) -> None:
        self.app = app
        self._sse_path = sse_path
        self.limit = limit
        self.open = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not (scope["type"] == "http" and scope.get("method") == "GET" and scope.get("path") == self._sse_path):
            await self.app(scope, receive, send)
            return
        # No await between the check and the count: admission is atomic on the event loop.
        if self.open >= self.limit:
            logger.warning(
                "refused an SSE session: %d are open, the most this server holds (NINJAHIRE_HTTP_MAX_SSE_SESSIONS)",
                self.open,
            )
            await _too_many_sessions(send, self.limit)
            return
        self.open += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.open -= 1


def _under(path: str, prefixes: tuple[str, ...]) -> bool:
    return any(path == prefix or path.startswith(prefix.rstrip("/") + "/") for prefix in prefixes)


async def _too_many_sessions(send: Send, limit: int) -> None:
    # The SDK's body for a streamable session beyond its cap, with what to do about it.
    message = (
        f"Too many open sessions: this server holds at most {limit} SSE sessions at once. Try again when one "
        "has ended (close sessions you no longer use)."
    )
    body = json.dumps({"jsonrpc": "2.0", "id": None, "error": {"code": INTERNAL_ERROR, "message": message}})
    await send(
        {
            "type": "http.response.start",
            "status": 503,
            "headers": [(b"content-type", b"application/json"), (b"retry-after", b"5")],
        }
    )
    await send({"type": "http.response.body", "body": body.encode()})
