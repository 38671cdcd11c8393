"""Assemble the sandbox: seeded state, routes, the key check and the API's error shapes."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware

from .auth import RequireApiKey
from .errors import ApiError, render_api_error, render_http_exception
from .routes import ROUTES
from .seed import populate
from .store import Emulator

# The key our own server sends in sandbox mode; with api_keys=None any non-empty key is accepted too.
SANDBOX_API_KEY = "sandbox-key"


def create_app(
    *,
    seed: int = 7,
    api_keys: Collection[str] | None = None,
    call_duration: float = 8.0,
    clock: Callable[[], float] = time.monotonic,
) -> Starlette:
    """Build a fresh emulator of the Ninjahire API; the same seed always gives the same data.

    `call_duration` is how long, by `clock`, an instant call stays in progress. Nothing runs in the
    background: calls finish when they are next read after that time.
    """
    emulator = Emulator(seed=seed, call_duration=call_duration, clock=clock)
    populate(emulator, seed)
    app = Starlette(
        routes=ROUTES,
        middleware=[Middleware(RequireApiKey, emulator=emulator, api_keys=api_keys)],
        exception_handlers={ApiError: render_api_error, HTTPException: render_http_exception},
    )
    app.state.emulator = emulator
    return app
