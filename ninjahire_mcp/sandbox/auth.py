"""Bearer-key check in front of every route, and the request log that tests read afterwards."""

from __future__ import annotations

from collections.abc import Collection

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from .store import Emulator, RecordedRequest


def bearer_token(authorization: str | None) -> str | None:
    """The key of an `Authorization: Bearer <key>` header; None when there is no usable one."""
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return token


class RequireApiKey:
    """Log every request, then refuse those without an accepted key (401) before any routing.

    `api_keys=None` accepts any non-empty key, as a sandbox should; otherwise only the listed ones.
    `public_paths` need no key (the API's description, which a tool reads before it has one).
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        emulator: Emulator,
        api_keys: Collection[str] | None,
        public_paths: Collection[str] = (),
    ) -> None:
        self.app = app
        self.emulator = emulator
        self.api_keys = None if api_keys is None else frozenset(api_keys)
        self.public_paths = frozenset(public_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        key = bearer_token(Headers(scope=scope).get("authorization"))
        self.emulator.request_log.append(
            RecordedRequest(
                method=scope["method"],
                path=scope["path"],
                query=scope.get("query_string", b"").decode("latin-1"),
                api_key=key,
            )
        )
        if scope["path"] in self.public_paths:
            await self.app(scope, receive, send)
            return
        if key is None:
            message = "Missing API key: send the header 'Authorization: Bearer <API key>'"
        elif self.api_keys is not None and key not in self.api_keys:
            message = "Invalid API key"
        else:
            await self.app(scope, receive, send)
            return
        response = JSONResponse({"message": message}, status_code=401, headers={"WWW-Authenticate": "Bearer"})
        await response(scope, receive, send)
