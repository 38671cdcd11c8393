"""MCP over the process's stdin and stdout, one JSON-RPC message a line, with what the SDK's stdio transport
lacks:

- Every line that cannot be served is answered: -32700 when it is not UTF-8 JSON (a lone surrogate escape
  such as `\\ud800` included: the SDK's parser refuses it), -32600 when it is JSON but no message (a batch,
  no "method", an id that is neither a string nor an integer), with the request's id whenever one can be
  read. The SDK's transport drops such a line, and its client waits for an answer for ever.
- An `initialize` that follows nothing but `server/discover` opens a fresh connection on the same pipe, in
  the 2025 era. The SDK lets the first request decide a pipe's era once, so a discover locks it to the 2026
  era and refuses a later `initialize` with -32022; but a client that gave up waiting for discover's
  answer (the Vercel AI SDK waits 1 s, less than this server may take to start) falls back to `initialize`
  on the same pipe, and would never connect.
- An answer that holds a lone surrogate (an API's JSON may escape one) is written with U+FFFD in its place:
  the SDK's writer fails on it, and the server with it.

As the SDK's transport does, fd 0 and fd 1 point elsewhere while serving (the null device, stderr), so that
nothing else in the process reads the client's messages or writes into the stream of answers.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from dataclasses import dataclass
from typing import Any, BinaryIO, Literal, TextIO

import anyio
import anyio.from_thread
import anyio.lowlevel
from anyio import AsyncFile
from anyio.abc import TaskGroup
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream
from mcp.server import MCPServer
from mcp.shared.message import SessionMessage
from mcp_types import (
    INTERNAL_ERROR,
    INVALID_REQUEST,
    PARSE_ERROR,
    JSONRPCError,
    JSONRPCMessage,
    JSONRPCNotification,
    JSONRPCRequest,
    JSONRPCResponse,
    jsonrpc_message_adapter,
)
from pydantic import ValidationError
from pydantic_core import PydanticSerializationError

from .sdk_gaps import ServeStreams, stream_server

logger = logging.getLogger(__name__)

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_REQUEST_SHAPE = 'one JSON object a line: {"jsonrpc": "2.0", "id": 1, "method": "...", "params": {...}}'


@dataclass(frozen=True)
class Refusal:
    """What answers a line that cannot be served (None: a malformed response, which nothing may answer), and
    why, for the log (never the line itself: it may hold a candidate's data)."""

    answer: str | None
    why: str


def read_line(line: bytes) -> JSONRPCMessage | Refusal | None:
    """The message on `line`, the refusal that answers it, or None for a blank line (no message at all)."""
    if not line.strip():
        return None
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        readable = _loads(line.decode("utf-8", errors="replace"))
        return _refuse(
            PARSE_ERROR,
            f"Parse error: byte {exc.start + 1} of the line is not UTF-8; send each message as UTF-8 JSON.",
            _id_in(readable, replaced=True),
            "not UTF-8",
        )
    try:
        message = jsonrpc_message_adapter.validate_json(text, by_name=False)
    except ValidationError as exc:
        return _diagnose(text, exc)
    if isinstance(message, JSONRPCNotification):
        # An id the SDK cannot take (null, 1.5, true, an object) makes a request read as a notification,
        # which is never answered: the client would wait for ever.
        raw = _loads(text)
        if isinstance(raw, dict) and "id" in raw:
            return _refuse(
                INVALID_REQUEST,
                f'Invalid request: "id" must be a string or an integer, got {_kind(raw["id"])}.',
                None,
                "an id that is neither a string nor an integer",
            )
    return message


def _diagnose(text: str, exc: ValidationError) -> Refusal:
    try:
        # Python's reader takes what the SDK's refuses (a lone surrogate, deep nesting), so the id can still be read.
        value = json.loads(text)
    except (ValueError, RecursionError) as err:
        where = f" ({err.msg} at character {err.pos + 1})" if isinstance(err, json.JSONDecodeError) else ""
        return _refuse(
            PARSE_ERROR, f"Parse error: the line is not JSON{where}; send {_REQUEST_SHAPE}.", None, "not JSON"
        )
    if exc.errors()[0]["type"] == "json_invalid":
        if _holds_surrogate(value):
            return _refuse(
                PARSE_ERROR,
                "Parse error: the line escapes a lone UTF-16 surrogate (such as \\ud800), which is not a character; "
                "send text as UTF-8, or escape a character beyond U+FFFF as a surrogate pair.",
                _id_in(value),
                "a lone surrogate",
            )
        reason = exc.errors()[0]["msg"].removeprefix("Invalid JSON: ")
        return _refuse(PARSE_ERROR, f"Parse error: {reason}.", _id_in(value), "JSON the SDK's reader refuses")
    if isinstance(value, list):
        return _refuse_batch(value)
    if not isinstance(value, dict):
        return _refuse(
            INVALID_REQUEST, f"Invalid request: got {_kind(value)}; send {_REQUEST_SHAPE}.", None, "not an object"
        )
    if "method" not in value and ("result" in value or "error" in value):
        # JSON-RPC never answers a response, even a malformed one; the request it answers times out.
        return Refusal(None, "a malformed response")
    return _refuse(
        INVALID_REQUEST, f"Invalid request: {_fault(value)}; send {_REQUEST_SHAPE}.", _id_in(value), _fault(value)
    )


def _fault(request: dict[str, Any]) -> str:
    if request.get("jsonrpc") != "2.0":
        return '"jsonrpc" must be "2.0"'
    if "method" not in request:
        return 'it has no "method"'
    if not isinstance(request["method"], str):
        return '"method" must be a string'
    if "id" in request and _id_in(request) is None:
        return '"id" must be a string or an integer'
    if request.get("params") is not None and not isinstance(request["params"], dict):
        return f'"params" must be an object, got {_kind(request["params"])}'
    return "it is no JSON-RPC request"


def _refuse_batch(batch: list[Any]) -> Refusal:
    """One error for each member that awaits an answer, in an array as JSON-RPC answers a batch; a single
    error when none does (an empty batch, or only notifications, which were not served either)."""
    message = "Invalid request: batches (a JSON array of messages) are not served; send each message on a line."
    answers = [_error(INVALID_REQUEST, message, _id_in(member)) for member in batch if _awaits_answer(member)]
    answer = f"[{','.join(answers)}]" if answers else _error(INVALID_REQUEST, message, None)
    return Refusal(answer, f"a batch of {len(batch)}")


def _awaits_answer(member: Any) -> bool:
    if not isinstance(member, dict):
        return True
    if "method" in member:
        return "id" in member
    return not ("result" in member or "error" in member)


def _refuse(code: int, message: str, request_id: int | str | None, why: str) -> Refusal:
    return Refusal(_error(code, message, request_id), why)


def _error(code: int, message: str, request_id: int | str | None) -> str:
    return json.dumps({"jsonrpc": "2.0", "id": request_id, "error": {"code": code, "message": message}})


def _id_in(value: Any, *, replaced: bool = False) -> int | str | None:
    """The request id in `value` if it is one the answer can carry back; `replaced`: the text was decoded with
    U+FFFD for bad bytes, so an id holding one is not the id that was sent."""
    request_id = value.get("id") if isinstance(value, dict) else None
    if isinstance(request_id, bool) or not isinstance(request_id, int | str):
        return None
    if isinstance(request_id, str) and (_LONE_SURROGATE.search(request_id) or (replaced and "\ufffd" in request_id)):
        return None
    return request_id


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _holds_surrogate(value: Any) -> bool:
    # A loop, not recursion: Python's reader takes nesting deeper than the interpreter's stack would.
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str) and _LONE_SURROGATE.search(item):
            return True
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"


