"""Value checks that run before any request leaves; each failure says what is wrong and how to fix it.

They raise `PydanticCustomError("guardrail", ...)` so that the message reaches the agent verbatim
(see `_validation_messages.py`), named after the field it belongs to.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from datetime import date, datetime
from urllib.parse import urlsplit

from pydantic_core import PydanticCustomError

GUARDRAIL = "guardrail"

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_PHONE_CHARS = re.compile(r"^\+?[0-9 ()./-]+$")
_CLOCK_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$")


def guardrail(message: str) -> PydanticCustomError:
    """The error for a value a check refuses; its message reaches the agent verbatim."""
    return PydanticCustomError(GUARDRAIL, message)


def _quoted(value: str) -> str:
    return repr(value if len(value) <= 60 else value[:57] + "...")


def uuid_check(field: str, where: str, by_source_id: str | None) -> Callable[[str], str]:
    """A check that `field` holds a Ninjahire UUID, pointing to the source-id lookup when it does not.

    `where` says where such ids come from; `by_source_id` is the call that finds one from the
    customer's own id, with `{value}` standing for what was given.
    """

    def check(value: str) -> str:
        value = value.strip()
        if _UUID.match(value):
            return value
        if not value:
            raise guardrail(f"{field} is empty: give the {where}.")
        message = f"{field} must be a Ninjahire UUID (the {where}), got {_quoted(value)}."
        if " " in value:
            message += f" That looks like a name or title, not an id: look the record up first ({where})."
        elif by_source_id:
            lookup = by_source_id.format(value=value)
            message += f" If that is your own system's id (a source_id), find the UUID with {lookup}."
        raise guardrail(message)

    return check


def opaque_id(field: str) -> Callable[[str], str]:
    """Ids that the API does not document as UUIDs: any text, but not a path dot-segment."""

    def check(value: str) -> str:
        value = value.strip()
        if value in ("", ".", ".."):
            raise guardrail(f"{field} must be the id of an existing record, got {_quoted(value)}.")
        return value

    return check


def email(value: str) -> str:
    value = value.strip()
    if len(value) > 254:
        raise guardrail(f"is {len(value)} characters long; an email address has at most 254.")
    if not _EMAIL.match(value):
        raise guardrail(f"must be an email address like name@example.com, got {_quoted(value)}.")
    return value


def phone(value: str) -> str:
    value = value.strip()
    digits = sum(ch.isdigit() for ch in value)
    if not _PHONE_CHARS.match(value) or not 7 <= digits <= 15:
        raise guardrail(
            f"must be a phone number of 7 to 15 digits, best in international form like "
            f"+14155550123, got {_quoted(value)}."
        )
    return value


def clock_time(value: str) -> str:
    """HH:MM:SS on a 24-hour clock; HH:MM is completed with :00 since it can mean nothing else."""
    match = _CLOCK_TIME.match(value.strip())
    if not match:
        raise guardrail(f"must be a 24-hour time HH:MM:SS like 08:00:00 or 18:30:00, got {_quoted(value)}.")
    hours, minutes, seconds = match.groups()
    return f"{hours}:{minutes}:{seconds or '00'}"


def iso_date(value: str) -> str:
    """An ISO 8601 date or date-time, as the API's examples use ("2024-07-22T04:00:00Z")."""
    text = value.strip()
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            parse(text)
        except ValueError:
            continue
        return text
    raise guardrail(
        f"must be an ISO 8601 date or date-time like 2024-07-22 or 2024-07-22T04:00:00Z, got {_quoted(value)}."
    )


def base64_content(value: str) -> str:
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise guardrail(
            "must be the file's bytes encoded as base64 (A-Z, a-z, 0-9, +, /, = padding); "
            "to refer to a file by name or URL use `file` instead."
        ) from None
    return value


def http_url(value: str) -> str:
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise guardrail(f"must be an absolute http(s) URL like https://example.com/hooks, got {_quoted(value)}.")
    return value


def days_of_week(values: list[int]) -> list[int]:
    if len(set(values)) != len(values):
        raise guardrail(
            f"lists a day twice: {values}. Give each day once (1 = Monday ... 5 = Friday, 0 or 7 = Sunday)."
        )
    return values


def upper(value: object) -> object:
    """Enums the API spells in capitals are accepted in any case and sent as the API spells them."""
    return value.strip().upper() if isinstance(value, str) else value


def stripped(value: object) -> object:
    return value.strip() if isinstance(value, str) else value
