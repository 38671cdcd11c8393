"""Stopping without dropping an answer: the MCP requests in flight, seen from the HTTP side.

When the process is told to stop, the calls already running (an `instant_call` whose POST to Ninjahire
is under way, say) must still reach their caller: an answer lost in a restart is a call the agent
places again. `Draining` wraps the HTTP app and knows, for each transport, which requests are still
unanswered:

- streamable HTTP (both protocol eras): a request's answer is its POST's response, so the request is
  in flight until that response has been sent;
- SSE: a POST to the messages endpoint is accepted (202) at once and the answer comes later on the
  session's GET stream, so the request is in flight until a response with its id has gone out there.

`stop(budget)` refuses new requests (an answer to a question the server asked, or a notification,
still gets through: a running call may be waiting for it), waits for those in flight to be answered,
and answers any that are not by then with what is known: for a call, that the server stopped before it
finished, whether it may have happened and how to check (never a stream that just ends). Ending the
streams that stay open (GET streams, listeners) is the server's part (serve.py).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import anyio
from mcp_types import PROTOCOL_VERSION_META_KEY
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..toolkit import API_KEY_HEADER, stopped_before_finishing
from ..tools import CATALOGUE

logger = logging.getLogger(__name__)

# JSON-RPC's "server error" range; the SDK answers a request cut off by a closing connection with it too.
SERVER_STOPPING = -32000
REFUSED = (
    "The server is shutting down (a restart, most likely) and takes no new requests; nothing was done. "
    "Send this request again: it will reach a server that is running."
)
UNANSWERED = "The server stopped (a restart or shutdown) before answering this request. Send it again."
# Bodies are read for their JSON-RPC id and method only up to this size; the SDK refuses larger ones.
MAX_BODY = 4 * 1024 * 1024
# What is kept of the budget for answering the calls that did not finish, at most.
ANSWER_MARGIN = 1.0
POLL = 0.05
# The headers that say whose an SSE session is (as sessions.SessionOwners reads them).
CREDENTIALS = (b"authorization", API_KEY_HEADER.encode())


@dataclass(frozen=True)
class Request:
    """A JSON-RPC request as it was posted: what it asked, and the id its answer must carry."""

    id: Any
    method: str
    params: Mapping[str, Any]

    @classmethod
    def parse(cls, body: bytes) -> Request | None:
        """The request in `body`; None for a notification, a response or anything unreadable."""
        try:
            message = json.loads(body)
        except (ValueError, RecursionError):
            return None
        if not isinstance(message, dict) or not isinstance(message.get("method"), str):
            return None
        if message.get("id") is None or isinstance(message["id"], bool | dict | list):
            return None
        params = message.get("params")
        return cls(message["id"], message["method"], params if isinstance(params, dict) else {})

    @property
    def modern(self) -> bool:
        """A 2026-era request, whose result must say `resultType`: the SDK tells the eras apart by this key,
        on every transport (a streamable-HTTP header must agree with it)."""
        meta = self.params.get("_meta")
        return isinstance(meta, dict) and PROTOCOL_VERSION_META_KEY in meta


@dataclass(eq=False)  # each POST is itself (kept in a set)
class _Post:
    """A streamable-HTTP POST being served: its request once read, and what of its response was sent."""

    send: Send
    body: bytearray = field(default_factory=bytearray)
    request: Request | None = None
    started: bool = False
    event_stream: bool = False
    ended: bool = False
    answered_here: bool = False


@dataclass
class _SseSession:
    """An SSE session's GET stream: where its answers go, whose it is, and the requests waiting for theirs."""

    send: Send
    owner: bytes
    waiting: dict[Any, Request] = field(default_factory=dict)
    answered_here: set[Any] = field(default_factory=set)


