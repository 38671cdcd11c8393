"""Assemble the sandbox: seeded state, routes, the key check and the API's error shapes."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable, Mapping
from functools import cache
from importlib.resources import files
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .auth import RequireApiKey
from .errors import ApiError, render_api_error, render_http_exception
from .faults import FAULT_ROUTES, Fault, FaultPlan, InjectFaults
from .routes import ROUTES
from .seed import populate
from .store import Emulator
from .webhook_push import WebhookPusher

# The key our own server sends in sandbox mode; with api_keys=None any non-empty key is accepted too.
SANDBOX_API_KEY = "sandbox-key"

# The OpenAPI description of the API as this project reads its documentation; served without a key.
OPENAPI_PATH = "/openapi.json"


@cache
def openapi_document() -> bytes:
    return files("ninjahire_mcp.sandbox").joinpath("openapi.json").read_bytes()


async def serve_openapi(request: Request) -> Response:
    return Response(openapi_document(), media_type="application/json")


def create_app(
    *,
    seed: int = 7,
    scale: int = 1,
    api_keys: Collection[str] | None = None,
    call_duration: float = 8.0,
    clock: Callable[[], float] = time.monotonic,
    webhook_url: str | None = None,
    webhook_secret: str | None = None,
    faults: str | Iterable[Fault | Mapping[str, Any]] = (),
) -> Starlette:
    """Build a fresh emulator of the Ninjahire API; the same seed always gives the same data.

    `scale` N seeds N copies of the default tenant (about 130 calls each; seed.py), the same for the
    same seed and scale.

    `call_duration` is how long, by `clock`, an instant call stays in progress. Calls finish when
    they are next read after that time. With `webhook_url` and `webhook_secret`, each instant call's
    end is also POSTed there, signed (webhook_push.py), by a loop that runs in the app's lifespan, or
    in `webhook_push.background(app)` when the app is reached in-process. `faults` is the initial fault
    plan (faults.py: Fault objects, their JSON, or a spec string); `app.state.faults` changes it later.
    """
    emulator = Emulator(seed=seed, call_duration=call_duration, clock=clock)
    populate(emulator, seed, scale)
    plan = FaultPlan(faults)
    pusher = None
    if webhook_url and webhook_secret:
        pusher = WebhookPusher(webhook_url, webhook_secret, tenant_id=emulator.tenant_id)
        emulator.on_call_finished = pusher.call_finished
    app = Starlette(
        routes=[*ROUTES, Route(OPENAPI_PATH, serve_openapi, methods=["GET"]), *FAULT_ROUTES],
        middleware=[
            Middleware(RequireApiKey, emulator=emulator, api_keys=api_keys, public_paths={OPENAPI_PATH}),
            # Inside the key check: faulted requests are logged, and the fault endpoint needs a key.
            Middleware(InjectFaults, plan=plan),
        ],
        exception_handlers={ApiError: render_api_error, HTTPException: render_http_exception},
        lifespan=pusher.lifespan if pusher else None,
    )
    app.state.emulator = emulator
    app.state.faults = plan
    app.state.webhook_pusher = pusher
    return app
