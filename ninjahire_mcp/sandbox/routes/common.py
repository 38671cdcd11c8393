"""Small helpers every route module uses."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..store import Emulator

Endpoint = Callable[[Request], Awaitable[Response]]


def emulator_of(request: Request) -> Emulator:
    return request.app.state.emulator


def path_param(request: Request, name: str) -> str:
    return request.path_params[name]


def listing(items: Sequence[Any], count: int | None = None) -> JSONResponse:
    """The API's list envelope; `count` is the total before paging."""
    return JSONResponse({"data": list(items), "count": len(items) if count is None else count})


def created(body: Any) -> JSONResponse:
    return JSONResponse(body, status_code=201)


def resource(path: str, **handlers: Endpoint) -> Route:
    """One route per path, dispatching on the method, so a 405 lists every allowed method."""

    async def dispatch(request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        return await handlers[method](request)

    return Route(path, dispatch, methods=list(handlers), name=path)
