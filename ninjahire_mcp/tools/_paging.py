"""Reading every page of a list, bounded, with progress: for questions no single page answers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import anyio
from mcp.server.mcpserver import Context

from ._context import state

PAGE_SIZE = 100  # the API's largest page: fewest round trips
PARALLEL_PAGES = 4  # enough to hide latency without hammering the API

FetchPage = Callable[[int, int], Awaitable[Any]]  # (page, size) -> {data, count}


@dataclass(frozen=True)
class Collected:
    items: list[dict[str, Any]]
    pages_read: int
    total: int | None  # as the API counted them
    complete: bool  # False when the page bound stopped the reading early


async def read_pages(ctx: Context, fetch: FetchPage, *, what: str) -> Collected:
    """Every item, page by page up to the configured bound (NINJAHIRE_SCAN_PAGES, 20 pages of 100 by
    default), reporting progress as pages arrive. The first page tells how many there are; the rest
    are read a few at a time."""
    max_pages = state(ctx).settings.scan_pages
    first = await fetch(1, PAGE_SIZE)
    items = _items(first)
    count = first.get("count") if isinstance(first, dict) else None
    if isinstance(count, int):
        pages = min(max_pages, max(1, -(-count // PAGE_SIZE)))
    else:
        pages = 1 if len(items) < PAGE_SIZE else max_pages  # no count: read on while pages are full
    await ctx.report_progress(1, pages, f"read page 1 of {pages} ({what})")
    if pages == 1:
        return Collected(items, 1, count, complete=_complete(count, len(items), 1, max_pages, len(items)))

    by_page: dict[int, list[dict[str, Any]]] = {1: items}
    limiter = anyio.Semaphore(PARALLEL_PAGES)

    async def read(page: int) -> None:
        async with limiter:
            by_page[page] = _items(await fetch(page, PAGE_SIZE))
        await ctx.report_progress(len(by_page), pages, f"read page {len(by_page)} of {pages} ({what})")

    async with anyio.create_task_group() as group:
        for page in range(2, pages + 1):
            group.start_soon(read, page)
    collected = [item for page in sorted(by_page) for item in by_page[page]]
    last = by_page[pages]
    return Collected(collected, pages, count, complete=_complete(count, len(collected), pages, max_pages, len(last)))


def _complete(count: Any, read: int, pages: int, max_pages: int, last_page: int) -> bool:
    if isinstance(count, int):
        return read >= count
    return pages < max_pages or last_page < PAGE_SIZE


def _items(page: Any) -> list[dict[str, Any]]:
    data = page.get("data") if isinstance(page, dict) else page
    return [item for item in data or [] if isinstance(item, dict)]
