"""POST /webhooks/ninjahire: Ninjahire's deliveries, checked, stored, then acknowledged.

The answers a sender can act on: 413 past the size bound (checked first, before reading more), 401
for a missing or bad signature or a timestamp out of its window, 400 for a signed body that is not
JSON, 503 when the event could not be stored (Ninjahire will retry), and 200 only once the event is
committed: a repeated delivery also gets 200 (`"duplicate": true`) and is not stored twice.

This route is not an MCP endpoint: the MCP bearer token does not guard it, the signature does. Logs
say why a delivery was refused, never the secret, the signature or anything from the payload.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from starlette.background import BackgroundTask
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .inbox import Inbox
from .verify import SIGNATURE_HEADER, TIMESTAMP_HEADER, Refused

logger = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/ninjahire"
MAX_DEPTH = 64  # of nested objects and arrays: Ninjahire's events are a few levels deep


class BodyTooLarge(Exception):
    pass


def inbox_routes(inbox: Inbox) -> list[Route]:
    """The routes to serve beside /mcp and /healthz (outside the MCP bearer-token gate)."""

    async def endpoint(request: Request) -> Response:
        return await receive(request, inbox)

    return [Route(WEBHOOK_PATH, endpoint, methods=["POST"], name="ninjahire_webhook")]


async def receive(request: Request, inbox: Inbox) -> Response:
    try:
        body = await read_bounded(request, inbox.max_body)
    except BodyTooLarge:
        logger.warning("webhook refused: body over %d bytes", inbox.max_body)
        return _answer(413, f"body larger than {inbox.max_body} bytes")
    except ClientDisconnect:
        return _answer(400, "the request body did not arrive")

    payload, parsed = _parsed(body)
    try:
        inbox.authenticate(
            body=body,
            payload=payload,
            parsed=parsed,
            signature=request.headers.get(SIGNATURE_HEADER),
            timestamp=request.headers.get(TIMESTAMP_HEADER),
        )
    except Refused as refusal:
        # Authentication comes before the JSON check: an unsigned caller learns nothing about parsing.
        logger.warning("webhook refused (401): %s", refusal)
        return _answer(401, str(refusal))
    if not parsed:
        logger.warning("webhook refused (400): signed body is not JSON")
        return _answer(400, "body is not JSON (configure the webhook's content_type as application/json)")
    if _deeper_than(payload, MAX_DEPTH):
        # Stored, it would break every reader that walks it (a RecursionError in the tool and the resource).
        logger.warning("webhook refused (400): JSON nested deeper than %d levels", MAX_DEPTH)
        return _answer(400, f"body nests objects or arrays deeper than {MAX_DEPTH} levels")

    try:
        accepted = await inbox.accept(payload)
    except Exception:
        logger.exception("webhook inbox: could not store an event; answering 503 so that it is sent again")
        return _answer(503, "the event could not be stored; send it again later")

    event = accepted.event
    if not accepted.new:
        logger.info("webhook: repeated delivery of event %s acknowledged, not stored again", event.id)
        return JSONResponse({"ok": True, "id": event.id, "duplicate": True})
    logger.info("webhook: stored event %s (%s)", event.id, event.event_type or "no event type")
    # Subscribers hear of it after the answer is sent: a slow MCP client must not hold Ninjahire's request.
    return JSONResponse({"ok": True, "id": event.id}, background=BackgroundTask(inbox.notify, event))


async def read_bounded(request: Request, limit: int) -> bytes:
    """The body, or BodyTooLarge as soon as it is known to pass `limit` (declared or streamed)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _parsed(body: bytes) -> tuple[Any, bool]:
    try:
        return json.loads(body), True
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return None, False


def _answer(status: int, error: str) -> JSONResponse:
    return JSONResponse({"ok": False, "error": error}, status_code=status)


def _deeper_than(payload: Any, limit: int) -> bool:
    """Whether objects and arrays nest more than `limit` deep (walked without recursion)."""
    stack = [(payload, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        for child in children:
            if isinstance(child, dict | list):
                if depth + 1 > limit:
                    return True
                stack.append((child, depth + 1))
    return False
