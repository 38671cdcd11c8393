"""Filling a tenant's screening index from the API, on demand, and keeping it honestly labelled.

The first question about a job reads that job, its applications and its calls (paged by 100, with the
client's retry rules and progress notifications, as far as NINJAHIRE_SCAN_PAGES lets a list go) and the
names of candidates the index does not know yet; later questions reuse what was read until it is older
than NINJAHIRE_INDEX_TTL. A question about the whole tenant does so job by job. What is written is a
job's records at once (one transaction), so a fill cut short leaves every job either as it was or as
read, and the next question finishes the rest.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Protocol, TypeVar, cast

import anyio
import anyio.to_thread
from mcp.server.mcpserver import Context, Resolve

from ..client import Application, Call, Job, NinjahireClient, NinjahireError
from ..inbox import StoredEvent
from ..index import (
    ANSWERS,
    DIGEST,
    SUMMARY,
    TRANSCRIPT,
    Coverage,
    Filters,
    Found,
    IndexedApplication,
    IndexedCall,
    IndexShelf,
    IndexUnavailable,
    Piece,
    QuerySyntax,
    ScreeningIndex,
)
from ..toolkit import Api, InputError, PageReader, Refusal, caller_key, server_state
from ..views import parse_answers

T = TypeVar("T")
INDEX_OFF = (
    "The screening index is off (NINJAHIRE_INDEX=off). Unset NINJAHIRE_INDEX (or set it to a folder or to memory) "
    "and restart the server; meanwhile read reports page by page with get_screening_results."
)
PAGES_SETTING = "NINJAHIRE_INDEX_MAX_PAGES"  # named where a fill was cut short by it
NAME_LOOKUPS = 8  # candidate lookups in flight at once, for names the index does not know yet
NAMES_BY_PAGES = 100  # more names unknown than this: the tenant's candidate list is read by pages instead


@dataclass(frozen=True)
class Freshness:
    """How old and how whole the data behind an answer is."""

    read_at: float
    complete: bool
    reasons: tuple[str, ...] = ()

    def shown(self) -> dict[str, Any]:
        stamp = datetime.fromtimestamp(self.read_at, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        shown: dict[str, Any] = {"as_of": stamp, "complete": self.complete}
        if self.reasons:
            shown["incomplete_because"] = "; ".join(dict.fromkeys(self.reasons))
        return shown

    @classmethod
    def of(cls, coverages: Sequence[Coverage], *, extra: Sequence[str] = ()) -> Freshness:
        if not coverages:
            return cls(time.time(), not extra, tuple(extra))
        reasons = [coverage.reason for coverage in coverages if coverage.reason] + list(extra)
        return cls(
            min(coverage.read_at for coverage in coverages),
            all(coverage.complete for coverage in coverages) and not extra,
            tuple(reasons),
        )


@dataclass
class IndexFiller:
    """Reads what a question needs into one tenant's index, unless what it holds is fresh enough."""

    api: NinjahireClient
    pages: PageReader
    index: ScreeningIndex
    ttl: float
    retention_days: float
    clock: Callable[[], float] = time.time
    _names_read: bool = False  # the candidate list was read by pages in this request
    _many_jobs: bool = False  # this request may read many jobs

    async def run(self, step: Callable[..., T], *args: Any) -> T:
        """A step of the index's, in a worker thread; a file it cannot use said as such (nothing else breaks)."""
        try:
            return await anyio.to_thread.run_sync(step, *args)
        except IndexUnavailable as exc:
            raise Refusal(str(exc)) from None

    async def job(self, job_id: str, *, refresh: bool = False) -> Coverage:
        """The job's coverage, after reading it again if it is missing, stale, or `refresh` asks."""
        return (await self.jobs([job_id], refresh=refresh))[0]

    async def jobs(self, job_ids: Sequence[str], *, refresh: bool = False) -> list[Coverage]:
        """Each job's coverage, reading again those missing or stale; what the index knows is asked at once,
        so that a question about a tenant of hundreds of jobs costs a few queries when all is fresh."""
        wanted = list(dict.fromkeys(job_id.lower() for job_id in job_ids))
        await self.run(self.index.expire, self.retention_days * 86400, self.clock())
        kept = await self.run(self.index.coverages, wanted)
        changed = await self.run(self.index.stale_calls_of, wanted)
        now = self.clock()
        coverages = []
        for job_id in wanted:
            coverage = kept.get(job_id)
            if coverage is not None and not refresh and now - coverage.read_at < self.ttl:
                for call_id in changed.get(job_id, ()):
                    await self.call(call_id)  # a webhook said it changed: this call alone is read again
            else:
                coverage = await self._fill(job_id)
            coverages.append(coverage)
        return coverages

    async def _fill(self, job_id: str) -> Coverage:
        """Read the job, its applications, its calls and its candidates' names, and keep them in place of the old."""
        read_at = self.clock()
        if self._many_jobs:
            await self._all_names()  # many jobs to read: every name at once, by pages, rather than one by one
        job = await self.api.jobs.get(job_id)
        applications = await self.pages.read(
            lambda page, size: self.api.applications.list(page=page, size=size, job_id=job_id), what="applications"
        )
        calls = await self.pages.read(
            lambda page, size: self.api.calls.list(page=page, size=size, job_id=job_id), what="screening calls"
        )
        names, unnamed = await self._names([a.candidate_id for a in applications.items if a.candidate_id])
        reasons = [
            f"only the first {len(found.items)} {what} were read ({PAGES_SETTING})"
            for found, what in ((applications, "applications"), (calls, "calls"))
            if not found.complete
        ]
        if unnamed:
            reasons.append(f"{unnamed} candidate name(s) could not be read")
        coverage = Coverage(read_at, not reasons, "; ".join(reasons) or None)
        await self.run(
            lambda: self.index.replace_job(
                (job_id.lower(), job.title, _place(job)),
                [indexed_application(a, job_id) for a in applications.items if a.id],
                names.items(),
                [indexed_call(call, job_id) for call in calls.items if call.call_id],
                coverage,
            )
        )
        return coverage

    async def tenant(self, *, refresh: bool = False) -> tuple[list[Coverage], list[str]]:
        """Every job of the tenant (as far as the job list is read); what stopped it being whole."""
        job_ids, listed = await self.run(self.index.tenant_jobs)
        if listed is None or refresh or self.clock() - listed.read_at >= self.ttl:
            read_at = self.clock()
            jobs = await self.pages.read(lambda page, size: self.api.jobs.list(page=page, size=size), what="jobs")
            job_ids = [job.id for job in jobs.items if job.id]
            reason = None if jobs.complete else f"only the first {len(job_ids)} jobs were read ({PAGES_SETTING})"
            listed = Coverage(read_at, jobs.complete, reason)
            await self.run(self.index.remember_jobs, job_ids, listed)
        self._many_jobs = len(job_ids) > 1
        coverages = await self.jobs(job_ids, refresh=refresh)
        return coverages, [listed.reason] if listed.reason else []

    async def find(self, query: str | None, filters: Filters, limit: int) -> Found:
        """Search what the index holds now; a query it cannot read, or a file it cannot use, said as such."""
        try:
            return await self.run(self.index.search, (query or "").strip() or None, filters, limit)
        except QuerySyntax as exc:
            raise InputError(
                f'query: the search cannot read it ({exc}). Use words, "a phrase" in double quotes, prefix* or '
                "AND/OR/NOT between words; quote a word that is also an operator."
            ) from None

    async def call(self, call_id: str) -> None:
        """One call read again (a webhook said it changed)."""
        call = await self.api.calls.get(call_id)
        if call.call_id and call.job_id:
            await self.run(self.index.replace_call, indexed_call(call, call.job_id))

    async def _all_names(self) -> None:
        """The tenant's candidates, a page of 100 at a time, remembered by the index."""
        if self._names_read:
            return
        candidates = await self.pages.read(
            lambda page, size: self.api.candidates.list(page=page, size=size), what="candidates"
        )
        named = [(candidate.id.lower(), candidate.name or "unknown") for candidate in candidates.items if candidate.id]
        await self.run(self.index.remember_names, named)
        self._names_read = True

    async def _names(self, candidate_ids: Sequence[str]) -> tuple[dict[str, str], int]:
        """Names of these candidates: those the index knows, the rest read (by pages when there are many)."""
        wanted = list(dict.fromkeys(candidate_id.lower() for candidate_id in candidate_ids))
        names = dict(await self.run(self.index.candidate_names, wanted))
        if len(wanted) - len(names) > NAMES_BY_PAGES:
            await self._all_names()
            names = dict(await self.run(self.index.candidate_names, wanted))
        looked_up, failed = await look_up_names(self.api, [c for c in wanted if c not in names])
        return {**names, **looked_up}, failed

    async def names(self, candidate_ids: Sequence[str]) -> dict[str, str]:
        """Names of these candidates, remembered by the index for the next question."""
        names, _failed = await self._names(candidate_ids)
        await self.run(self.index.remember_names, list(names.items()))
        return names


