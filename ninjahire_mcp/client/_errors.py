"""Typed errors of the Ninjahire client: one class per HTTP status family.

Every error knows the request it belongs to (method and route template, never the key) and whether
the request may have reached Ninjahire: for a POST or PATCH that decides between "nothing happened"
and "the outcome is unknown, check before repeating".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RequestInfo:
    """What was asked, in terms safe to show: the route template and the path values, no headers."""

    method: str
    route: str
    path_params: Mapping[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.method} {self.route}"


class NinjahireError(Exception):
    """Base of every error raised by the client."""


class InvalidRequestError(NinjahireError, ValueError):
    """The request was refused before sending: a path value would change which endpoint is called."""


class KeyBusyError(NinjahireError):
    """The request was not sent: its API key already held every connection it may (its share of the pool),
    and none came free within the timeout. Nothing reached Ninjahire."""

    may_have_reached_server = False

    def __init__(self, request: RequestInfo, *, share: int, waited: float | None) -> None:
        waited_for = f" for {waited:g} s" if waited is not None else ""
        super().__init__(
            f"{request} was not sent: this API key's share of the connections to Ninjahire "
            f"(NINJAHIRE_MAX_CONNECTIONS_PER_KEY={share}) stayed busy with its other requests{waited_for}. Try "
            "again once some have finished, or raise NINJAHIRE_MAX_CONNECTIONS_PER_KEY."
        )
        self.request = request
        self.share = share
        self.waited = waited


class APIError(NinjahireError):
    """A request that was sent (or attempted) and failed."""

    def __init__(self, message: str, request: RequestInfo, *, may_have_reached_server: bool) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.may_have_reached_server = may_have_reached_server


class APIConnectionError(APIError):
    """No usable answer came back: the connection failed, dropped, or broke the protocol."""

    def __init__(self, message: str, request: RequestInfo, *, may_have_reached_server: bool, attempts: int = 1) -> None:
        super().__init__(message, request, may_have_reached_server=may_have_reached_server)
        self.attempts = attempts


class APITimeoutError(APIConnectionError):
    """Ninjahire did not answer within the configured timeout."""


class UnexpectedResponseError(APIError):
    """A success status came with a body that cannot be read: not JSON, or JSON that is not the record
    asked for. The action happened; its result is unreadable. `problem` says how, in a few words."""

    def __init__(
        self, message: str, request: RequestInfo, *, status_code: int, content_type: str, problem: str | None = None
    ) -> None:
        super().__init__(message, request, may_have_reached_server=True)
        self.status_code = status_code
        self.content_type = content_type
        self.problem = problem or f"its body was not JSON ({content_type})"


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class APIStatusError(APIError):
    """Ninjahire answered with an error status. `detail` is its own message, redacted and bounded."""

    status_code: int = 0

    def __init__(
        self,
        request: RequestInfo,
        *,
        status_code: int,
        detail: str | None,
        field_errors: tuple[FieldError, ...] = (),
        request_id: str | None = None,
        retry_after: float | None = None,
        attempts: int = 1,
        earlier_attempt_may_have_acted: bool = False,
    ) -> None:
        summary = f"{request} returned HTTP {status_code}" + (f": {detail}" if detail else "")
        super().__init__(summary, request, may_have_reached_server=True)
        self.status_code = status_code
        self.detail = detail
        self.field_errors = field_errors
        self.request_id = request_id
        self.retry_after = retry_after
        self.attempts = attempts
        # An earlier attempt reached Ninjahire (or may have) and its answer was lost: this status is the
        # answer to a repeat, not to the first request.
        self.earlier_attempt_may_have_acted = earlier_attempt_may_have_acted


class BadRequestError(APIStatusError):
    """400: the API could not use the request as sent."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing or not valid."""


class PermissionDeniedError(APIStatusError):
    """403: the key is valid but may not do this."""


class NotFoundError(APIStatusError):
    """404: an id in the path (or body) does not exist for this tenant."""


class ConflictError(APIStatusError):
    """409: the record already exists or is in a state that forbids the change."""


class UnprocessableEntityError(APIStatusError):
    """422: the body was understood but its fields are not valid."""


class RateLimitError(APIStatusError):
    """429: too many requests; `retry_after` says when to come back, when the API said."""


class InternalServerError(APIStatusError):
    """5xx: a fault on Ninjahire's side, usually transient."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_class(status_code: int) -> type[APIStatusError]:
    if status_code >= 500:
        return InternalServerError
    return _BY_STATUS.get(status_code, APIStatusError)
