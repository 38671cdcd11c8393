"""Finding a job or a candidate by what a person remembers: the API has no search, so read and match."""

from collections.abc import Callable, Iterable
from typing import Annotated, Any

from mcp.server.mcpserver import Context
from pydantic import Field

from . import candidates, jobs
from ._context import api
from ._paging import read_pages
from ._registry import READ

Query = Annotated[str, Field(min_length=1, max_length=200)]
Limit = Annotated[int, Field(ge=1, le=100)]


def matches(query: str, fields: Iterable[Any]) -> bool:
    """Every word of the query is a case-insensitive substring of at least one field."""
    haystack = [str(value).casefold() for value in fields if value]
    return all(any(word in field for field in haystack) for word in query.casefold().split())


async def _find(
    ctx: Context,
    list_page: Callable[..., Any],
    query: str,
    *,
    fields: Callable[[dict[str, Any]], Iterable[Any]],
    summary: Callable[[dict[str, Any]], str],
    limit: int,
    what: str,
) -> Any:
    async def fetch(page: int, size: int) -> Any:
        return await list_page(page=page, size=size)

    collected = await read_pages(ctx, fetch, what=what)
    found = [item for item in collected.items if matches(query, fields(item))]
    return {
        "query": query,
        "matches": [{"id": item.get("id"), "summary": summary(item)} for item in found[:limit]],
        "total_matches": len(found),
        "searched": len(collected.items),
        "complete": collected.complete,
    }


def _join(*parts: Any) -> str:
    return " · ".join(str(part) for part in parts if part)


@jobs.toolset.tool("Find jobs", READ)
async def find_jobs(ctx: Context, query: Query, limit: Limit = 20) -> Any:
    """Find jobs whose title, city, state or status contains every word of query (e.g. "llm san jose"): ids and
    summaries."""
    return await _find(
        ctx,
        api(ctx).jobs.list,
        query,
        fields=lambda job: (job.get("title"), job.get("city"), job.get("state_name"), job.get("status")),
        summary=lambda job: _join(
            job.get("title"),
            ", ".join(str(p) for p in (job.get("city"), job.get("state_name")) if p),
            job.get("status"),
            job.get("source_id"),
        ),
        limit=limit,
        what="jobs",
    )


@candidates.toolset.tool("Find candidates", READ)
async def find_candidates(ctx: Context, query: Query, limit: Limit = 20) -> Any:
    """Find candidates whose name or email contains every word of query: ids and summaries."""

    def name(candidate: dict[str, Any]) -> str:
        return " ".join(str(candidate.get(k) or "") for k in ("first_name", "last_name")).strip()

    return await _find(
        ctx,
        api(ctx).candidates.list,
        query,
        fields=lambda c: (c.get("first_name"), c.get("last_name"), name(c), c.get("email")),
        summary=lambda c: _join(name(c), c.get("email"), c.get("city"), c.get("source_id")),
        limit=limit,
        what="candidates",
    )
