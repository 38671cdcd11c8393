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
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from typing import Any

import mcp.server.sse
import mcp.server.streamable_http_manager
from mcp.server import MCPServer

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


def missing(server: MCPServer[Any], session: Any) -> list[str]:
    """What of the private parts above the installed SDK no longer has, for `server` and a request's
    `session`: empty while every adapter holds."""
    gaps = []
    lowlevel = getattr(server, "_lowlevel_server", None)
    if not callable(getattr(lowlevel, "add_request_handler", None)):
        gaps.append("serve_spec_request: MCPServer no longer has `_lowlevel_server.add_request_handler`")
    for module, name in SESSION_ID_MINTERS:
        if not callable(getattr(module, name, None)):
            gaps.append(f"use_strong_session_ids: {module.__name__} no longer mints ids with `{name}`")
    connection = connection_of(session)
    if connection is session:
        gaps.append("connection_of: a request's session no longer keeps its `_connection`")
    elif getattr(connection, "exit_stack", None) is None:
        gaps.append("when_connection_closes: the connection no longer has an `exit_stack`")
    return gaps
