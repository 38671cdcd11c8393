"""Reading an error response: the API's error body is undocumented, so relay the usual fields, bounded.

Never the raw body wholesale: it may be an HTML page, a stack trace or something the caller sent.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from ._errors import FieldError

MAX_TEXT = 300
MAX_FIELD_ERRORS = 20
_MESSAGE_KEYS = ("message", "error_description", "title", "detail", "error")


def parse_error_body(content: bytes, content_type: str) -> tuple[str | None, tuple[FieldError, ...]]:
    """The error's message and per-field errors, from whichever common shape the body has."""
    if not content.strip():
        return None, ()
    try:
        payload = json.loads(content)
    except (ValueError, RecursionError):
        kind = content_type.split(";")[0].strip() or "unknown type"
        return f"(the error body was not JSON: {kind}, {len(content)} bytes)", ()
    messages: list[str] = []
    field_errors: list[FieldError] = []
    _collect(payload, messages, field_errors)
    unique = list(dict.fromkeys(messages))
    detail = "; ".join(unique) if unique else None
    return detail, tuple(field_errors[:MAX_FIELD_ERRORS])


def _collect(payload: Any, messages: list[str], field_errors: list[FieldError]) -> None:
    if isinstance(payload, str):
        messages.append(_bounded(payload))
        return
    if isinstance(payload, list):
        field_errors.extend(_field_errors(payload))
        return
    if not isinstance(payload, dict):
        return
    for key in _MESSAGE_KEYS:
        value = payload.get(key)
        if isinstance(value, str):
            messages.append(_bounded(value))
        elif isinstance(value, dict):
            _collect(value, messages, field_errors)
        elif isinstance(value, list):
            # FastAPI puts its field errors under "detail"
            field_errors.extend(_field_errors(value))
    errors = payload.get("errors")
    if isinstance(errors, list):
        field_errors.extend(_field_errors(errors))
    elif isinstance(errors, dict):
        for name, problem in errors.items():
            for text in problem if isinstance(problem, list) else [problem]:
                if isinstance(text, str):
                    field_errors.append(FieldError(_bounded(str(name)), _bounded(text)))


def _field_errors(items: Iterable[Any]) -> Iterable[FieldError]:
    for item in items:
        if isinstance(item, str):
            yield FieldError("", _bounded(item))
        elif isinstance(item, dict):
            name = item.get("field") or item.get("name") or item.get("param") or item.get("loc") or ""
            if isinstance(name, list):
                # FastAPI's loc starts with where the value was: "body", "query" or "path"
                name = ".".join(str(part) for part in name if part not in ("body", "query", "path"))
            text = item.get("message") or item.get("msg") or item.get("detail") or ""
            if isinstance(text, str) and (name or text):
                yield FieldError(_bounded(str(name)), _bounded(text))


def _bounded(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"
