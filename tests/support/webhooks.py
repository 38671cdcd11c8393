"""For the webhook inbox's tests: signed deliveries, an inbox on a temporary file, its HTTP client.

Signatures are computed here with hmac directly, not with the package's own code, so that a mistake
in the package cannot agree with itself.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx2
from starlette.applications import Starlette

from ninjahire_mcp.inbox import WEBHOOK_PATH, EventStore, Inbox, inbox_routes

from .clock import Clock

SECRET = "whsec_test_2f9c41d07be3"
NOW = 1_750_000_000.0  # 2025-06-15T15:06:40Z
CALL = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
APPLICATION = "0f8fad5b-d9cb-469f-a165-70867728950e"
OTHER_APPLICATION = "1b4e28ba-2fa1-41d2-883f-0016d3cca427"


def call_event(call_id: str = CALL, application_id: str = APPLICATION, **extra: Any) -> dict[str, Any]:
    return {
        "event": "call_activity",
        "type": "post_call_screening",
        "call_id": call_id,
        "application_id": application_id,
        "call_status": "call_completed",
        "call_score": 87,
        **extra,
    }


def signature(body: bytes, secret: str = SECRET) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def delivery(
    payload: Any = None,
    *,
    body: bytes | None = None,
    timestamp: str | float | None = NOW,
    secret: str = SECRET,
    signed: bytes | None = None,
    sign: str | bytes | None = "",
) -> dict[str, Any]:
    """`httpx2` request arguments for one delivery: the body (pretty-printed JSON of `payload` unless
    given), signed over `signed` (default: the body) unless `sign` overrides the header (None: no header)."""
    if body is None:
        body = json.dumps(payload if payload is not None else call_event(), indent=2).encode()
    headers: dict[str, str | bytes] = {"Content-Type": "application/json"}
    if sign is not None:
        headers["X-NINJAHIRE-Signature"] = sign or signature(signed if signed is not None else body, secret)
    if timestamp is not None:
        headers["X-NINJAHIRE-Timestamp"] = str(int(timestamp)) if isinstance(timestamp, float) else timestamp
    return {"content": body, "headers": headers}


def stringified(payload: Any) -> bytes:
    """What Ninjahire's Node.js sample signs: JSON.stringify(payload)."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def make_inbox(path: Path | str, clock: Callable[[], float] | None = None, **options: Any) -> Inbox:
    return Inbox(secret=SECRET, store=EventStore(path), clock=clock or Clock(NOW), **options)


def inbox_app(inbox: Inbox) -> Starlette:
    return Starlette(routes=inbox_routes(inbox))


@asynccontextmanager
async def posting(inbox: Inbox) -> AsyncIterator[httpx2.AsyncClient]:
    """An HTTP client of the inbox's routes, in-process."""
    transport = httpx2.ASGITransport(app=inbox_app(inbox))
    async with httpx2.AsyncClient(transport=transport, base_url="http://inbox.test") as client:
        yield client


async def post(client: httpx2.AsyncClient, **request: Any) -> httpx2.Response:
    return await client.post(WEBHOOK_PATH, **request)