async def look_up_names(api: NinjahireClient, candidate_ids: Sequence[str]) -> tuple[dict[str, str], int]:
    """Each candidate's name read on its own (a few at a time); how many could not be read."""
    names: dict[str, str] = {}
    failed = 0
    limiter = anyio.Semaphore(NAME_LOOKUPS)

    async def look_up(candidate_id: str) -> None:
        nonlocal failed
        async with limiter:
            try:
                candidate = await api.candidates.get(candidate_id)
            except NinjahireError:
                failed += 1  # a row without a name is still worth showing
                return
        names[candidate_id] = candidate.name or "unknown"

    async with anyio.create_task_group() as group:
        for candidate_id in dict.fromkeys(candidate_ids):
            group.start_soon(look_up, candidate_id)
    return names, failed


async def names_of(api: NinjahireClient, index: IndexFiller | None, candidate_ids: Sequence[str]) -> dict[str, str]:
    """Candidates' names by their (lower-case) ids: through the index when it is on."""
    if index is not None:
        try:
            return await index.names(candidate_ids)
        except Refusal:
            pass  # the index cannot be used now (its file, its disk): the names are read without it
    names, _failed = await look_up_names(api, [candidate_id.lower() for candidate_id in candidate_ids])
    return names


def indexed_call(call: Call, job_id: str) -> IndexedCall:
    """A call record as the index keeps it: its facts, and its words one piece per answer and category."""
    summary = call.call_summary if isinstance(call.call_summary, Mapping) else None
    pieces: list[Piece] = []
    for answer in parse_answers(call.questions_response).questions:
        text = answer.get("answer")
        if isinstance(text, str):
            question = answer.get("question")
            pieces.append(Piece(ANSWERS, text, question if isinstance(question, str) else None))
    for category, value in (summary or {}).items():
        text = value.get("summary") if isinstance(value, Mapping) else value
        if isinstance(text, str):
            pieces.append(Piece(SUMMARY, text, str(category)))
    if isinstance(call.call_summary, str):
        pieces.append(Piece(SUMMARY, call.call_summary))
    if isinstance(call.call_digest, str):
        pieces.append(Piece(DIGEST, call.call_digest))
    if isinstance(call.get("transcript"), str):
        pieces.append(Piece(TRANSCRIPT, call.get("transcript")))
    return IndexedCall(
        id=str(call.call_id).lower(),
        application_id=_lower(call.application_id),
        job_id=(call.job_id or job_id).lower(),
        candidate_id=_lower(call.candidate_id),
        status=call.call_status,
        score=float(call.call_score) if call.call_score is not None else None,
        intelligence=call.ninjahire_intelligence,
        created_at=call.created_at,
        ended_at=call.ended_at,
        summary=summary,
        pieces=tuple(pieces),
    )


