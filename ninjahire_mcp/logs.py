"""Logs on stderr, one JSON object per line, with nothing in them that belongs to a candidate or a tenant.

Our own events (a tool call) carry their fields in `record.<EVENT_FIELDS>`; any other record is
rendered as level, logger and message. Libraries that dump URLs or protocol messages at their chattier
levels are held at a level where they do not, whatever --log-level says.
"""

from __future__ import annotations

import json
import logging
import re
import traceback
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, TextIO

EVENT_FIELDS = "event_fields"
STARTUP_LOGGER = "ninjahire_mcp.startup"

# The least a library logger is allowed to log at, and why.
_FLOORS = {
    # Its INFO line is every request's full URL, query string included (search terms, ids): the
    # tool_call line says the same with route templates.
    "httpx2": logging.WARNING,
    # At DEBUG they log each request's and response's raw headers, an Authorization header included.
    "httpcore2": logging.INFO,
    # At DEBUG they log every JSON-RPC message received or sent (arguments and results), or every chunk.
    "mcp.server.sse": logging.INFO,
    "sse_starlette": logging.INFO,
    # At INFO it logs a failed resource read with its message, which may quote the API's answer.
    "mcp.server.mcpserver.server": logging.WARNING,
}


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line. Exceptions keep their type and stack, not their
    message: a message can quote the data that did not parse."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        fields = getattr(record, EVENT_FIELDS, None)
        if isinstance(fields, Mapping):
            line.update(fields)
        else:
            line["message"] = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            line["exception"] = _exception(record.exc_info[1])
        return json.dumps(line, default=str, separators=(",", ":"))


def _exception(exc: BaseException) -> dict[str, Any]:
    frames = traceback.extract_tb(exc.__traceback__)
    shown: dict[str, Any] = {
        "type": type(exc).__name__,
        "stack": [f"{frame.filename}:{frame.lineno} in {frame.name}" for frame in frames[-10:]],
    }
    cause = exc.__cause__ or exc.__context__
    if cause is not None and cause is not exc:
        shown["cause"] = type(cause).__name__
    return shown


class _NoQueryString(logging.Filter):
    """uvicorn's access line shows the path with its query string (an SSE session id, say): path only."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            record.args = (*args[:2], args[2].split("?", 1)[0], *args[3:])
        return True


class _NoSessionIds(logging.Filter):
    """No session id is ever written, at any level: whoever reads the log must not get to hold one.

    The SDK writes them (at INFO, as it opens and ends a session, and at DEBUG), and so may a URL's
    query string. Session ids are 32 hex digits (the SSE transport logs them as dashed UUIDs): any run
    of 32 or more is replaced, dashed forms too in the libraries' records (ours name Ninjahire's dashed
    ids, never a session), as is any `session_id=` value. Our own events carry no session id."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(getattr(record, EVENT_FIELDS, None), Mapping):
            return True
        try:
            message = record.getMessage()
        except Exception:  # a record that cannot be rendered is the formatter's to report
            return True
        ours = record.name == "ninjahire_mcp" or record.name.startswith("ninjahire_mcp.")
        scrubbed = _SESSION_QUERY.sub(r"\1<id>", message)
        scrubbed = (_LONG_HEX if ours else _LONG_HEX_OR_UUID).sub("<id>", scrubbed)
        if scrubbed != message:
            record.msg, record.args = scrubbed, None
        return True


_SESSION_QUERY = re.compile(r"(session_id=)[^&\s\"'>]+", re.IGNORECASE)
_LONG_HEX = re.compile(r"[0-9a-fA-F]{32,}")
_LONG_HEX_OR_UUID = re.compile(r"[0-9a-fA-F](?:-?[0-9a-fA-F]){31,}")


def configure_logging(level: str, stream: TextIO) -> None:
    """JSON lines on `stream` at `level`, for everything in the process (uvicorn included)."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    # On the handler, so that it sees every record, whichever logger it was written to.
    handler.addFilter(_NoSessionIds())
    logging.basicConfig(level=level, handlers=[handler], force=True)
    threshold = logging.getLevelName(level)
    for name, floor in _FLOORS.items():
        logging.getLogger(name).setLevel(max(floor, threshold))
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, _NoQueryString) for f in access.filters):
        access.addFilter(_NoQueryString())
    # The start-up line is always written: a person who started the server by hand sees what it serves.
    logging.getLogger(STARTUP_LOGGER).setLevel(min(logging.INFO, threshold))
