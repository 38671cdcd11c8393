"""Slow senders against the real server process: how long it holds connections that never finish a request.

Run: .venv/bin/python -m bench.slow_connections --connections 200 --window 40

Starts `ninjahire-mcp --sandbox --transport http` on a free loopback port with its default deadlines
(or those in NINJAHIRE_HTTP_HEADER_TIMEOUT / NINJAHIRE_HTTP_BODY_TIMEOUT), then, for each kind of slow
sender, opens `--connections` connections at once and keeps each one trickling (a byte a second) until
the server closes it or `--window` seconds have passed:

- silent: connects and sends nothing;
- head: sends a request line, then its headers a byte at a time, never ending them;
- body: sends a whole head announcing 1,000 bytes of body, then the body a byte at a time.

Reported per kind: how many connections the server still held when the window ended, and how long it
held the others (median, max). A connection still held at the end was held at least the window: the
figure to compare is "held for as long as the sender liked" against "closed at the deadline".
To measure code without the deadlines, point PYTHONPATH at a checkout of it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Any

import httpx2

from ._report import markdown_table, save

SCRIPT = str(Path(sys.executable).parent / "ninjahire-mcp")
KINDS: dict[str, tuple[bytes, bytes]] = {
    # opening sent at once, then the bytes trickled one a second, round and round
    "silent": (b"", b""),
    "head": (b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n", b"X-Slow: 1234567890\r\n"),
    "body": (
        b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{",
        b" ",
    ),
}


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def slow_sender(port: int, opening: bytes, drip: bytes, window: float) -> tuple[float | None, bytes]:
    """Seconds until the server closed the connection (None: still open at the window's end), and the
    start of what it answered."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    began = time.monotonic()
    answer = b""
    try:
        writer.write(opening)
        await writer.drain()
        index = 0
        while time.monotonic() - began < window:
            try:
                chunk = await asyncio.wait_for(reader.read(4096), timeout=1.0)
            except TimeoutError:
                if drip:
                    writer.write(drip[index % len(drip) : index % len(drip) + 1])
                    index += 1
                    await writer.drain()
                continue
            if not chunk:
                return time.monotonic() - began, answer
            answer += chunk
        return None, answer
    except (ConnectionResetError, BrokenPipeError):
        return time.monotonic() - began, answer
    finally:
        writer.close()


async def attack(port: int, kind: str, connections: int, window: float) -> dict[str, Any]:
    opening, drip = KINDS[kind]
    results = await asyncio.gather(*(slow_sender(port, opening, drip, window) for _ in range(connections)))
    closed = [held for held, _ in results if held is not None]
    answers = {answer.split(b"\r\n", 1)[0].decode(errors="replace") for _, answer in results if answer}
    return {
        "kind": kind,
        "connections": connections,
        "still_held_at_end": connections - len(closed),
        "held_median_s": round(statistics.median(closed), 1) if closed else None,
        "held_max_s": round(max(closed), 1) if closed else None,
        "window_s": window,
        "answers": sorted(answers),
    }


def wait_for(port: int, server: subprocess.Popen[bytes], log: IO[bytes]) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx2.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except httpx2.TransportError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            log.seek(0)
            raise SystemExit(f"the server did not start: {log.read()[-2000:].decode(errors='replace')}")
        time.sleep(0.1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--window", type=float, default=40.0, help="seconds each slow sender keeps trying")
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated: " + ", ".join(KINDS))
    parser.add_argument("--save", default="slow_connections.json", help="file name under bench/results")
    options = parser.parse_args(argv)

    port = free_port()
    env = {k: v for k, v in os.environ.items() if k.startswith("NINJAHIRE_HTTP_") or not k.startswith("NINJAHIRE_")}
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            [SCRIPT, "--sandbox", "--transport", "http", "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=log,
            env=env,
        )
        try:
            wait_for(port, server, log)
            runs = [
                asyncio.run(attack(port, kind.strip(), options.connections, options.window))
                for kind in options.kinds.split(",")
            ]
        finally:
            server.terminate()
            server.wait(timeout=20)

    deadlines = {
        name: os.environ.get(f"NINJAHIRE_HTTP_{name.upper()}_TIMEOUT", "default") for name in ("header", "body")
    }
    print(f"{options.connections} slow connections per kind, watched for {options.window:g} s; deadlines {deadlines}")
    rows = [
        [r["kind"], r["still_held_at_end"], r["held_median_s"], r["held_max_s"], "; ".join(r["answers"]) or "-"]
        for r in runs
    ]
    print(markdown_table(["sender", "still held at the end", "held, median s", "held, max s", "answer"], rows))
    path = save(options.save, {"deadlines": deadlines, "runs": runs})
    print(f"saved {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
