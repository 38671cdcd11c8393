"""Protocol errors over HTTP that name the problem and the fix.

The SDK's transport (mcp/server/streamable_http.py and streamable_http_manager.py) answers these
cases itself, in words that send a user the wrong way:

- an `MCP-Protocol-Version` header it does not know is routed to the 2026 entry, which answers
  -32602 about a missing `params._meta` envelope, not about the version;
- a request without a session id before `initialize` gets "Bad Request: Missing session ID";
- a JSON-RPC batch (or any body that is not one JSON-RPC message) gets -32602 and pydantic's
  validation dump. MCP 2025-06-18 removed batching, and the SDK takes none over HTTP (on stdio,
  the project's stdio.py answers them).

This layer answers the first and the batch before the SDK sees the request (neither needs more
than the header and the body's first byte), and rewrites the SDK's own 400 answers for the others.
It never changes a successful answer. On the SSE transport's message endpoint it answers batches
only (the SDK says "Could not parse message" there).
"""

from __future__ import annotations

import json
from typing import Any

from mcp_types import INVALID_REQUEST, UNSUPPORTED_PROTOCOL_VERSION
from mcp_types.version import HANDSHAKE_PROTOCOL_VERSIONS, MODERN_PROTOCOL_VERSIONS
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SUPPORTED_VERSIONS = (*HANDSHAKE_PROTOCOL_VERSIONS, *MODERN_PROTOCOL_VERSIONS)
VERSION_HEADER = b"mcp-protocol-version"
# The SDK's own messages for the cases rewritten below (mcp/server/streamable_http.py).
SDK_MISSING_SESSION = "Bad Request: Missing session ID"
SDK_VALIDATION_PREFIX = "Validation error:"
# An error body bigger than this is not one of the SDK's short answers: passed on unread.
MAX_REWRITTEN_BODY = 64 * 1024

BATCH = (
    "JSON-RPC batches are not accepted: MCP over HTTP takes one JSON-RPC message per POST "
    "(batching was removed in protocol 2025-06-18). Send each request in its own POST."
)
NOT_A_MESSAGE = (
    'Invalid Request: the body is not a JSON-RPC 2.0 message. A request is {"jsonrpc": "2.0", "id": 1, '
    '"method": "tools/list", "params": {}}; a notification has no "id".'
)
INITIALIZE_FIRST = (
    "No session: this request carries no Mcp-Session-Id header. Initialize first: POST an initialize "
    "request, then send notifications/initialized and every later request with the Mcp-Session-Id header "
    "that its response carries."
)


def unsupported_version(requested: str) -> str:
    handshake = ", ".join(HANDSHAKE_PROTOCOL_VERSIONS)
    modern = ", ".join(MODERN_PROTOCOL_VERSIONS)
    return (
        f"Unsupported MCP-Protocol-Version header {requested!r}: this server supports {handshake} (after an "
        f"initialize handshake) and {modern} (per request, with params._meta). Send one of these, or omit "
        "the header on the initialize request."
    )


class ProtocolErrors:
    """ASGI middleware around the SDK's streamable HTTP app, for requests to `path`."""

    def __init__(self, app: ASGIApp, *, path: str, versions: bool = True) -> None:
        self.app = app
        self._paths = (path.rstrip("/"), path.rstrip("/") + "/")
        # The SSE transport (2024-11-05) has no MCP-Protocol-Version header to check.
        self._versions = versions

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") not in self._paths:
            await self.app(scope, receive, send)
            return
        version = _header(scope, VERSION_HEADER)
        if self._versions and version is not None and version not in SUPPORTED_VERSIONS:
            data = {"supported": list(SUPPORTED_VERSIONS), "requested": version}
            await _reject(send, UNSUPPORTED_PROTOCOL_VERSION, unsupported_version(version), data)
            return
        if scope.get("method") == "POST":
            first, receive = await _peek(receive)
            if first == b"[":
                await _reject(send, INVALID_REQUEST, BATCH)
                return
        await self.app(scope, receive, _rewriting_errors(send))


def _header(scope: Scope, name: bytes) -> str | None:
    return next((value.decode("latin-1") for key, value in scope.get("headers", []) if key == name), None)


async def _peek(receive: Receive) -> tuple[bytes, Receive]:
    """The body's first non-blank byte (b"" if none), and a `receive` that gives the whole body again:
    only what it takes to find that byte is read ahead, so the SDK's body limit still applies."""
    seen: list[Message] = []
    first = b""
    while True:
        message = await receive()
        seen.append(message)
        if message["type"] != "http.request":
            break
        stripped = message.get("body", b"").lstrip()
        if stripped:
            first = stripped[:1]
            break
        if not message.get("more_body", False):
            break

    async def replay() -> Message:
        return seen.pop(0) if seen else await receive()

    return first, replay


def _rewriting_errors(send: Send) -> Send:
    """`send`, with the SDK's 400 JSON answers named above reworded; every other answer untouched."""
    held: Message | None = None
    chunks: list[bytes] = []

    async def wrapped(message: Message) -> None:
        nonlocal held
        if message["type"] == "http.response.start" and message["status"] == 400 and _is_json(message):
            held = message
            return
        if held is None or message["type"] != "http.response.body":
            await send(message)
            return
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
        if more and sum(map(len, chunks)) <= MAX_REWRITTEN_BODY:
            return
        start, body = held, b"".join(chunks)
        held, chunks[:] = None, []
        if more:  # too long to be one of the SDK's short answers: passed on as it came
            await send(start)
            await send({"type": "http.response.body", "body": body, "more_body": True})
            return
        body, no_session = _reworded(body)
        # The SDK names the session it opened for a refused opening request, and has discarded it.
        dropped = (b"content-length", b"mcp-session-id") if no_session else (b"content-length",)
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in dropped]
        await send({**start, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    return wrapped


def _is_json(start: Message) -> bool:
    content_type = dict(start.get("headers", [])).get(b"content-type", b"")
    return content_type.split(b";")[0].strip().lower() == b"application/json"


def _reworded(body: bytes) -> tuple[bytes, bool]:
    """The answer reworded, and whether it is the one refusing a request that opens no session."""
    try:
        answer = json.loads(body)
        message = answer["error"]["message"]
    except (ValueError, KeyError, TypeError):
        return body, False
    if message == SDK_MISSING_SESSION:
        answer["error"] = {"code": INVALID_REQUEST, "message": INITIALIZE_FIRST}
        return json.dumps(answer).encode(), True
    if isinstance(message, str) and message.startswith(SDK_VALIDATION_PREFIX):
        # -32600 is JSON-RPC's code for a body that is not a valid request object (the SDK says -32602).
        answer["error"] = {"code": INVALID_REQUEST, "message": NOT_A_MESSAGE}
        return json.dumps(answer).encode(), False
    return body, False


def jsonrpc_error(code: int, message: str, data: Any = None) -> bytes:
    """A JSON-RPC error answer without a request id (the request is refused before it is read)."""
    error: dict[str, Any] = {"code": code, "message": message}
    if data is not None:
        error["data"] = data
    return json.dumps({"jsonrpc": "2.0", "id": None, "error": error}).encode()


async def _reject(send: Send, code: int, message: str, data: Any = None) -> None:
    body = jsonrpc_error(code, message, data)
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 400, "headers": headers})
    await send({"type": "http.response.body", "body": body})
