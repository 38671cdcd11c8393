"""A client that sends its request slowly (byte by byte, or half a body) is not let hold a connection:
past the header or body deadline the server answers 408 and closes it. A kept-alive connection may
still idle between requests."""

from __future__ import annotations

import select
import socket
import time
from collections.abc import Iterator

import pytest

from ..support.serving import server_process

pytestmark = pytest.mark.subprocess
DEADLINES = {"NINJAHIRE_HTTP_HEADER_TIMEOUT": "1", "NINJAHIRE_HTTP_BODY_TIMEOUT": "1"}
# Far beyond the 1 s deadlines: a connection the server still holds by then, it would hold for ever.
PATIENCE = 8.0
HEAD = b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
GET_HEALTH = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


def connect(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=5)


def trickle(sock: socket.socket, drip: Iterator[bytes]) -> tuple[bytes, bool]:
    """Send `drip` a byte every 0.2 s (for 0.7 s: no byte is on its way as the deadline falls, when it
    would meet a closed socket), then wait until the server closes the connection or PATIENCE runs out:
    what the server sent, and whether it closed."""
    received = b""
    began = time.monotonic()
    deadline = began + PATIENCE
    while time.monotonic() < deadline:
        readable, _, _ = select.select([sock], [], [], 0.2)
        if readable:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                return received, True
            if not chunk:
                return received, True
            received += chunk
            continue
        if time.monotonic() - began > 0.7:
            continue
        try:
            sock.sendall(next(drip, b""))
        except (BrokenPipeError, ConnectionResetError):
            return received, True
    return received, False


def drip(text: bytes) -> Iterator[bytes]:
    while True:
        for byte in text:
            yield bytes([byte])


def read_response(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data or not data.endswith(b"}"):
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


@pytest.mark.parametrize(
    ("opening", "then"),
    [
        (b"", iter(())),  # connects and says nothing
        (b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n", drip(b"X-Slow: 1234567890\r\n")),  # never ends its head
        (HEAD + b"Content-Length: 1000\r\n\r\n" + b'{"jsonrpc":', drip(b"0")),  # half a body, then a drip
    ],
    ids=["silent", "head byte by byte", "body byte by byte"],
)
def test_a_slow_sender_is_answered_408_and_disconnected(opening: bytes, then: Iterator[bytes]) -> None:
    with server_process("--sandbox", env=DEADLINES) as (_process, url), connect(url) as sock:
        sock.sendall(opening)
        received, closed = trickle(sock, then)
        with connect(url) as other:  # and the server still serves everyone else
            other.sendall(GET_HEALTH)
            health = read_response(other)
    assert closed, "the server still held the connection"
    assert received.startswith(b"HTTP/1.1 408"), received[:200]
    assert b"did not arrive within 1 s" in received
    assert health.startswith(b"HTTP/1.1 200")


def test_a_kept_alive_connection_may_idle_but_each_request_s_head_has_its_deadline() -> None:
    with server_process("--sandbox", env=DEADLINES) as (_process, url), connect(url) as sock:
        sock.sendall(GET_HEALTH)
        first = read_response(sock)
        time.sleep(1.5)  # past the header deadline, within uvicorn's keep-alive: idling is no slow head
        sock.sendall(GET_HEALTH)
        second = read_response(sock)
        sock.sendall(b"GET /healthz HTTP/1.1\r\n")
        received, closed = trickle(sock, drip(b"X-Slow: 1\r\n"))
    assert first.startswith(b"HTTP/1.1 200") and second.startswith(b"HTTP/1.1 200")
    assert closed and received.startswith(b"HTTP/1.1 408"), received[:200]
