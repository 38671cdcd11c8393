"""Argument completion: job ids for prompt arguments named `job_id` and the `ninjahire://jobs/{job_id}`
resource template, matched on the id or the job's title ("LLM" suggests the LLM Engineer job's id).

Completion values are inserted as typed, so each value is a bare job UUID, the one thing every
consumer of a job_id accepts; titles only decide which ids match.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from typing import Any
from weakref import WeakKeyDictionary

import anyio
from mcp.server import MCPServer
from mcp.server.context import CallNext, HandlerResult, ServerRequestContext
from mcp.types import Completion, CompletionArgument, CompletionContext, PromptReference, ResourceTemplateReference

from ..client import Job, NinjahireClient, NinjahireError
from ..toolkit import Refusal, ServerState, client_for, key_from_headers

logger = logging.getLogger(__name__)

JOB_ARGUMENT = "job_id"
JOB_TEMPLATE = "ninjahire://jobs/{job_id}"
MAX_VALUES = 100  # the protocol's cap per answer
PAGE_SIZE = 100  # the API's largest page
MAX_PAGES = 5  # a tenant with more jobs gets id/title matches among the first 500
TIME_LIMIT = 5.0  # seconds, unless build_server's timing says otherwise
CACHE_SECONDS = 15.0  # one listing serves a burst of keystrokes

# `@server.completion()` handlers get (ref, argument, context) and no request context; the
# middleware below hands them the API client of the request they answer.
_state: ContextVar[NinjahireClient | None] = ContextVar("ninjahire_completion_client", default=None)
_jobs_cache: WeakKeyDictionary[NinjahireClient, tuple[float, list[Job], bool]] = WeakKeyDictionary()


def register_completions(server: MCPServer[Any], *, time_limit: float = TIME_LIMIT) -> None:
    """Answer `completion/complete` for job ids (and with no values for anything else), each within
    `time_limit` seconds."""
    server.middleware.append(_expose_state)

    @server.completion()
    async def complete(
        ref: PromptReference | ResourceTemplateReference,
        argument: CompletionArgument,
        context: CompletionContext | None,
    ) -> Completion | None:
        if not await _completes_job(server, ref, argument):
            return None
        client = _state.get()
        if client is None:
            return None  # no key to read jobs with: a shared deployment's caller sent none
        return await complete_job_id(client, argument.value, time_limit=time_limit)


async def _expose_state(ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> HandlerResult:
    if ctx.method != "completion/complete":
        return await call_next(ctx)
    token = _state.set(_client_for(ctx))
    try:
        return await call_next(ctx)
    finally:
        _state.reset(token)


def _client_for(ctx: ServerRequestContext[Any, Any]) -> NinjahireClient | None:
    """The client this request may read with, chosen as for tools; None when the caller brought no key."""
    state: ServerState = ctx.lifespan_context
    headers = getattr(ctx.request, "headers", None)
    try:
        return client_for(state, key_from_headers(headers))
    except Refusal:
        return None


async def _completes_job(
    server: MCPServer[Any], ref: PromptReference | ResourceTemplateReference, argument: CompletionArgument
) -> bool:
    if argument.name != JOB_ARGUMENT:
        return False
    if isinstance(ref, ResourceTemplateReference):
        return ref.uri == JOB_TEMPLATE
    return any(
        prompt.name == ref.name and any(a.name == JOB_ARGUMENT for a in prompt.arguments or ())
        for prompt in await server.list_prompts()
    )


async def complete_job_id(api: NinjahireClient, typed: str, *, time_limit: float = TIME_LIMIT) -> Completion:
    """Ids of the jobs whose id starts with `typed` or whose title or source_id holds each of its words.

    Never raises for the API's sake: an error or a slow API (past `time_limit`) gives fewer values, or none.
    """
    jobs, partial = await _jobs(api, time_limit)
    needle = typed.strip().casefold()
    matches = [(rank, _text(job.title), job.id) for job in jobs if job.id and (rank := _rank(job, needle))]
    values = [job_id for _, _, job_id in sorted(matches)]
    return Completion(
        values=values[:MAX_VALUES],
        total=None if partial else len(values),
        has_more=len(values) > MAX_VALUES or (partial and bool(jobs)),
    )


def _rank(job: Job, needle: str) -> int:
    """1 for the best match, higher for weaker ones, 0 for none."""
    job_id, title, source_id = (_text(value) for value in (job.id, job.title, job.source_id))
    if job_id.startswith(needle):
        return 1
    if title.startswith(needle):
        return 2
    if all(word in title or word in source_id for word in needle.split()):
        return 3  # every word somewhere, as find_jobs matches ("llm eng", "job-10")
    return 0


def _text(value: str | None) -> str:
    return (value or "").casefold()


async def _jobs(api: NinjahireClient, time_limit: float) -> tuple[list[Job], bool]:
    """The tenant's jobs, briefly cached, and whether that is only part of them (more than MAX_PAGES
    pages, or the API failed or was too slow part-way)."""
    now = anyio.current_time()
    cached = _jobs_cache.get(api)
    if cached is not None and now - cached[0] < CACHE_SECONDS:
        return cached[1], cached[2]
    jobs: list[Job] = []
    truncated = False
    complete = False
    with anyio.move_on_after(time_limit):
        try:
            for page in range(1, MAX_PAGES + 1):
                response = await api.jobs.list(page=page, size=PAGE_SIZE)
                jobs.extend(response.items)
                count = response.count
                more = page * PAGE_SIZE < count if count is not None else len(response.items) == PAGE_SIZE
                if not more:
                    complete = True
                    break
            else:
                truncated = True
        except NinjahireError as exc:
            logger.info("job id completion: listing jobs failed (%s)", type(exc).__name__)
    if complete or truncated:  # a partial listing is used once but not remembered
        _jobs_cache[api] = (now, jobs, truncated)
    return jobs, truncated or not complete
