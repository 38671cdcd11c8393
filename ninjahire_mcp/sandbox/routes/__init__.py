"""The emulator's routes, one module per API area, in the order the documentation lists them."""

from __future__ import annotations

from starlette.routing import BaseRoute

from . import applications, calls, candidates, jobs, questions, webhooks

ROUTES: list[BaseRoute] = [
    *jobs.ROUTES,
    *candidates.ROUTES,
    *applications.ROUTES,
    *questions.ROUTES,
    *calls.ROUTES,
    *webhooks.ROUTES,
]
