"""Deadlines for what a client sends: a connection that trickles its request holds a socket and a
parser for as long as it likes under uvicorn alone, so a few hundred slow senders fill a server.

uvicorn's only read deadline is its keep-alive timeout, which runs between requests, never while one
is arriving, and it offers no setting for the rest. `timed_http_protocol` is uvicorn's HTTP/1.1
protocol (h11) with two deadlines of its own:

- the head (request line and headers) must be complete within `header_timeout` of its first byte
  (of the connection's opening, for its first request);
- the body must be complete within `body_timeout` of the head.

A request that misses one is answered 408 when no response has begun, and its connection closed; the
app sees the client gone, as if it had hung up.
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

Phase = Literal["head", "body"]


class TimedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, with a deadline on each request's head and on its body."""

    header_timeout = 10.0
    body_timeout = 30.0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._deadline: asyncio.TimerHandle | None = None
        self._phase: Phase | None = None
        super().connection_made(transport)
        self._arm("head")  # a connection that never sends a byte is a head that never arrives

    def data_received(self, data: bytes) -> None:
        if self._phase is None and self.conn.their_state is h11.IDLE:
            self._arm("head")  # the first bytes of the next request on a kept-alive connection
        super().data_received(data)
        self._follow()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._follow()  # a pipelined request may have been read on from the buffer

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _follow(self) -> None:
        """Keep the deadline in step with how far the current request has arrived."""
        state = self.conn.their_state
        if state is h11.SEND_BODY:
            if self._phase != "body":
                self._arm("body")
        elif state is not h11.IDLE:
            self._disarm()  # the request is in (DONE), or the connection is ending: nothing to wait for

    def _arm(self, phase: Phase) -> None:
        self._disarm()
        limit = self.header_timeout if phase == "head" else self.body_timeout
        self._phase = phase
        self._deadline = self.loop.call_later(limit, self._expired, phase, limit)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline, self._phase = None, None

    def _expired(self, phase: Phase, limit: float) -> None:
        self._deadline, self._phase = None, None
        if self.transport.is_closing():
            return
        what = "request line and headers" if phase == "head" else "request body"
        self.logger.info("closed a connection whose %s did not arrive within %g s", what, limit)
        cycle = self.cycle if phase == "body" else None
        if self.conn.our_state in (h11.IDLE, h11.SEND_RESPONSE) and not (cycle and cycle.response_started):
            self._answer_408(f"The {what} did not arrive within {limit:g} s; the connection is closed. Send it again.")
        if cycle is not None and not cycle.response_complete:
            # What the app is reading or writing now goes nowhere: it sees a client that hung up.
            cycle.disconnected = True
            cycle.message_event.set()
        self.transport.close()

    def _answer_408(self, text: str) -> None:
        body = text.encode()
        headers = [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        try:
            response = h11.Response(status_code=408, headers=headers, reason=b"Request Timeout")
            for event in (response, h11.Data(data=body), h11.EndOfMessage()):
                self.transport.write(self.conn.send(event) or b"")
        except h11.LocalProtocolError:
            pass  # h11 will not frame a response in this state: closing says enough


def timed_http_protocol(header_timeout: float, body_timeout: float) -> type[TimedH11Protocol]:
    """The protocol class to give `uvicorn.Config(http=...)`, with these deadlines (in seconds)."""
    attributes: dict[str, Any] = {"header_timeout": header_timeout, "body_timeout": body_timeout}
    return type("TimedH11Protocol", (TimedH11Protocol,), attributes)
