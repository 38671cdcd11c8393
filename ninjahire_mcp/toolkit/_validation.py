"""Argument errors in words an agent can act on: which argument, what is wrong, what to send instead.

pydantic's own text ("Input should be greater than or equal to 1 [type=greater_than_equal...]" and a
docs URL) names the rule, not the fix; this module rewrites each error for the tool's agent.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from ._checks import GUARDRAIL

_KINDS = {
    "string_type": "a string",
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
}

_SPECIAL = {
    ("page", "greater_than_equal"): "page must be 1 or more (got {input}): pages start at 1, never 0.",
    ("size", "greater_than_equal"): "size must be between 1 and 100 (got {input}).",
    ("size", "less_than_equal"): (
        "size must be between 1 and 100 (got {input}): ask for at most 100 and page through the rest "
        "with page=2, 3, ..."
    ),
}


def describe_validation_error(tool: str, error: ValidationError) -> str:
    lines = [_describe(detail) for detail in error.errors(include_url=False)]
    unique = list(dict.fromkeys(lines))
    head = f"Invalid arguments for {tool}; nothing was sent:"
    return "\n".join([head, *(f"- {line}" for line in unique), f"Fix the arguments and call {tool} again."])


def unknown_arguments_message(tool: str, unknown: list[str], known: list[str]) -> str:
    names = ", ".join(sorted(unknown))
    return (
        f"Invalid arguments for {tool}; nothing was sent:\n- unknown argument(s): {names}. "
        f"{tool} accepts: {', '.join(known)}.\nUse the names exactly as listed and call {tool} again."
    )


def _describe(detail: ErrorDetails) -> str:
    field = _path(detail["loc"])
    kind = detail["type"]
    ctx: dict[str, Any] = dict(detail.get("ctx") or {})
    value = detail.get("input")
    special = _SPECIAL.get((field, kind))
    if special:
        return special.format(input=_bounded_repr(value))
    if kind == GUARDRAIL:
        message = detail["msg"]
        # Checks that know their field name start with it; the others describe the value only.
        return message if message.startswith(field) else f"{field} {message}"
    if kind == "missing":
        return f"{field} is required."
    if kind in _KINDS:
        return f"{field} must be {_KINDS[kind]} (got {_type_name(value)} {_bounded_repr(value)})."
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = {
            "greater_than_equal": "at least",
            "greater_than": "more than",
            "less_than_equal": "at most",
            "less_than": "less than",
        }[kind]
        limit = next(iter(ctx.values()), "?")
        return f"{field} must be {bound} {limit} (got {_bounded_repr(value)})."
    if kind == "literal_error":
        return f"{field} must be one of {ctx.get('expected', '?')} (got {_bounded_repr(value)})."
    if kind == "string_too_short":
        return (
            f"{field} must not be empty."
            if ctx.get("min_length") == 1
            else (f"{field} must have at least {ctx.get('min_length')} characters.")
        )
    if kind == "string_too_long":
        return f"{field} is too long ({len(str(value))} characters; at most {ctx.get('max_length')})."
    if kind == "too_short" and isinstance(value, str):  # a string's length checked as a sequence's
        return (
            f"{field} must not be empty."
            if ctx.get("min_length") == 1
            else (f"{field} must have at least {ctx.get('min_length')} characters.")
        )
    if kind == "too_short":
        return f"{field} needs at least {ctx.get('min_length')} item(s)."
    if kind == "too_long":
        return f"{field} may have at most {ctx.get('max_length')} items."
    return f"{field}: {detail['msg']}."


def _path(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "arguments"


def _type_name(value: Any) -> str:
    return {
        str: "text",
        bool: "boolean",
        int: "integer",
        float: "number",
        list: "list",
        dict: "object",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _bounded_repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
