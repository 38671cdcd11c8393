"""Reading every page of a list, bounded, with progress: for questions no single page answers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

import anyio
from mcp.server.mcpserver import Context, Resolve

from ..client import Page, Record
from ._context import server_state

PAGE_SIZE = 100  # the API's largest page: fewest round trips
PARALLEL_PAGES = 4  # enough to hide latency without hammering the API

Item = TypeVar("Item", bound=Record)
FetchPage = Callable[[int, int], Awaitable[Page[Item]]]  # (page, size) -> one page


@dataclass(frozen=True)
class Collected(Generic[Item]):
    items: list[Item]
    complete: bool  # False when the page bound stopped the reading early


@dataclass(frozen=True)
class PageReader:
    """Reads a whole list for one call: up to `max_pages` pages (NINJAHIRE_SCAN_PAGES), reporting
    progress to the caller as pages arrive."""

    ctx: Context
    max_pages: int

    async def read(self, fetch: FetchPage[Item], *, what: str) -> Collected[Item]:
        """The first page tells how many there are; the rest are read a few at a time."""
        first = await fetch(1, PAGE_SIZE)
        count = first.count
        if count is not None:
            pages = min(self.max_pages, max(1, -(-count // PAGE_SIZE)))
        else:
            pages = 1 if len(first.items) < PAGE_SIZE else self.max_pages  # no count: read on while pages are full
        await self.ctx.report_progress(1, pages, f"read page 1 of {pages} ({what})")
        by_page: dict[int, list[Item]] = {1: first.items}
        limiter = anyio.Semaphore(PARALLEL_PAGES)

        async def read(page: int) -> None:
            async with limiter:
                by_page[page] = (await fetch(page, PAGE_SIZE)).items
            await self.ctx.report_progress(len(by_page), pages, f"read page {len(by_page)} of {pages} ({what})")

        if pages > 1:
            async with anyio.create_task_group() as group:
                for page in range(2, pages + 1):
                    group.start_soon(read, page)
        collected = [item for page in sorted(by_page) for item in by_page[page]]
        return Collected(collected, complete=self._complete(count, len(collected), pages, len(by_page[pages])))

    async def find(
        self,
        fetch: FetchPage[Item],
        query: str,
        *,
        fields: Callable[[Item], Iterable[object]],
        summary: Callable[[Item], str],
        limit: int,
        what: str,
    ) -> dict[str, Any]:
        """Every record whose `fields` hold every word of `query`: the API has no search, so read and match."""
        collected = await self.read(fetch, what=what)
        found = [item for item in collected.items if matches(query, fields(item))]
        return {
            "query": query,
            "matches": [{"id": item.get("id"), "summary": summary(item)} for item in found[:limit]],
            "total_matches": len(found),
            "searched": len(collected.items),
            "complete": collected.complete,
        }

    def _complete(self, count: int | None, read: int, pages: int, last_page: int) -> bool:
        if count is not None:
            return read >= count
        return pages < self.max_pages or last_page < PAGE_SIZE


async def page_reader(ctx: Context) -> PageReader:
    return PageReader(ctx, server_state(ctx).settings.scan_pages)


Pages = Annotated[PageReader, Resolve(page_reader)]


def matches(query: str, fields: Iterable[object]) -> bool:
    """Every word of the query is a case-insensitive substring of at least one field."""
    haystack = [str(value).casefold() for value in fields if value]
    return all(any(word in field for field in haystack) for word in query.casefold().split())
