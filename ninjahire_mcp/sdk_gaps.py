"""Where the MCP SDK (mcp 2.3) offers no public way to do what this server needs: every private part of
the SDK that we touch is touched here, and nowhere else.

Each adapter says what it stands in for and what public API would replace it. No upstream issue was on
record for any of them when they were written (python-sdk issues searched for each); the test module
`tests/test_sdk_gaps.py` fails loudly, naming the adapter, when an SDK upgrade moves what it relies on.

- `serve_spec_request`: MCPServer serves no `resources/subscribe` / `resources/unsubscribe` of its own
  (they are left to the low-level server), extensions may not bind spec methods, and MCPServer has no
  public `add_request_handler`: the low-level server's is used (the SDK's own docs point to it).
- `connection_of` / `when_connection_closes`: a request's session proxy is made per request; the
  connection behind it (the one thing that identifies a 2025-era subscriber across its requests, and
  whose exit stack tells when it goes away) is private.
- `use_strong_session_ids`: the session managers mint session ids with `uuid4()` (122 random bits)
  looked up in their module at call time; ours carry 128 (as the README promises). There is no
  id-factory parameter.
- `hold_sse_streams_at_exit` / `end_sse_streams`: the SDK's SSE streams (the SSE transport's, and a
  2025-era streamable POST's answer) are sse-starlette responses, which end at once when uvicorn begins to
  exit, dropping the answer of a call still running. The SDK takes no part in that and offers no
  setting; sse-starlette's own switch (`AppStatus`) is what holds them until the calls have answered.
- `end_listen_streams`: the SDK's `ListenHandler.close()` ends every `subscriptions/listen` stream
  gracefully (the spec's closing result), but MCPServer keeps its handler private: it is found among the
  low-level server's request handlers. A public `MCPServer.close_listeners()` would replace it.
- `stream_server`: MCPServer serves stdio only whole (`run_stdio_async` reads and writes the process's
  pipes itself); our stdio transport (`ninjahire_mcp/stdio.py`) reads the lines itself and needs the
  server to serve stream pairs, more than one on one pipe. The low-level server's lifespan and the public
  `mcp.server.runner.serve_dual_era_loop` are what `run_stdio_async` uses. A public
  `MCPServer.serve(read_stream, write_stream)` under one lifespan would replace it.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from typing import Any

import mcp.server.sse
import mcp.server.streamable_http
import mcp.server.streamable_http_manager
import sse_starlette
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream
from mcp.server import MCPServer
from mcp.server.runner import serve_dual_era_loop
from mcp.server.subscriptions import ListenHandler
from mcp.shared.message import SessionMessage
from sse_starlette.sse import AppStatus

# (module, attribute) pairs that `use_strong_session_ids` rebinds.
SESSION_ID_MINTERS = ((mcp.server.streamable_http_manager, "uuid4"), (mcp.server.sse, "uuid4"))


def serve_spec_request(server: MCPServer[Any], method: str, params_type: type[Any], handler: Any) -> None:
    """Serve a spec method MCPServer leaves to the low-level server (`resources/subscribe`, say)."""
    server._lowlevel_server.add_request_handler(method, params_type, handler)


def connection_of(session: Any) -> Any:
    """The connection behind a request's session proxy: the same object for every request on it."""
    return getattr(session, "_connection", session)


def when_connection_closes(session: Any, callback: Callable[[], object]) -> bool:
    """Run `callback` when the session's connection closes; False where the SDK gives no way to know."""
    exit_stack = getattr(connection_of(session), "exit_stack", None)
    if exit_stack is None:
        return False
    exit_stack.callback(callback)
    return True


def random_session_uuid() -> uuid.UUID:
    """A UUID-shaped id of 128 random bits: no version or variant bits fixed."""
    return uuid.UUID(bytes=secrets.token_bytes(16))


