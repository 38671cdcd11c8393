"""The console script over raw stdio pipes, line by line, as a host's transport speaks to it: every line it
cannot serve is answered, and a host that falls back from server/discover to initialize connects."""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from mcp_types import JSONRPCResponse

from ninjahire_mcp.stdio import render

from ..support.serving import SCRIPT

ENVELOPE = {
    "io.modelcontextprotocol/protocolVersion": "2026-07-28",
    "io.modelcontextprotocol/clientInfo": {"name": "test", "version": "1"},
    "io.modelcontextprotocol/clientCapabilities": {},
}
INITIALIZE = {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "test", "version": "1"}}
PING = {"jsonrpc": "2.0", "method": "ping"}


class Pipe:
    """A `ninjahire-mcp` process and its pipes: lines written to stdin, messages read from stdout."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdin is not None and process.stdout is not None
        self.process = process
        self._selector = selectors.DefaultSelector()
        self._selector.register(process.stdout, selectors.EVENT_READ)
        self._pending = b""
        self.written: list[Any] = []  # everything read from stdout so far

    def send(self, line: bytes | dict[str, Any]) -> None:
        assert self.process.stdin is not None
        raw = json.dumps(line).encode() if isinstance(line, dict) else line
        self.process.stdin.write(raw + b"\n")
        self.process.stdin.flush()

    def through(self, request_id: int, *, within: float = 60) -> list[Any]:
        """The messages written up to and including the answer to `request_id` (a bound for a hung server,
        not a speed check)."""
        assert self.process.stdout is not None
        deadline = time.monotonic() + within
        seen: list[Any] = []
        while True:
            while b"\n" in self._pending:
                line, self._pending = self._pending.split(b"\n", 1)
                seen.append(json.loads(line))
                self.written.append(seen[-1])
                if _answers(seen[-1], request_id):
                    return seen
            left = deadline - time.monotonic()
            assert left > 0, f"no answer to request {request_id} within {within:g} s; it wrote {seen}"
            if self._selector.select(left):
                chunk = os.read(self.process.stdout.fileno(), 65536)
                assert chunk, f"the server closed stdout before answering request {request_id}; it wrote {seen}"
                self._pending += chunk

    def answer(self, request_id: int) -> dict[str, Any]:
        """The answer to `request_id`: read before, or the next one to come."""
        earlier = [m for m in self.written if _answers(m, request_id)]
        answer: dict[str, Any] = earlier[0] if earlier else self.through(request_id)[-1]
        return answer

    def handshake(self) -> None:
        self.send({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": INITIALIZE})
        assert "result" in self.answer(0)
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})


def _answers(message: Any, request_id: int) -> bool:
    return isinstance(message, dict) and message.get("id") == request_id and "method" not in message


@contextmanager
def ninjahire_mcp(*args: str, **env: str) -> Iterator[Pipe]:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("NINJAHIRE_")}
    process = subprocess.Popen(
        [SCRIPT, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={**clean, **env},
    )
    try:
        yield Pipe(process)
    finally:
        assert process.stdin is not None
        process.stdin.close()  # end of input: the server stops on its own
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# Each kind of line that cannot be served, and the (code, id) its answer must carry.
UNSERVABLE: dict[str, tuple[bytes, tuple[int, int | None]]] = {
    "a lone surrogate escape": (
        rb'{"jsonrpc":"2.0","id":11,"method":"tools/call",'
        rb'"params":{"name":"get_job","arguments":{"job_id":"\ud800"}}}',
        (-32700, 11),
    ),
    "not JSON": (b'{"jsonrpc":"2.0","id":12,"method":"ping"', (-32700, None)),
    "not UTF-8": (b'{"jsonrpc":"2.0","id":13,"method":"ping","params":{"note":"\xff\xfe"}}', (-32700, 13)),
    "no jsonrpc": (b'{"id":15,"method":"ping"}', (-32600, 15)),
    "no method": (b'{"jsonrpc":"2.0","id":16,"params":{}}', (-32600, 16)),
    "a method that is no string": (b'{"jsonrpc":"2.0","id":17,"method":7}', (-32600, 17)),
    "params that are no object": (b'{"jsonrpc":"2.0","id":18,"method":"tools/list","params":[1]}', (-32600, 18)),
    "a null id": (b'{"jsonrpc":"2.0","id":null,"method":"ping"}', (-32600, None)),
    "a fractional id": (b'{"jsonrpc":"2.0","id":1.5,"method":"ping"}', (-32600, None)),
    "a scalar": (b"42", (-32600, None)),
}


@pytest.mark.subprocess
def test_every_line_that_cannot_be_served_is_answered_with_its_id_and_serving_goes_on() -> None:
    answered: dict[str, Any] = {}
    with ninjahire_mcp("--sandbox") as pipe:
        pipe.handshake()
        for number, (kind, (line, _)) in enumerate(UNSERVABLE.items(), start=100):
            pipe.send(line)
            # A ping after each: its answer comes after the refusal (the line is judged before the next is read).
            pipe.send({**PING, "id": number})
            errors = [m for m in pipe.through(number)[:-1] if "error" in m]
            answered[kind] = [(m["error"]["code"], m["id"]) for m in errors]
        pipe.send({"jsonrpc": "2.0", "id": 200, "method": "tools/call", "params": {"name": "get_jobs"}})
        jobs = pipe.answer(200)
    assert answered == {kind: [expected] for kind, (_, expected) in UNSERVABLE.items()}
    assert "result" in jobs and not jobs["result"].get("isError")  # still serving, tools included


@pytest.mark.subprocess
def test_a_batch_is_answered_as_json_rpc_answers_a_batch_one_error_per_request() -> None:
    batch = [
        {**PING, "id": 21},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},  # a notification: no answer of its own
        {**PING, "id": "twenty-two"},
    ]
    with ninjahire_mcp("--sandbox") as pipe:
        pipe.handshake()
        pipe.send(json.dumps(batch).encode())
        pipe.send(json.dumps([{"jsonrpc": "2.0", "method": "notifications/initialized"}]).encode())
        pipe.send(b"[]")
        pipe.send({**PING, "id": 23})
        written = pipe.through(23)
    assert len(written) == 4, f"three refusals, then the ping's answer: {written}"
    answers, only_notifications, empty, ping = written
    assert [(a["id"], a["error"]["code"]) for a in answers] == [(21, -32600), ("twenty-two", -32600)]
    assert "send each message on a line" in answers[0]["error"]["message"]
    # Nothing in them awaited an answer, and nothing was served: one error, for no request.
    assert (only_notifications["id"], only_notifications["error"]["code"]) == (None, -32600)
    assert (empty["id"], empty["error"]["code"]) == (None, -32600)
    assert ping == {"jsonrpc": "2.0", "id": 23, "result": {}}


@pytest.mark.subprocess
def test_initialize_after_server_discover_on_the_same_pipe_connects_in_the_2025_era() -> None:
    with ninjahire_mcp("--sandbox") as pipe:
        # Both written before the server has started: the Vercel AI SDK waits 1 s for discover's answer,
        # then sends initialize on the same pipe, and this server can take longer than that to start.
        pipe.send({"jsonrpc": "2.0", "id": 1, "method": "server/discover", "params": {"_meta": ENVELOPE}})
        pipe.send({"jsonrpc": "2.0", "id": 2, "method": "initialize", "params": INITIALIZE})
        initialized = pipe.through(2)[-1]
        pipe.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        pipe.send({"jsonrpc": "2.0", "id": 3, "method": "tools/list"})
        tools = pipe.answer(3)
        pipe.send({"jsonrpc": "2.0", "id": 4, "method": "tools/call", "params": {"name": "get_jobs"}})
        jobs = pipe.answer(4)
        discovered = pipe.answer(1)
    assert "error" not in initialized, initialized
    assert initialized["result"]["protocolVersion"] == "2025-11-25"
    assert initialized["result"]["serverInfo"]["name"] == "ninjahire"
    assert "get_jobs" in [tool["name"] for tool in tools["result"]["tools"]]
    assert "result" in jobs and not jobs["result"].get("isError")
    # The discover is answered too, as every request is (a client that gave up on it drops the answer).
    assert "result" in discovered


def test_an_answer_holding_a_lone_surrogate_is_written_with_a_replacement_character() -> None:
    # Not reachable through today's tools (their text escapes one), but structured content carries the API's
    # strings as they came, and the SDK's writer fails on one: the server would die with the answer.
    answer = JSONRPCResponse(jsonrpc="2.0", id=7, result={"structuredContent": {"title": "LLM \ud800 Engineer"}})
    line = render(answer)
    assert line is not None
    assert json.loads(line) == {
        "jsonrpc": "2.0",
        "id": 7,
        "result": {"structuredContent": {"title": "LLM \ufffd Engineer"}},
    }
