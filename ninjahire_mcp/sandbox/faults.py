"""Fault injection: the emulator misbehaves the way networks and servers do, when and where it is told to.

A plan is a list of faults, each for a method and a path pattern and for the next `times` matching
requests (then healthy again). Set it with `create_app(faults=...)`, with `ninjahire-mcp sandbox --faults
SPEC` (or NINJAHIRE_SANDBOX_FAULTS), or while serving on FAULTS_PATH, an endpoint of the emulator only:
the live API has none. The endpoint sits behind the same Bearer check as the API.

The faults that spoil an answer (malformed_json, drop, hang) let the API carry the request out first: a
write happened and only its answer was lost, the case an "outcome unknown" error is for. The status
faults (500, 502, 503, 429, html) answer in the API's place: nothing is carried out.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from fnmatch import fnmatchcase
from typing import Any

import anyio
import httpx2
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import BadRequest

FAULTS_PATH = "/_sandbox/faults"

KINDS = {
    "latency": "wait `seconds` (default 1), then answer normally",
    "500": "HTTP 500 with the API's JSON error body",
    "502": "HTTP 502 with a JSON error body",
    "503": "HTTP 503 with a JSON error body",
    "429": "HTTP 429 with Retry-After: `retry_after` seconds (default 1)",
    "malformed_json": "the API's answer cut in half, still labelled application/json",
    "html": "HTTP 502 with a proxy's HTML error page",
    "drop": "the status line, headers and half the body, then the connection is closed",
    "hang": "the status line, headers and half the body, then nothing until the client hangs up",
}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "*")
ALWAYS = "always"
_STATUS_BODIES = {
    "500": {"message": "Internal server error"},
    "502": {"message": "Bad gateway"},
    "503": {"message": "Service temporarily unavailable"},
    "429": {"message": "Too many requests"},
}
PROXY_PAGE = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)


class FaultSpecError(ValueError):
    """A fault that cannot be used; the message names the field and what it accepts."""


class ConnectionDropped(httpx2.RemoteProtocolError):
    """Raised mid-response: uvicorn closes the socket, and an in-process ASGITransport hands it to the client
    as the transport error a closed socket would have been."""


@dataclass(frozen=True)
class Fault:
    kind: str
    method: str = "*"
    # Shell-style, on the request path: `*` matches anything, "/" included ("/v1/applications/*/instant-call").
    path: str = "*"
    times: int | None = 1  # the next `times` matching requests; None until the plan is cleared
    seconds: float = 1.0  # latency
    retry_after: float = 1.0  # 429

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise FaultSpecError(f"kind {self.kind!r} is not a fault; choose one of {', '.join(KINDS)}")
        if self.method not in METHODS:
            raise FaultSpecError(f"method {self.method!r} is not one of {', '.join(METHODS)}")
        if not (self.path == "*" or self.path.startswith("/")):
            raise FaultSpecError(f"path {self.path!r} must start with '/' (or be '*')")
        if self.times is not None and self.times < 1:
            raise FaultSpecError(f"times must be 1 or more, or {ALWAYS!r}; got {self.times}")
        if not 0 <= self.seconds <= 600:
            raise FaultSpecError(f"seconds must be between 0 and 600, got {self.seconds:g}")
        if not 0 <= self.retry_after <= 86_400:
            raise FaultSpecError(f"retry_after must be between 0 and 86400 seconds, got {self.retry_after:g}")

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Fault:
        """A fault from JSON or a parsed spec: every value may also be given as text."""
        unknown = sorted(set(values) - {"kind", "method", "path", "times", "seconds", "retry_after"})
        if unknown:
            raise FaultSpecError(
                f"unknown field(s) {', '.join(unknown)}; a fault has kind, method, path, times, seconds, retry_after"
            )
        if "kind" not in values:
            raise FaultSpecError(f"a fault needs a kind: one of {', '.join(KINDS)}")
        fields: dict[str, Any] = {"kind": str(values["kind"])}
        if "method" in values:
            fields["method"] = str(values["method"]).upper()
        if "path" in values:
            fields["path"] = str(values["path"])
        if "times" in values:
            fields["times"] = _times(values["times"])
        for name in ("seconds", "retry_after"):
            if name in values:
                fields[name] = _number(name, values[name])
        return cls(**fields)

    def matches(self, method: str, path: str) -> bool:
        return self.method in ("*", method) and fnmatchcase(path, self.path)


def _times(value: Any) -> int | None:
    if value is None or value == ALWAYS:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise FaultSpecError(f"times must be a whole number or {ALWAYS!r}, got {value!r}")
    try:
        return int(value)
    except ValueError:
        raise FaultSpecError(f"times must be a whole number or {ALWAYS!r}, got {value!r}") from None


def _number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise FaultSpecError(f"{name} must be a number of seconds, got {value!r}")
    try:
        number = float(value)
    except ValueError:
        raise FaultSpecError(f"{name} must be a number of seconds, got {value!r}") from None
    if not math.isfinite(number):
        raise FaultSpecError(f"{name} must be a number of seconds, got {value!r}")
    return number


def parse_faults(spec: str) -> list[Fault]:
    """Faults from a compact spec: faults split by ';', each `kind [METHOD] [path] [key=value ...]`.

    For example `503 GET /v1/jobs* times=2; drop POST /v1/applications/*/instant-call; latency seconds=0.5`.
    """
    faults = []
    for text in spec.split(";"):
        words = text.replace(",", " ").split()
        if not words:
            continue
        values: dict[str, str] = {}
        positional = ["kind", "method", "path"]
        for word in words:
            name, equals, value = word.partition("=")
            if equals:
                values[name.strip()] = value.strip()
            elif positional:
                values[positional.pop(0)] = word
            else:
                raise FaultSpecError(f"{word!r} in {text.strip()!r}: write it as name=value")
        faults.append(Fault.from_mapping(values))
    return faults


class FaultPlan:
    """The faults still to come, in the order they were added."""

    def __init__(self, faults: str | Iterable[Fault | Mapping[str, Any]] = ()) -> None:
        self.faults: list[Fault] = []
        self.add(parse_faults(faults) if isinstance(faults, str) else faults)

    def add(self, faults: Iterable[Fault | Mapping[str, Any]]) -> None:
        """Add faults after those already planned; none are added if any is not valid."""
        self.faults += [fault if isinstance(fault, Fault) else Fault.from_mapping(fault) for fault in faults]

    def clear(self) -> None:
        self.faults.clear()

    def take(self, method: str, path: str) -> tuple[float, Fault | None]:
        """Spend what this request meets: the sum of matching latencies, then the first other matching fault."""
        delay, chosen, kept = 0.0, None, []
        for fault in self.faults:
            if fault.matches(method, path) and (fault.kind == "latency" or chosen is None):
                if fault.kind == "latency":
                    delay += fault.seconds
                else:
                    chosen = fault
                if fault.times == 1:
                    continue  # spent
                if fault.times is not None:
                    fault = replace(fault, times=fault.times - 1)
            kept.append(fault)
        self.faults = kept
        return delay, chosen

    def describe(self) -> list[dict[str, Any]]:
        return [{**asdict(fault), "times": ALWAYS if fault.times is None else fault.times} for fault in self.faults]


class InjectFaults:
    """ASGI middleware that applies the plan to every request except those to FAULTS_PATH itself."""

    def __init__(self, app: ASGIApp, *, plan: FaultPlan) -> None:
        self.app = app
        self.plan = plan

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] == FAULTS_PATH:
            await self.app(scope, receive, send)
            return
        delay, fault = self.plan.take(scope["method"], scope["path"])
        if delay:
            await anyio.sleep(delay)
        if fault is None or fault.kind == "latency":
            await self.app(scope, receive, send)
        elif fault.kind in _STATUS_BODIES:
            retry_after = {"Retry-After": f"{fault.retry_after:g}"} if fault.kind == "429" else None
            await JSONResponse(_STATUS_BODIES[fault.kind], int(fault.kind), headers=retry_after)(scope, receive, send)
        elif fault.kind == "html":
            await HTMLResponse(PROXY_PAGE, 502)(scope, receive, send)
        else:
            await _spoil(fault.kind, self.app, scope, receive, send)


async def _spoil(kind: str, app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
    """Carry the request out, then deliver its answer cut short, dropped, or never finished."""
    start: Message = {"type": "http.response.start", "status": 200, "headers": []}
    chunks: list[bytes] = []

    async def capture(message: Message) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, capture)
    body = b"".join(chunks) or b'{"data": []}'
    if kind == "malformed_json":
        body = body[: len(body) // 2]
    # A 204 may not carry a body; these answers always have one.
    status = 200 if start["status"] == 204 else start["status"]
    headers = [(k, v) for k, v in start["headers"] if k.lower() not in (b"content-length", b"content-type")]
    headers += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    if kind == "malformed_json":
        await send({"type": "http.response.body", "body": body})
        return
    await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})
    if kind == "drop":
        raise ConnectionDropped("the sandbox dropped the connection mid-response (a 'drop' fault)")
    while (await receive())["type"] != "http.disconnect":  # hang: until the client gives up
        pass


async def faults_endpoint(request: Request) -> Response:
    """GET: the plan. POST: add faults (an object, a list, or {"faults": [...]}). DELETE: clear the plan."""
    plan: FaultPlan = request.app.state.faults
    if request.method == "POST":
        try:
            payload = json.loads(await request.body())
        except ValueError:
            raise BadRequest(
                'the body is not JSON: send a fault object, a list of them, or {"faults": [...]}'
            ) from None
        items = payload.get("faults", payload) if isinstance(payload, dict) else payload
        items = items if isinstance(items, list) else [items]
        if not all(isinstance(item, dict) for item in items):
            raise BadRequest("each fault must be a JSON object with at least a kind")
        try:
            plan.add(items)
        except FaultSpecError as exc:
            raise BadRequest(f"fault not added: {exc}") from None
    elif request.method == "DELETE":
        plan.clear()
    return JSONResponse({"faults": plan.describe(), "kinds": KINDS})


FAULT_ROUTES = [Route(FAULTS_PATH, faults_endpoint, methods=["GET", "POST", "DELETE"])]


class TimedASGITransport(httpx2.ASGITransport):
    """An ASGITransport that keeps the client's read timeout, as a socket would.

    httpx2.ASGITransport awaits the app to the end whatever the timeout, so an in-process `hang` would hold
    its caller forever; here it ends in httpx2.ReadTimeout after the client's read timeout.
    """

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        timeout = request.extensions.get("timeout", {}).get("read")
        if timeout is None:
            return await super().handle_async_request(request)
        with anyio.move_on_after(timeout):
            return await super().handle_async_request(request)
        raise httpx2.ReadTimeout(f"no complete answer within {timeout:g} s", request=request)