def indexed_application(application: Application, job_id: str) -> IndexedApplication:
    return IndexedApplication(
        id=str(application.id).lower(),
        job_id=(application.for_job or job_id).lower(),
        candidate_id=_lower(application.candidate_id),
        stage=application.application_stage,
        status=application.source_application_status,
        screening_status=application.screening_status,
    )


def _place(job: Job) -> str | None:
    parts = [part for part in (job.city, job.state_name, job.country) if part]
    return ", ".join(parts) or job.workplace_type


def _lower(value: str | None) -> str | None:
    return value.lower() if value else None


class _IndexState(Protocol):
    @property
    def indexes(self) -> IndexShelf: ...


async def index_filler(ctx: Context, api: Api) -> IndexFiller:
    """The caller's tenant's index (chosen by its key: the server's own, or the one the request brought)."""
    state = server_state(ctx)
    shelf = cast(_IndexState, state).indexes
    if not shelf.enabled:
        raise Refusal(INDEX_OFF)
    settings = state.settings
    key = "" if settings.sandbox else settings.api_key or caller_key(ctx)
    # Lists are read as far as NINJAHIRE_INDEX_MAX_PAGES, not NINJAHIRE_SCAN_PAGES: the index reads once
    # what many questions then reuse.
    pages = PageReader(ctx, settings.index_max_pages)
    return IndexFiller(
        api, pages, shelf.for_key(key), settings.index_ttl, settings.index_retention_days, state.timing.wall
    )


async def index_if_on(ctx: Context, api: Api) -> IndexFiller | None:
    try:
        return await index_filler(ctx, api)
    except Refusal:
        return None


# What a handler declares: `index: Index` (refused when the index is off), or `index: IndexIfOn`.
Index = Annotated[IndexFiller, Resolve(index_filler)]
IndexIfOn = Annotated[IndexFiller | None, Resolve(index_if_on)]


def refresh_on_events(shelf: IndexShelf) -> Callable[[StoredEvent], Awaitable[None]]:
    """An inbox listener: a webhook event about a call marks it, in every tenant's open index that knows it or
    its application, to be read again before its next use (the read needs the tenant's key, which a request
    brings; the webhook brings none)."""

    async def refreshed(event: StoredEvent) -> None:
        if not event.call_id or not shelf.enabled:
            return
        for index in shelf.opened():
            await anyio.to_thread.run_sync(index.mark_call_stale, event.call_id, event.application_id)

    return refreshed