def use_strong_session_ids() -> None:
    """Make the SDK's session managers draw session ids from 128 random bits (process-wide, idempotent)."""
    for module, name in SESSION_ID_MINTERS:
        setattr(module, name, random_session_uuid)


def hold_sse_streams_at_exit() -> None:
    """Keep the SDK's SSE streams open when uvicorn begins to exit, until `end_sse_streams` (process-wide)."""
    AppStatus.disable_automatic_graceful_drain()


def end_sse_streams() -> None:
    """End every SDK SSE stream still open (within sse-starlette's half-second poll)."""
    AppStatus.should_exit = True


# Serves one connection over a stream pair until its read side closes.
ServeStreams = Callable[
    [MemoryObjectReceiveStream[SessionMessage | Exception], MemoryObjectSendStream[SessionMessage]],
    Coroutine[Any, Any, None],
]


@asynccontextmanager
async def stream_server(server: MCPServer[Any]) -> AsyncIterator[ServeStreams]:
    """Enter `server`'s lifespan once, and yield what serves one connection over a stream pair in the era its
    first request opens, as `MCPServer.run_stdio_async` does on the process's pipes."""
    lowlevel = server._lowlevel_server
    options = lowlevel.create_initialization_options()
    async with lowlevel.lifespan(lowlevel) as state:

        async def serve(
            read_stream: MemoryObjectReceiveStream[SessionMessage | Exception],
            write_stream: MemoryObjectSendStream[SessionMessage],
        ) -> None:
            await serve_dual_era_loop(lowlevel, read_stream, write_stream, lifespan_state=state, init_options=options)

        yield serve


def end_listen_streams(server: MCPServer[Any]) -> None:
    """End every `subscriptions/listen` stream of `server` with the spec's graceful close (the client
    listens again elsewhere); nothing when the server serves no listeners."""
    handler = _listen_handler(server)
    if handler is not None:
        handler.close()


def _listen_handler(server: MCPServer[Any]) -> ListenHandler | None:
    entry = server._lowlevel_server.get_request_handler("subscriptions/listen")
    handler = getattr(entry, "handler", None)
    return handler if isinstance(handler, ListenHandler) else None


def missing(server: MCPServer[Any], session: Any) -> list[str]:
    """What of the private parts above the installed SDK no longer has, for `server` and a request's
    `session`: empty while every adapter holds."""
    gaps = []
    lowlevel = getattr(server, "_lowlevel_server", None)
    if not callable(getattr(lowlevel, "add_request_handler", None)):
        gaps.append("serve_spec_request: MCPServer no longer has `_lowlevel_server.add_request_handler`")
    for name in ("lifespan", "create_initialization_options"):
        if not callable(getattr(lowlevel, name, None)):
            gaps.append(f"stream_server: MCPServer's `_lowlevel_server` no longer has `{name}`")
    for module, name in SESSION_ID_MINTERS:
        if not callable(getattr(module, name, None)):
            gaps.append(f"use_strong_session_ids: {module.__name__} no longer mints ids with `{name}`")
    for module in (mcp.server.sse, mcp.server.streamable_http):
        if getattr(module, "EventSourceResponse", None) is not sse_starlette.EventSourceResponse:
            gaps.append(f"hold_sse_streams_at_exit: {module.__name__} no longer streams with sse-starlette")
    if not callable(getattr(AppStatus, "disable_automatic_graceful_drain", None)):
        gaps.append("hold_sse_streams_at_exit: sse-starlette's AppStatus no longer has its drain switch")
    if not callable(getattr(lowlevel, "get_request_handler", None)) or _listen_handler(server) is None:
        gaps.append("end_listen_streams: the low-level server no longer holds a ListenHandler for listen requests")
    connection = connection_of(session)
    if connection is session:
        gaps.append("connection_of: a request's session no longer keeps its `_connection`")
    elif getattr(connection, "exit_stack", None) is None:
        gaps.append("when_connection_closes: the connection no longer has an `exit_stack`")
    return gaps