def render(message: JSONRPCMessage) -> str | None:
    """`message` as one line of JSON; None if it cannot be written at all (logged)."""
    with suppress(PydanticSerializationError):
        return message.model_dump_json(by_alias=True, exclude_unset=True)
    try:
        # A lone surrogate (from an API's "\ud800" escape, say) cannot be encoded as UTF-8: U+FFFD takes its place.
        data = message.model_dump(mode="json", by_alias=True, exclude_unset=True)
        return _LONE_SURROGATE.sub("\ufffd", json.dumps(data, ensure_ascii=False))
    except (PydanticSerializationError, TypeError, ValueError):
        logger.exception("an answer could not be written as JSON")
    if isinstance(message, JSONRPCResponse | JSONRPCError):
        return _error(INTERNAL_ERROR, "Internal error: the answer could not be written as JSON.", message.id)
    return None


async def serve(server: MCPServer[Any]) -> None:
    """Serve `server` on the process's stdin and stdout until stdin ends."""
    with (
        _wire(0, sys.stdin, "rb", _null_device) as stdin,
        _wire(1, sys.stdout, "wb", _stderr_copy) as stdout,
    ):
        await _serve_lines(server, anyio.wrap_file(stdin), anyio.wrap_file(stdout))


async def _serve_lines(server: MCPServer[Any], stdin: AsyncFile[bytes], stdout: AsyncFile[bytes]) -> None:
    """Serve `server` on a pair of byte streams, one message a line, until `stdin` ends."""
    out = _Output(stdout)
    answers, to_write = anyio.create_memory_object_stream[SessionMessage](0)
    async with (
        stream_server(server) as serve_streams,
        anyio.create_task_group() as group,
        _lines(stdin) as lines,
    ):
        group.start_soon(out.relay, to_write)
        connections: list[_Connection] = []
        async with answers:
            connection = _Connection.open(group, serve_streams, answers)
            connections.append(connection)
            async for line in lines:
                item = read_line(line)
                if item is None:
                    continue
                if isinstance(item, Refusal):
                    logger.warning("answered a line from the client that cannot be served: %s", item.why)
                    if item.answer is not None:
                        await out.write(item.answer)
                    continue
                if isinstance(item, JSONRPCRequest):
                    if item.method == "initialize" and connection.only_discovered:
                        logger.info("initialize after server/discover: serving the pipe as a new 2025-era connection")
                        connection = _Connection.open(group, serve_streams, answers)
                        connections.append(connection)
                    connection.requests.add(item.method)
                await connection.inbox.send(SessionMessage(item))
        # End of input ends every connection, as the SDK's does (the earlier ones stay open till then, so
        # that their answers are written).
        for each in connections:
            await each.inbox.aclose()


