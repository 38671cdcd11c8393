"""MCP resources: records an agent or a host can read by URI, and the workflow guide.

They read through the same API client as the tools and show the same shapes: compact JSON, the
screening report for a call, the transcript in chunks between untrusted-content markers, contact
details masked under --redact-pii. A failure is a resource error with the fix in its message.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from mcp.server import MCPServer
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError
from pydantic_core import PydanticCustomError

from ..client import AuthenticationError, NinjahireClient, NinjahireError, NotFoundError
from ..toolkit import LISTED_BY, Refusal, caller_key, client_for, server_state, uuid_check
from ..views import TRANSCRIPT_CHUNK, call_report, hide_resume, mask_pii, render, transcript_chunk
from .guide import build_guide

JSON = "application/json"
_MAX_LINES = 1000

_ID_CHECKS = {
    "job_id": uuid_check("job_id", "`id` from get_jobs", None),
    "application_id": uuid_check("application_id", "`id` from get_applications", None),
    "call_id": uuid_check("call_id", "`call_id` from get_screening_results or instant_call", None),
}


class InvalidResourceUri(ResourceNotFoundError):
    """A URI that can name nothing (a malformed id, a bad offset): invalid params (-32602), with the fix."""


async def job_resource(job_id: str, ctx: Context) -> str:
    """A job posting: description, pay, location, recruiter, status."""
    job_id = _valid_id("job_id", job_id)
    return _rendered(ctx, await _read(ctx, "job_id", job_id, _client(ctx).jobs.get(job_id)))


async def application_resource(application_id: str, ctx: Context) -> str:
    """An application with its candidate's and job's details and its screening_status."""
    application_id = _valid_id("application_id", application_id)
    record = await _read(ctx, "application_id", application_id, _client(ctx).applications.get(application_id))
    return _rendered(ctx, hide_resume(record))


async def call_resource(call_id: str, ctx: Context) -> str:
    """A screening call's report: score, assessment, summary by category, digest, answers (no transcript)."""
    call_id = _valid_id("call_id", call_id)
    record = await _read(ctx, "call_id", call_id, _client(ctx).calls.get(call_id))
    return _rendered(ctx, call_report(record))


async def transcript_resource(call_id: str, ctx: Context, offset: str = "0", limit: str = str(TRANSCRIPT_CHUNK)) -> str:
    """A screening call's BOT/HUMAN transcript, a chunk of lines at a time (offset from 0, limit 1-1000)."""
    call_id = _valid_id("call_id", call_id)
    first = _whole_number("offset", offset, 0, None)
    count = _whole_number("limit", limit, 1, _MAX_LINES)
    record = await _read(ctx, "call_id", call_id, _client(ctx).calls.get(call_id))
    more = "" if count == TRANSCRIPT_CHUNK else f"&limit={count}"
    text = transcript_chunk(record, first, count).as_text(
        f"Transcript of call {call_id}", lambda start: f"ninjahire://calls/{call_id}/transcript?offset={start}{more}"
    )
    return str(_masked(ctx, text))


def _client(ctx: Context) -> NinjahireClient:
    """The API client for this read, with the caller's own key in a shared deployment (as tools do)."""
    try:
        return client_for(server_state(ctx), caller_key(ctx))
    except Refusal as refused:
        raise ResourceError(str(refused)) from None


def register_resources(server: MCPServer[Any]) -> None:
    async def guide() -> str:
        """How to work with this server: ids, paging, the usual path, real-world actions, resources."""
        return build_guide([tool.name for tool in await server.list_tools()])

    server.resource("ninjahire://guide", name="guide", title="Workflow guide", mime_type="text/markdown")(guide)
    server.resource("ninjahire://jobs/{job_id}", name="job", title="Job", mime_type=JSON)(job_resource)
    server.resource(
        "ninjahire://applications/{application_id}", name="application", title="Application", mime_type=JSON
    )(application_resource)
    server.resource("ninjahire://calls/{call_id}", name="call", title="Screening report", mime_type=JSON)(call_resource)
    server.resource(
        "ninjahire://calls/{call_id}/transcript{?offset,limit}",
        name="call_transcript",
        title="Call transcript",
        mime_type="text/plain",
    )(transcript_resource)


def _valid_id(field: str, value: str) -> str:
    try:
        return _ID_CHECKS[field](value)
    except PydanticCustomError as error:
        raise InvalidResourceUri(error.message()) from None


def _whole_number(name: str, text: str, low: int, high: int | None) -> int:
    bounds = f"{low}-{high}" if high is not None else f"{low} or more"
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or value < low or (high is not None and value > high):
        raise InvalidResourceUri(f"{name} must be a whole number, {bounds}; got {text!r}.")
    return value


async def _read(ctx: Context, field: str, value: str, answer: Awaitable[Any]) -> Any:
    """The API's answer, or a resource error that says what went wrong and what to do."""
    try:
        return await answer
    except NotFoundError as error:
        raise ResourceNotFoundError(
            f"No record for {field}={value!r} in this tenant (HTTP 404); {field} comes from {LISTED_BY[field]}."
        ) from error
    except AuthenticationError as error:
        raise ResourceError(
            "Ninjahire rejected the API key (HTTP 401): set a valid NINJAHIRE_API_KEY and restart the server."
        ) from error
    except NinjahireError as error:
        # The API's own message may quote a record back.
        raise ResourceError(_masked(ctx, f"Ninjahire could not be read: {error}")) from error


def _rendered(ctx: Context, data: Any) -> str:
    return render(_masked(ctx, data))


def _masked(ctx: Context, data: Any) -> Any:
    return mask_pii(data) if server_state(ctx).settings.redact_pii else data
