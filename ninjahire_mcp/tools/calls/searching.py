"""Questions across many screening calls, answered from the tenant's screening index at the cost of one
tool result, whatever the tenant's size: "who said they prefer nights?", "who can start immediately?"."""

from typing import Annotated, Any, Literal

from pydantic import Field

from ...index import ANSWERS, DIGEST, SUMMARY, Filters, Match
from ...toolkit import READ, InputError, JobId, tool
from ...views import MATCHES, marker
from .._screening_index import Freshness, Index

Where = Literal["answers", "summary", "digest", "transcript"]
QUESTION_SHOWN = 60  # characters of the question an answer matched: enough to tell which


@tool("Search screening", READ, output=MATCHES, view="shortlist")
async def search_screening(
    index: Index,
    query: Annotated[
        str | None, Field(description='Words, "a phrase", prefix*, AND/OR/NOT; stemmed. Omit to filter only.')
    ] = None,
    job_id: JobId | None = None,
    min_score: Annotated[int | None, Field(ge=0, le=100, description="Inclusive.")] = None,
    max_score: Annotated[int | None, Field(ge=0, le=100, description="Inclusive.")] = None,
    ninjahire_intelligence: Annotated[str | None, Field(description="e.g. call_success.")] = None,
    category: Annotated[str | None, Field(description="A call_summary category, e.g. availability.")] = None,
    where: Annotated[list[Where] | None, Field(description="Default: all but transcript.")] = None,
    limit: Annotated[int, Field(ge=1, le=50)] = 10,
    refresh: Annotated[bool, Field(description="Re-read the API now.")] = False,
) -> Any:
    """Search all screening calls at once instead of paging reports: ranked calls (candidate, call_score,
    application_id, call_id, matched snippet). No query: filter, best score first. Then get_call."""
    if min_score is not None and max_score is not None and min_score > max_score:
        raise InputError(f"min_score ({min_score}) is above max_score ({max_score}): swap them.")
    extra: list[str] = []
    if job_id is not None:
        coverages = [await index.job(job_id, refresh=refresh)]
    else:
        coverages, extra = await index.tenant(refresh=refresh)
    filters = Filters(
        job_ids=(job_id.lower(),) if job_id else (),
        min_score=min_score,
        max_score=max_score,
        intelligence=ninjahire_intelligence,
        category=category,
        where=tuple(dict.fromkeys(where)) if where else (ANSWERS, SUMMARY, DIGEST),
    )
    found = await index.find(query, filters, limit)
    result: dict[str, Any] = {
        "columns": ["candidate", "call_score", "ninjahire_intelligence", "application_id", "call_id"]
        + (["matched", "snippet"] if query else []),
        "rows": [_row(match, bool(query)) for match in found.matches],
        "total_matches": found.total,
        **Freshness.of(coverages, extra=extra).shown(),
    }
    if query and found.matches:
        result["untrusted"] = marker("rows[].matched", "rows[].snippet")
    if found.total > len(found.matches):
        result["next"] = f"{found.total - len(found.matches)} more: narrow the query or raise limit (at most 50)"
    return result


def _row(match: Match, with_text: bool) -> list[Any]:
    row: list[Any] = [
        match.candidate or "unknown",
        int(match.score) if match.score is not None and match.score == int(match.score) else match.score,
        match.intelligence,
        match.application_id,
        match.call_id,
    ]
    if with_text:
        row += [_matched(match), match.snippet]
    return row


def _matched(match: Match) -> str | None:
    """Which field matched: an answer names its question, a summary its category."""
    if match.field == ANSWERS and match.label:
        question = match.label if len(match.label) <= QUESTION_SHOWN else match.label[: QUESTION_SHOWN - 1] + "…"
        return f"answer to: {question}"
    if match.field == SUMMARY and match.label:
        return f"summary: {match.label}"
    if match.field is None:
        return "several fields"  # the query's words are in more than one answer or field of the call
    return match.field if match.field != DIGEST else "call_digest"