class Draining:
    """ASGI middleware around the MCP app: tracks unanswered requests, and ends them well on `stop`."""

    def __init__(
        self, app: ASGIApp, *, streamable_path: str, sse_path: str, messages_path: str, health_path: str
    ) -> None:
        self.app = app
        self.health_path = health_path.rstrip("/")
        self.streamable_path = streamable_path.rstrip("/")
        self.sse_path = sse_path.rstrip("/")
        self.messages_path = messages_path.rstrip("/")
        self.stopping = False
        self._posts: set[_Post] = set()
        self._sse_sessions: dict[str, _SseSession] = {}
        self._owner_key = secrets.token_bytes(32)

    def unanswered(self) -> int:
        """How many requests are still waiting for their answer."""
        return len(self._posts) + sum(len(session.waiting) for session in self._sse_sessions.values())

    async def stop(self, budget: float, *, give_up: Callable[[], bool] = lambda: False) -> None:
        """Refuse new requests, let those in flight answer within `budget` seconds, and answer the rest
        (that the server stopped before they finished)."""
        self.stopping = True
        deadline = time.monotonic() + max(0.0, budget - min(ANSWER_MARGIN, budget / 2))
        if waiting := self.unanswered():
            logger.info(f"stopping: waiting up to {budget:g} s for {waiting} request(s) in flight to finish")
        while self.unanswered() and time.monotonic() < deadline and not give_up():
            await anyio.sleep(POLL)
        if (left := self.unanswered()) and not give_up():
            logger.warning(
                f"stopping: {left} request(s) still running after {budget:g} s; answering them as unfinished"
            )
            await self._answer_unfinished()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, method = scope["path"].rstrip("/"), scope["method"]
        if method == "POST" and path == self.streamable_path:
            await self._serve_post(scope, receive, send)
        elif method == "POST" and path == self.messages_path:
            await self._serve_sse_post(scope, receive, send)
        elif method == "GET" and path in (self.streamable_path, self.sse_path) and self.stopping:
            await _refuse(send, None)  # no new streams (nor SSE sessions) once stopping
        elif method == "GET" and path == self.health_path and self.stopping:
            await _respond(send, 503, {"status": "stopping"})  # so that a load balancer turns away
        elif method == "GET" and path == self.sse_path:
            await self._serve_sse_stream(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    # streamable HTTP: the POST's response is the answer

    async def _serve_post(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.stopping:
            receive, request = await _read_ahead(receive)
            if request is not None:
                await _refuse(send, request.id)
                return
        post = _Post(send)

        async def tapped_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request" and post.request is None and len(post.body) <= MAX_BODY:
                post.body += message.get("body", b"")
                if not message.get("more_body"):
                    post.request = Request.parse(bytes(post.body))
                    post.body.clear()
            return message

        async def watched_send(message: Message) -> None:
            if post.answered_here:
                return  # stopping answered it already: whatever the call says now comes too late
            if message["type"] == "http.response.start":
                post.started = True
                post.event_stream = _header(message, b"content-type").startswith(b"text/event-stream")
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                post.ended = True
            await send(message)

        self._posts.add(post)
        try:
            await self.app(scope, tapped_receive, watched_send)
        finally:
            self._posts.discard(post)

    # SSE: a POST is accepted at once, its answer goes out later on the session's GET stream

    async def _serve_sse_post(self, scope: Scope, receive: Receive, send: Send) -> None:
        session = self._sse_sessions.get(_uuid_hex(_query_value(scope, b"session_id")) or "")
        if session is None:
            await self.app(scope, receive, send)  # no such session: the SDK says so
            return
        if self.stopping:
            receive, request = await _read_ahead(receive)
            if request is not None and hmac.compare_digest(self._owner(scope), session.owner):
                # The SSE client reads answers from its stream only (a refused POST would end its writer).
                await _accepted(send)
                await session.send(_event(_error(request.id, REFUSED)))
                return
            if request is not None:
                await _refuse(send, request.id)  # not this session's credentials: nothing goes on its stream
                return
        body = bytearray()
        posted: list[Request] = []
        status: list[int] = []

        async def tapped_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request" and len(body) <= MAX_BODY:
                body.extend(message.get("body", b""))
                if not message.get("more_body") and (request := Request.parse(bytes(body))) is not None:
                    # Before the SDK hands it to the session: its answer cannot come first.
                    posted.append(request)
                    session.waiting[request.id] = request
            return message

        async def watched_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
            await send(message)

        try:
            await self.app(scope, tapped_receive, watched_send)
        finally:
            if posted and status != [202]:
                session.waiting.pop(posted[0].id, None)  # refused: no answer will come on the stream

    async def _serve_sse_stream(self, scope: Scope, receive: Receive, send: Send) -> None:
        session_ids: list[str] = []

        async def watched_send(message: Message) -> None:
            if message["type"] == "http.response.body":
                for event, data in _sse_events(message.get("body", b"")):
                    if event == "endpoint" and not session_ids:
                        if session_id := _uuid_hex(_session_id_in(data)):
                            session_ids.append(session_id)
                            self._sse_sessions[session_id] = _SseSession(send, self._owner(scope))
                    elif event == "message" and session_ids and (session := self._sse_sessions.get(session_ids[0])):
                        answered = _answered_id(data)
                        if answered in session.answered_here:
                            return  # stopping answered it already
                        session.waiting.pop(answered, None)
            await send(message)

        try:
            await self.app(scope, receive, watched_send)
        finally:
            if session_ids:
                self._sse_sessions.pop(session_ids[0], None)  # its stream is gone: nothing more can arrive

    def _owner(self, scope: Scope) -> bytes:
        """A keyed digest of the credentials a request brought (their raw values are not kept)."""
        digest = hmac.new(self._owner_key, digestmod=hashlib.sha256)
        for name in CREDENTIALS:
            value = _header(scope, name, lower=False)
            digest.update(len(value).to_bytes(4, "big") + value)
        return digest.digest()

    # at the deadline

    async def _answer_unfinished(self) -> None:
        for post in list(self._posts):
            if post.request is None or post.ended or (post.started and not post.event_stream):
                continue  # nothing to answer, or a JSON answer already under way: it cannot be replaced
            answer = self._answer(post.request)
            try:
                if not post.started:
                    await _respond(post.send, 200, answer)
                else:
                    await post.send({"type": "http.response.body", "body": _sse_frame(answer), "more_body": False})
            except OSError:
                continue  # the client has gone
            post.answered_here = True
        for session in list(self._sse_sessions.values()):
            for request_id, request in list(session.waiting.items()):
                try:
                    await session.send(_event(self._answer(request)))
                except OSError:
                    break
                session.answered_here.add(request_id)
                session.waiting.pop(request_id, None)

    def _answer(self, request: Request) -> dict[str, Any]:
        if request.method != "tools/call":
            return _error(request.id, UNANSWERED)
        name, arguments = request.params.get("name"), request.params.get("arguments")
        spec = next((spec for spec in CATALOGUE if spec.name == name), None)
        text = stopped_before_finishing(spec, arguments if isinstance(arguments, dict) else {})
        result: dict[str, Any] = {"content": [{"type": "text", "text": text}], "isError": True}
        if request.modern:
            result["resultType"] = "complete"
        return {"jsonrpc": "2.0", "id": request.id, "result": result}


async def _read_ahead(receive: Receive) -> tuple[Receive, Request | None]:
    """Read the body now (up to MAX_BODY) to see what it asks; a receive that replays it for the app."""
    messages: list[Message] = []
    body = bytearray()
    while len(body) <= MAX_BODY:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    complete = messages[-1]["type"] == "http.request" and not messages[-1].get("more_body")
    request = Request.parse(bytes(body)) if complete else None

    async def replay() -> Message:
        return messages.pop(0) if messages else await receive()

    return replay, request


async def _refuse(send: Send, request_id: Any) -> None:
    await _respond(send, 503, _error(request_id, REFUSED))


async def _respond(send: Send, status: int, body: Mapping[str, Any]) -> None:
    headers = [(b"content-type", b"application/json")] + ([(b"retry-after", b"1")] if status == 503 else [])
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": _json(body), "more_body": False})


async def _accepted(send: Send) -> None:
    await send({"type": "http.response.start", "status": 202, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"Accepted", "more_body": False})


def _event(message: Mapping[str, Any]) -> Message:
    """One JSON-RPC message as an event on an SSE stream that stays open."""
    return {"type": "http.response.body", "body": _sse_frame(message), "more_body": True}


def _uuid_hex(value: str | None) -> str | None:
    """A session id as the SSE transport keys it (it reads any spelling of the UUID)."""
    try:
        return uuid.UUID(value).hex if value else None
    except ValueError:
        return None


def _error(request_id: Any, message: str) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": request_id, "error": {"code": SERVER_STOPPING, "message": message}}


def _json(message: Mapping[str, Any]) -> bytes:
    return json.dumps(message, separators=(",", ":")).encode()


def _sse_frame(message: Mapping[str, Any]) -> bytes:
    return b"event: message\r\ndata: " + _json(message) + b"\r\n\r\n"


def _sse_events(chunk: bytes) -> list[tuple[str, str]]:
    """The (event, data) pairs in a chunk the SDK sent on an SSE stream (one whole event per chunk)."""
    events = []
    for block in chunk.decode("utf-8", "replace").replace("\r\n", "\n").split("\n\n"):
        event, data = "message", []
        for line in block.split("\n"):
            name, _colon, value = line.partition(":")
            value = value.removeprefix(" ")
            if name == "event":
                event = value
            elif name == "data":
                data.append(value)
        if data:
            events.append((event, "\n".join(data)))
    return events


def _answered_id(data: str) -> Any:
    """The id a JSON-RPC response on the stream answers; None for requests and notifications."""
    try:
        message = json.loads(data)
    except ValueError:
        return None
    if isinstance(message, dict) and "method" not in message and ("result" in message or "error" in message):
        return message.get("id")
    return None


def _session_id_in(endpoint: str) -> str | None:
    """The session id in the endpoint the SSE transport tells its client to post to."""
    _path, _mark, query = endpoint.partition("?")
    for pair in query.split("&"):
        name, _equals, value = pair.partition("=")
        if name == "session_id" and value:
            return value
    return None


def _query_value(scope: Scope, name: bytes) -> str | None:
    for pair in scope.get("query_string", b"").split(b"&"):
        key, _equals, value = pair.partition(b"=")
        if key == name:
            return value.decode("latin-1")
    return None


def _header(message: Message | Scope, name: bytes, *, lower: bool = True) -> bytes:
    """A header of a request (its scope) or of a response (its start message); lower-cased unless not."""
    value = next((value for key, value in message.get("headers", []) if key.lower() == name), b"")
    return value.lower() if lower else value