@asynccontextmanager
async def _lines(stdin: AsyncFile[bytes]) -> AsyncIterator[MemoryObjectReceiveStream[bytes]]:
    """stdin's lines, read by a daemon thread of our own: a read blocked on the pipe cannot be interrupted,
    and a stop (Ctrl+C, SIGTERM) must not wait for the host's next line (the interpreter waits at exit for
    every thread that is not a daemon, anyio's workers included)."""
    send, receive = anyio.create_memory_object_stream[bytes](0)  # one line at a time: the client is held back
    token = anyio.lowlevel.current_token()

    def pump() -> None:
        try:
            while line := stdin.wrapped.readline():
                anyio.from_thread.run(send.send, line, token=token)
        except (RuntimeError, anyio.BrokenResourceError, anyio.ClosedResourceError, OSError, ValueError):
            pass  # the loop or the reader is gone: serving has ended
        finally:
            with suppress(RuntimeError):
                anyio.from_thread.run_sync(send.close, token=token)

    threading.Thread(target=pump, name="ninjahire-stdin", daemon=True).start()
    async with receive:
        yield receive


@dataclass
class _Connection:
    """One connection the SDK serves on the pipe, and the methods of the requests it has been sent."""

    inbox: MemoryObjectSendStream[SessionMessage | Exception]
    requests: set[str]

    @classmethod
    def open(
        cls, group: TaskGroup, serve_streams: ServeStreams, answers: MemoryObjectSendStream[SessionMessage]
    ) -> _Connection:
        inbox, messages = anyio.create_memory_object_stream[SessionMessage | Exception](0)
        group.start_soon(serve_streams, messages, answers.clone())
        return cls(inbox, set())

    @property
    def only_discovered(self) -> bool:
        """Whether it has been sent server/discover and nothing else (but pings): an initialize now is the
        client falling back to the 2025 handshake."""
        return "server/discover" in self.requests and self.requests <= {"server/discover", "ping"}


class _Output:
    """stdout, one line a message, written by one writer at a time."""

    def __init__(self, stdout: AsyncFile[bytes]) -> None:
        self._stdout = stdout
        self._lock = anyio.Lock()
        self._gone = False

    async def relay(self, messages: MemoryObjectReceiveStream[SessionMessage]) -> None:
        async with messages:
            async for session_message in messages:
                line = render(session_message.message)
                if line is not None:
                    await self.write(line)

    async def write(self, line: str) -> None:
        if self._gone:
            return  # nobody reads: what is still answered is dropped until stdin ends too
        async with self._lock:
            try:
                await self._stdout.write(line.encode() + b"\n")
                await self._stdout.flush()
            except OSError:
                self._gone = True
                logger.info("the client closed its end of stdout; answers are dropped until stdin ends")


@contextmanager
def _wire(
    fd: Literal[0, 1], stream: TextIO, mode: Literal["rb", "wb"], substitute: Callable[[], int]
) -> Iterator[BinaryIO]:
    """The client's end of `fd` as a private duplicate, with `fd` pointed at `substitute()` meanwhile; the
    stream itself where descriptors cannot be moved (a test's replaced sys.stdin, Windows' std handles)."""
    try:
        if sys.platform == "win32" or stream.fileno() != fd:
            raise OSError("not the process's own descriptor")
        private = os.dup(fd)
    except (OSError, ValueError, AttributeError):
        yield stream.buffer
        return
    if private <= 2:  # a standard descriptor was closed: the duplicate would be one, and moved along with it
        os.close(private)
        yield stream.buffer
        return
    try:
        elsewhere = substitute()
        os.dup2(elsewhere, fd)
        os.close(elsewhere)
    except OSError:
        os.close(private)
        yield stream.buffer
        return
    try:
        # Never closed: a worker thread may still be blocked reading it when serving ends.
        yield os.fdopen(private, mode, closefd=False)
    finally:
        os.dup2(private, fd)


def _null_device() -> int:
    return os.open(os.devnull, os.O_RDONLY)


def _stderr_copy() -> int:
    try:
        return os.dup(2)
    except OSError:
        return os.open(os.devnull, os.O_WRONLY)
