"""Results as the agent receives them: compact JSON, no nulls, and the next step where there is one."""

from __future__ import annotations

import json
from typing import Any

from ..client import Page, Record

SECRET_MASK = "[set; hidden]"


def render(data: Any) -> str:
    """Compact JSON: the same facts as indented JSON for a fraction of the tokens. A lone UTF-16 surrogate
    (an API answer or a webhook payload may carry one as `\\ud800`) stays escaped: UTF-8, which every
    transport speaks, cannot carry it raw."""
    text = json.dumps(without_nulls(data), ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def without_nulls(data: Any) -> Any:
    """Drop null fields: to an agent an absent field and a null one say the same, and nulls cost tokens.
    (A null cell of a table row stays: there, its position is its name.) A record is shown as the API
    sent it."""
    if isinstance(data, Record):
        data = data.data()
    if isinstance(data, dict):
        return {key: without_nulls(value) for key, value in data.items() if value is not None}
    if isinstance(data, list):
        return [without_nulls(item) for item in data]
    return data


def page_of(page: Page[Any], number: int, size: int, *, columns: tuple[str, ...] | None = None) -> dict[str, Any]:
    """A list response with where it sits in the whole and how to get the rest.

    With `columns`, the items become a table of those fields (the list view; the get_ tool of each
    record has the rest): field names are written once instead of once per item, which halves what
    a page costs an agent. A body that is not the documented {data, count} is relayed as it came.
    """
    if not page.documented:
        return page.data()
    return paged([item.data() for item in page.items], page.count, number, size, columns=columns)


def paged(
    items: list[dict[str, Any]], count: int | None, number: int, size: int, *, columns: tuple[str, ...] | None = None
) -> dict[str, Any]:
    """Page `number` of `count` items (of `size` each) as `page_of` shows it, for lists that are not the API's."""
    has_more = number * size < count if count is not None else len(items) == size
    result: dict[str, Any] = {"count": count, "page": number, "size": size, "has_more": has_more}
    if has_more:
        result["next_page"] = number + 1
    elif count and not items:
        result["note"] = f"page {number} is past the end; the last page is {-(-count // size)}."
    if columns is None:
        result["data"] = items
    else:
        result.update(table(items, columns))
    return result


def hoisted(items: list[Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """Items as `data`, with those of `fields` that hold one value on every item said once, under `common`."""
    records = [item for item in items if isinstance(item, dict)]
    common: dict[str, Any] = {}
    if len(records) > 1 and len(records) == len(items):
        for name in fields:
            values = [record.get(name) for record in records]
            if values[0] is not None and all(value == values[0] for value in values):
                common[name] = values[0]
    data = [{k: v for k, v in item.items() if k not in common} if isinstance(item, dict) else item for item in items]
    return {"common": common, "data": data} if common else {"data": data}


def table(items: list[dict[str, Any]], columns: tuple[str, ...]) -> dict[str, Any]:
    """Rows of the given fields. A field with one value on every row is said once, under `common`;
    a field empty on every row is left out."""
    rows = [[item.get(name) for name in columns] for item in items]
    kept: list[int] = []
    common: dict[str, Any] = {}
    for index, name in enumerate(columns):
        values = [row[index] for row in rows]
        if all(value is None for value in values):
            continue
        if len(rows) > 1 and all(value == values[0] for value in values):
            common[name] = values[0]
            continue
        kept.append(index)
    shaped: dict[str, Any] = {"common": common} if common else {}
    shaped["columns"] = [columns[index] for index in kept]
    shaped["rows"] = [[row[index] for index in kept] for row in rows]
    return shaped


def mask_secrets(data: Any) -> Any:
    """Webhook signing secrets are never shown: only whether one is set."""
    if isinstance(data, list):
        return [mask_secrets(item) for item in data]
    if isinstance(data, dict):
        masked = {key: mask_secrets(value) for key, value in data.items()}
        if "secret" in masked:
            masked["secret"] = SECRET_MASK if masked["secret"] else None
        return masked
    return data
