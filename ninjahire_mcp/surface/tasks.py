"""The Tasks extension (`io.modelcontextprotocol/tasks`, 2026-07-28 draft) for the two tools that wait on a
phone call: a client that declares it gets a task handle from `instant_call` (once the call is placed) and
from `wait_for_call`, and `tasks/get` gives the screening report when the call ends.

Why a task: a screening call lasts minutes, and hosts end a tool call after about a minute, so without
tasks the agent follows a call in 45 s waits (NINJAHIRE_WAIT_LIMIT). With a task the server keeps waiting
in the background, by running `wait_for_call` itself (the same pipeline, so the same report, masking and
untrusted markers), one wait after another, for at most WAIT_MAX.

What stays exactly as it was:
- A client that does not declare the extension on the request, and every 2025-era connection (the
  extension is not defined there: SEP-2663, "Backward Compatibility"), gets today's results.
- The confirmation of a phone call (elicitation, or preview and confirm_token) runs as it always did,
  synchronously; a task exists only once the call is placed. A preview, a refusal or an error is returned
  as the ordinary result it is.

The handle is stored (and committed) before it is returned; the row is bound to the credentials that
created it (a keyed digest of the bearer token and the Ninjahire key), so no other caller can read or
cancel it: to them it does not exist. After a restart a task that was still working resumes on the next
`tasks/get`: that request brings the owner's credentials, so the server waits again with them (no key is
ever stored). `tasks/cancel` stops the waiting, never the phone call, and says so.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import anyio
from anyio.abc import TaskGroup
from mcp import MCPError
from mcp.server.connection import Connection
from mcp.server.context import CallNext, HandlerResult, ServerRequestContext
from mcp.server.extension import Extension, MethodBinding
from mcp.server.mcpserver import Context, require_client_extension
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.session import ServerSession
from mcp.types import CallToolResult, TextContent
from mcp_types import INTERNAL_ERROR, INVALID_PARAMS, CallToolRequestParams, RequestParams
from mcp_types.methods import serialize_server_result
from mcp_types.version import MODERN_PROTOCOL_VERSIONS
from pydantic import Field, TypeAdapter, ValidationError

from ..config import MAX_WAIT_LIMIT, Settings
from ..toolkit import CallId, Timing, key_from_headers
from ._task_store import CANCELLED, COMPLETED, FAILED, WORKING, TaskRow, TaskStore

if TYPE_CHECKING:
    from mcp.server import MCPServer

IDENTIFIER = "io.modelcontextprotocol/tasks"
# Where a `tasks/cancel` acknowledgement (an empty result by the spec) carries what it did and did not stop.
NOTICE_KEY = "co.ninjahire/notice"

WAIT_MAX = 2 * 3600.0  # a screening call lasts minutes; one still "in progress" after two hours is not ending
TTL = 24 * 3600.0  # how long a task is kept after it was created: a day to collect the report
POLL_INTERVAL_MS = 5000  # the report cannot change faster than the call's own polling (2 s growing to 15 s)
TASK_TOOLS = frozenset({"instant_call", "wait_for_call"})

_log = logging.getLogger("ninjahire_mcp.tasks")
_call_id = TypeAdapter(CallId)


class TaskParams(RequestParams):
    """`tasks/get` and `tasks/cancel`."""

    task_id: str = Field(alias="taskId")


class UpdateTaskParams(TaskParams):
    """`tasks/update`: these tasks never ask for input, so its responses are acknowledged and ignored."""

    input_responses: dict[str, Any] = Field(alias="inputResponses", default_factory=dict)


def declares_tasks(ctx: ServerRequestContext[Any, Any]) -> bool:
    """Whether this request may get a task: a 2026-era request whose own capabilities name the extension."""
    if ctx.protocol_version not in MODERN_PROTOCOL_VERSIONS:
        return False
    capabilities = ctx.session.client_capabilities
    return bool(capabilities and capabilities.extensions and IDENTIFIER in capabilities.extensions)


@dataclass(frozen=True)
class _Silent:
    """The back-channel of a background wait: the request it came from has been answered, and the spec
    allows no progress or log notifications on tasks, so nothing is sent and nothing can be asked."""

    @property
    def transport(self) -> Any:
        return None

    @property
    def can_send_request(self) -> bool:
        return False

    @property
    def request_id(self) -> None:
        return None

    @property
    def message_metadata(self) -> None:
        return None

    @property
    def cancel_requested(self) -> anyio.Event:
        return anyio.Event()

    async def progress(self, progress: float, total: float | None = None, message: str | None = None) -> None:
        return None

    async def send_raw_request(self, method: str, params: Mapping[str, Any] | None, opts: Any = None) -> dict[str, Any]:
        raise MCPError(code=INTERNAL_ERROR, message=f"a background wait cannot send {method}")

    async def notify(self, method: str, params: Mapping[str, Any] | None, opts: Any = None) -> None:
        return None


class CallTasks(Extension):
    """The extension: `tools/call` interception for the two waiting tools, and tasks/get, update, cancel."""

    identifier = IDENTIFIER

    def __init__(self, store: TaskStore, timing: Timing, *, wait_max: float = WAIT_MAX, ttl: float = TTL) -> None:
        self.store = store
        self.timing = timing
        self.wait_max = wait_max
        self.ttl = ttl
        self._server: MCPServer[Any] | None = None
        self._groups: list[TaskGroup] = []  # the lifespans' task groups now open (one per SSE connection)
        self._waiting: dict[str, anyio.CancelScope] = {}  # task id -> its waiter in this process

    @classmethod
    def for_settings(cls, settings: Settings, timing: Timing) -> CallTasks:
        return cls(TaskStore.for_settings(settings), timing)

    def serve_with(self, server: MCPServer[Any]) -> None:
        """The server whose `wait_for_call` a background wait runs (an extension is not handed its server)."""
        self._server = server

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """While the server serves (its lifespan): the task group the waits run in. When it ends, the waits
        are cancelled and their tasks stay `working` in the store, to resume on the next tasks/get."""
        async with anyio.create_task_group() as group:
            self._groups.append(group)
            try:
                yield
            finally:
                self._groups.remove(group)
                group.cancel_scope.cancel()

    def methods(self) -> Sequence[MethodBinding]:
        modern = frozenset(MODERN_PROTOCOL_VERSIONS)  # not defined on 2025-era connections: method not found
        return (
            MethodBinding("tasks/get", TaskParams, self._get, protocol_versions=modern),
            MethodBinding("tasks/update", UpdateTaskParams, self._update, protocol_versions=modern),
            MethodBinding("tasks/cancel", TaskParams, self._cancel, protocol_versions=modern),
        )

    async def intercept_tool_call(
        self, params: CallToolRequestParams, ctx: ServerRequestContext[Any, Any], call_next: CallNext
    ) -> HandlerResult:
        if params.name not in TASK_TOOLS or not declares_tasks(ctx) or not self._can_wait():
            return await call_next(ctx)
        if params.name == "wait_for_call":
            arguments = params.arguments or {}
            call_id = _valid_call_id(arguments.get("call_id"))
            if call_id is None or not _only_waits(arguments):
                return await call_next(ctx)  # the tool refuses them, with its own message, as it always has
            return self._start(ctx, params.name, call_id, f"Waiting for call {call_id} to end.")
        result = await call_next(ctx)  # the confirmation and the POST, exactly as without tasks
        call_id = _placed_call(result)
        if call_id is None:
            return result  # a preview, a question, a refusal, an error: not a placed call
        try:
            return self._start(ctx, params.name, call_id, f"Call {call_id} placed; waiting for it to end.")
        except sqlite3.Error:
            # The call is placed whatever the store says: the agent must see the ordinary result, not a failure.
            _log.exception("could not store a task for call %s; answered without one", call_id)
            return result

    # ---- the background wait ---------------------------------------------------------------------------

    def _can_wait(self) -> bool:
        return self._server is not None and bool(self._groups)

    def _start(self, ctx: ServerRequestContext[Any, Any], tool: str, call_id: str, message: str) -> dict[str, Any]:
        row = self.store.create(_owner(self.store, ctx), tool, call_id, message, now=self.timing.wall(), ttl=self.ttl)
        self._spawn(row, ctx)  # the row is committed first: tasks/get answers for it from here on
        return {"resultType": "task", **self._task_fields(row)}

    def _spawn(self, row: TaskRow, ctx: ServerRequestContext[Any, Any]) -> None:
        if not self._can_wait() or row.id in self._waiting:
            return
        scope = anyio.CancelScope()
        self._waiting[row.id] = scope
        self._groups[-1].start_soon(self._wait, row.id, row.call_id, _background(ctx), scope)

    async def _wait(
        self, task_id: str, call_id: str, ctx: ServerRequestContext[Any, Any], scope: anyio.CancelScope
    ) -> None:
        try:
            with scope:
                await self._follow(task_id, call_id, ctx)
        finally:
            self._waiting.pop(task_id, None)

    async def _follow(self, task_id: str, call_id: str, ctx: ServerRequestContext[Any, Any]) -> None:
        """Run wait_for_call until the call has ended (or WAIT_MAX has passed); store what it last returned."""
        assert self._server is not None
        context: Context[Any, Any] = Context(request_context=ctx, mcp_server=self._server)
        deadline = self.timing.monotonic() + self.wait_max
        while True:
            try:
                result = await self._server.call_tool("wait_for_call", {"call_id": call_id}, context)
            except MCPError as error:
                self._fail(task_id, error.error.model_dump(by_alias=True, mode="json", exclude_none=True))
                return
            except ToolError as error:  # as the SDK's tools/call handler reports it
                result = CallToolResult(content=[TextContent(type="text", text=str(error))], is_error=True)
            except Exception:
                _log.exception("the background wait for a task failed")
                self._fail(task_id, {"code": INTERNAL_ERROR, "message": "Internal error while waiting for the call"})
                return
            if not isinstance(result, CallToolResult):
                self._fail(task_id, {"code": INTERNAL_ERROR, "message": "wait_for_call asked for input"})
                return
            waiting = _still_in_progress(result)
            if not waiting or self.timing.monotonic() >= deadline:
                self.store.finish(
                    task_id,
                    COMPLETED,
                    _completed_message(result, call_id, waiting, self.wait_max),
                    now=self.timing.wall(),
                    result=serialize_server_result("tools/call", ctx.protocol_version, _wire(result)),
                )
                return

    def _fail(self, task_id: str, error: dict[str, Any]) -> None:
        message = f"Waiting for the call failed: {error.get('message', 'an error')}."
        self.store.finish(task_id, FAILED, message, now=self.timing.wall(), error=error)

    # ---- tasks/get, tasks/update, tasks/cancel --------------------------------------------------------------

    async def _get(self, ctx: ServerRequestContext[Any, Any], params: TaskParams) -> dict[str, Any]:
        row = self._find(ctx, params.task_id, "retrieve")
        if row.status == WORKING:
            # Nobody waits for it in this process (a restart, another replica's task, a closed connection):
            # wait again, with this request's credentials, which are the owner's.
            self._spawn(row, ctx)
        detailed = self._task_fields(row)
        if row.status == COMPLETED and row.result is not None:
            detailed["result"] = row.result
        if row.status == FAILED and row.error is not None:
            detailed["error"] = row.error
        return {"resultType": "complete", **detailed}

    async def _update(self, ctx: ServerRequestContext[Any, Any], params: UpdateTaskParams) -> dict[str, Any]:
        self._find(ctx, params.task_id, "update")
        return {"resultType": "complete"}

    async def _cancel(self, ctx: ServerRequestContext[Any, Any], params: TaskParams) -> dict[str, Any]:
        row = self._find(ctx, params.task_id, "cancel")
        follow = f"get_call(call_id='{row.call_id}') or wait_for_call(call_id='{row.call_id}')"
        notice = (
            f"Stopped waiting for call {row.call_id}. The phone call itself was NOT stopped: it goes on until it "
            f"ends. Follow it with {follow}."
        )
        if self.store.finish(row.id, CANCELLED, notice, now=self.timing.wall()):
            scope = self._waiting.get(row.id)
            if scope is not None:
                scope.cancel()
        else:
            notice = (
                f"The task had already ended ({row.status}): nothing was stopped. tasks/cancel never stops a phone "
                f"call; follow call {row.call_id} with {follow}."
            )
        return {"resultType": "complete", "_meta": {NOTICE_KEY: notice}}

    def _find(self, ctx: ServerRequestContext[Any, Any], task_id: str, verb: str) -> TaskRow:
        require_client_extension(ctx, IDENTIFIER)  # -32021 for a request that did not declare it
        # Another owner's task is answered exactly as an unknown one, so that a probe learns nothing.
        row = self.store.get(task_id, _owner(self.store, ctx))
        if row is None:
            raise MCPError(code=INVALID_PARAMS, message=f"Failed to {verb} task: Task not found")
        if row.expires < self.timing.wall():
            self.store.forget(row.id)
            raise MCPError(code=INVALID_PARAMS, message=f"Failed to {verb} task: Task has expired")
        return row

    def _task_fields(self, row: TaskRow) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "taskId": row.id,
            "status": row.status,
            "createdAt": _iso(row.created),
            "lastUpdatedAt": _iso(row.updated),
            "ttlMs": round((row.expires - row.created) * 1000),
            "pollIntervalMs": POLL_INTERVAL_MS,
        }
        if row.message:
            fields["statusMessage"] = row.message
        return fields


def _owner(store: TaskStore, ctx: ServerRequestContext[Any, Any]) -> str:
    """Whose task: the request's bearer token and Ninjahire key, as the installation's keyed digest (on stdio
    and in memory there are no headers: the one local user)."""
    headers: Mapping[str, str] | None = getattr(ctx.request, "headers", None)
    return store.owner((headers or {}).get("authorization"), key_from_headers(headers))


def _background(ctx: ServerRequestContext[Any, Any]) -> ServerRequestContext[Any, Any]:
    """The request's context for a wait that outlives it: the same caller (headers, capabilities, lifespan
    state), a silent back-channel, and no progress token."""
    capabilities = ctx.session.client_capabilities
    connection = Connection.from_envelope(
        ctx.protocol_version, None, capabilities.model_dump(by_alias=True, exclude_none=True) if capabilities else None
    )
    return replace(
        ctx,
        session=ServerSession(_Silent(), connection),
        meta=None,
        request_id=None,
        close_sse_stream=None,
        close_standalone_sse_stream=None,
    )


def _valid_call_id(value: Any) -> str | None:
    try:
        return str(_call_id.validate_python(value))
    except ValidationError:
        return None


def _only_waits(arguments: Mapping[str, Any]) -> bool:
    """Arguments a background wait honours: call_id, and a timeout_s the tool would accept (a task waits
    longer than any one wait, so it has no use for it). Anything else goes to the tool, to be refused."""
    timeout_s = arguments.get("timeout_s")
    valid_timeout = timeout_s is None or (type(timeout_s) is int and 1 <= timeout_s <= MAX_WAIT_LIMIT)
    return set(arguments) <= {"call_id", "timeout_s"} and valid_timeout


def _payload(result: CallToolResult) -> dict[str, Any] | None:
    if result.structured_content is not None:
        return dict(result.structured_content)
    text = next((block.text for block in result.content if isinstance(block, TextContent)), None)
    try:
        decoded = json.loads(text) if text else None
    except ValueError:
        return None
    return decoded if isinstance(decoded, dict) else None


def _placed_call(result: HandlerResult) -> str | None:
    """The call_id of a call instant_call has just placed; None for anything else it returned."""
    if not isinstance(result, CallToolResult) or result.is_error:
        return None
    payload = _payload(result)
    if payload is None or "confirm_token" in payload:  # a preview names no call; `not_done` names none either
        return None
    return _valid_call_id(payload.get("call_id"))


def _still_in_progress(result: CallToolResult) -> bool:
    """wait_for_call's answer says to call it again (the call goes on, or the API did not answer in time)."""
    payload = _payload(result)
    return not result.is_error and payload is not None and "next" in payload


def _completed_message(result: CallToolResult, call_id: str, waiting: bool, wait_max: float) -> str:
    if waiting:
        return (
            f"Stopped waiting after {wait_max / 60:.0f} min: call {call_id} is still in progress. Follow it with "
            f"wait_for_call(call_id='{call_id}')."
        )
    if result.is_error:
        return f"wait_for_call reported an error for call {call_id}: see the result."
    return f"Call {call_id} has ended: the result is its screening report."


def _wire(result: CallToolResult) -> dict[str, Any]:
    return result.model_dump(by_alias=True, mode="json", exclude_none=True)


def _iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
