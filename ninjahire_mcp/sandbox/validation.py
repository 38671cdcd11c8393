"""Request checks: JSON bodies field by field (422), query parameters (400).

A body is checked completely before anything is answered, so one 422 names every offending field.
Optional fields sent as null count as not sent: the documentation gives them no null semantics.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request

from .errors import BadRequest, FieldError, ValidationFailed

# A check returns what is wrong with an accepted-type value, or None when it is fine.
Check = Callable[[Any], str | None]

MAX_PAGE_SIZE = 100

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_SEPARATORS = re.compile(r"[\s\-().]")
_CLOCK_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$")


async def read_json_object(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        raise BadRequest("Request body must be a JSON object")
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise BadRequest(f"Request body is not valid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise BadRequest("Request body must be a JSON object")
    return body


class BodyChecker:
    """Checks the fields of one JSON object, collecting problems instead of stopping at the first."""

    def __init__(self, body: dict[str, Any], *, prefix: str = "", errors: list[FieldError] | None = None):
        self._body = body
        self._prefix = prefix
        self.errors: list[FieldError] = [] if errors is None else errors
        self.values: dict[str, Any] = {}

    def fail(self, name: str, message: str) -> None:
        self.errors.append(FieldError(self._prefix + name, message))

    def nested(self, body: dict[str, Any], prefix: str) -> BodyChecker:
        """A checker for an object inside this body whose problems land in the same 422."""
        return BodyChecker(body, prefix=self._prefix + prefix, errors=self.errors)

    def _take(self, name: str, *, required: bool) -> tuple[bool, Any]:
        value = self._body.get(name)
        if value is None and required:
            self.fail(name, "is required")
        return value is not None, value

    def _typed(
        self, name: str, required: bool, accepts: Callable[[Any], bool], type_name: str, check: Check | None
    ) -> None:
        present, value = self._take(name, required=required)
        if not present:
            return
        if not accepts(value):
            self.fail(name, f"must be {type_name}")
            return
        problem = check(value) if check else None
        if problem:
            self.fail(name, problem)
            return
        self.values[name] = value

    def string(self, name: str, *, required: bool = False, check: Check | None = None) -> None:
        def non_blank_then(value: str) -> str | None:
            if required and not value.strip():
                return "must not be empty"
            return check(value) if check else None

        self._typed(name, required, lambda v: isinstance(v, str), "a string", non_blank_then)

    def number(self, name: str, *, required: bool = False) -> None:
        # bool is an int in Python, but true is not a number in JSON.
        self._typed(name, required, lambda v: isinstance(v, int | float) and not isinstance(v, bool), "a number", None)

    def integer(
        self, name: str, *, required: bool = False, minimum: int | None = None, maximum: int | None = None
    ) -> None:
        self._typed(
            name,
            required,
            lambda v: isinstance(v, int) and not isinstance(v, bool),
            "an integer",
            lambda v: _out_of_range(v, minimum, maximum),
        )

    def boolean(self, name: str, *, required: bool = False) -> None:
        self._typed(name, required, lambda v: isinstance(v, bool), "a boolean", None)

    def choice(self, name: str, allowed: Collection[str], *, required: bool = False) -> None:
        listed = ", ".join(allowed)
        self.string(name, required=required, check=lambda v: None if v in allowed else f"must be one of: {listed}")

    def array(self, name: str, *, required: bool = False) -> list[Any] | None:
        """Return the list for the caller to check item by item (None when absent or not a list)."""
        self._typed(name, required, lambda v: isinstance(v, list), "an array", None)
        return self.values.get(name)

    def finish(self) -> dict[str, Any]:
        if self.errors:
            raise ValidationFailed(self.errors)
        return self.values


def _out_of_range(value: int, minimum: int | None, maximum: int | None) -> str | None:
    if minimum is not None and value < minimum:
        return f"must be at least {minimum}"
    if maximum is not None and value > maximum:
        return f"must be at most {maximum}"
    return None


# ---- checks for string fields ------------------------------------------------------------------


def email_problem(value: str) -> str | None:
    return None if _EMAIL.match(value) else "must be an email address like name@example.com"


def phone_problem(value: str) -> str | None:
    digits = _PHONE_SEPARATORS.sub("", value)
    digits = digits.removeprefix("+")
    if digits.isdigit() and 7 <= len(digits) <= 15:
        return None
    return "must be a phone number of 7 to 15 digits, optionally starting with +"


def clock_time_problem(value: str) -> str | None:
    return None if _CLOCK_TIME.match(value) else "must be a 24-hour time formatted HH:MM:SS"


def http_url_problem(value: str) -> str | None:
    try:
        parts = urlsplit(value)
    except ValueError:  # an unbalanced "[" of an IPv6 host, say: not a URL at all
        return "must be an http or https URL"
    if parts.scheme in {"http", "https"} and parts.netloc:
        return None
    return "must be an http or https URL"


def base64_problem(value: str) -> str | None:
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return "must be valid base64"
    return None if value else "must not be empty"


def uuid_problem(value: str) -> str | None:
    return None if canonical_uuid(value) else "must be a UUID"


def canonical_uuid(value: str) -> str | None:
    """The lower-case hyphenated form of a UUID, or None when `value` is not one."""
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


# ---- query parameters ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """1-based paging, as the API documents it (page 1 is the first page)."""

    page: int
    size: int

    def window(self, items: list[Any]) -> list[Any]:
        start = (self.page - 1) * self.size
        return items[start : start + self.size]


def paging(request: Request) -> Page:
    page = _integer_query(request, "page")
    size = _integer_query(request, "size")
    if page < 1:
        raise BadRequest("Query parameter 'page' must be at least 1 (pages start at 1)")
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise BadRequest(f"Query parameter 'size' must be between 1 and {MAX_PAGE_SIZE}")
    return Page(page, size)


def _integer_query(request: Request, name: str) -> int:
    value = request.query_params.get(name)
    if value is None or value == "":
        raise BadRequest(f"Query parameter '{name}' is required")
    try:
        return int(value)
    except ValueError:
        raise BadRequest(f"Query parameter '{name}' must be an integer") from None


def string_query(request: Request, name: str) -> str | None:
    """An optional filter; an empty value means no filter."""
    return request.query_params.get(name) or None


def uuid_query(request: Request, name: str) -> str | None:
    value = string_query(request, name)
    if value is None:
        return None
    canonical = canonical_uuid(value)
    if canonical is None:
        raise BadRequest(f"Query parameter '{name}' must be a UUID")
    return canonical
