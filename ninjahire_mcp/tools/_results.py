"""Results as the agent receives them: compact JSON, no nulls, and the next step where there is one."""

from __future__ import annotations

import json
from typing import Any

SECRET_MASK = "[set; hidden]"


def render(data: Any) -> str:
    """Compact JSON: the same facts as indented JSON for a fraction of the tokens."""
    return json.dumps(without_nulls(data), ensure_ascii=False, separators=(",", ":"))


def without_nulls(data: Any) -> Any:
    """Drop null fields: to an agent an absent field and a null one say the same, and nulls cost tokens."""
    if isinstance(data, dict):
        return {key: without_nulls(value) for key, value in data.items() if value is not None}
    if isinstance(data, list):
        return [without_nulls(item) for item in data]
    return data


def page_of(response: Any, page: int, size: int) -> Any:
    """A list response with where it sits in the whole and how to get the rest."""
    if not (isinstance(response, dict) and isinstance(response.get("data"), list)):
        return response  # not the documented {data, count}: relay what came rather than guess
    items = response["data"]
    count = response.get("count")
    has_more = page * size < count if isinstance(count, int) else len(items) == size
    result: dict[str, Any] = {"count": count, "page": page, "size": size, "has_more": has_more}
    if has_more:
        result["next_page"] = page + 1
    elif isinstance(count, int) and count and not items:
        result["note"] = f"page {page} is past the end; the last page is {-(-count // size)}."
    result["data"] = items
    return result


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
