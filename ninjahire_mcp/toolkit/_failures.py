"""Why a tool call failed, decided once: the text the agent reads, and the outcome the log line records.

The SDK wraps whatever a handler or resolver raised in a ToolError whose cause is the original;
`failure_of` reads that cause once for both. API failures say what happened, whether anything
changed, and what to do next. The text is ours, not the API's: the API's own message is relayed
only as a quoted, bounded detail.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from mcp.server.mcpserver.exceptions import ToolError
from pydantic import ValidationError

from ..client import (
    IDEMPOTENT_METHODS,
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    InvalidRequestError,
    NinjahireError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnexpectedResponseError,
    UnprocessableEntityError,
)
from ._errors import InputError, Refusal
from ._spec import ToolSpec
from ._validation import describe_validation_error

Outcome = Literal["invalid_arguments", "refused", "api_error"]


@dataclass(frozen=True)
class Failure:
    outcome: Outcome
    text: str
    error: str  # the class of what was raised, for the log line (never its message)
    # An API error may quote a record back (so --redact-pii applies to it); the other texts only echo
    # the agent's own arguments.
    quotes_api: bool = False


def failure_of(exc: ToolError, spec: ToolSpec, arguments: Mapping[str, Any]) -> Failure | None:
    """The failure a ToolError stands for; None when it is a crash, which the SDK reports itself."""
    cause = exc.__cause__
    error = type(cause if cause is not None else exc).__name__
    if isinstance(cause, ValidationError):
        return Failure("invalid_arguments", describe_validation_error(spec.name, cause), error)
    if isinstance(cause, InputError):
        text = f"Invalid arguments for {spec.name}; nothing was sent:\n- {cause}\n"
        return Failure("invalid_arguments", text + f"Fix the arguments and call {spec.name} again.", error)
    if isinstance(cause, Refusal):
        return Failure("refused", str(cause), error)
    if isinstance(cause, NinjahireError):
        return Failure("api_error", describe_api_error(cause, spec, arguments), error, quotes_api=True)
    return None


# Where an agent finds valid values for each path parameter.
LISTED_BY = {
    "job_id": "get_jobs",
    "candidate_id": "get_candidates",
    "application_id": "get_applications",
    "call_id": "get_screening_results",
    "question_id": "get_questions(job_id)",
    "tenant_webhook_id": "get_webhook",
}


def describe_api_error(error: NinjahireError, spec: ToolSpec, arguments: Mapping[str, Any]) -> str:
    if isinstance(error, InvalidRequestError):
        return f"{spec.name} was not sent: {error}"
    if isinstance(error, APIStatusError):
        text = _status_text(error, spec, arguments)
        if error.request_id:
            text += f" (request id {error.request_id})"
        return text + _unknown_outcome(error, spec, arguments)
    if isinstance(error, UnexpectedResponseError):
        text = f"Ninjahire answered HTTP {error.status_code} but {error.problem}; the result could not be read."
        if error.request.method == "GET":
            return text + " Repeating it is harmless: try again in a moment."
        if error.request.method in IDEMPOTENT_METHODS:  # PUT, DELETE: the 2xx says it was done
            return text + f" The change WAS made: check it with {_checker(spec, arguments)} instead of repeating it."
        return text + _unknown_outcome(error, spec, arguments)
    if isinstance(error, APIConnectionError):
        what = "did not answer in time" if isinstance(error, APITimeoutError) else "could not be reached"
        text = f"Ninjahire {what} ({error.message})"
        if error.attempts > 1:
            text += f", after {error.attempts} attempts"
        if not error.may_have_reached_server:
            return text + ". Nothing was sent. Check the network and NINJAHIRE_BASE_URL, then try again."
        return text + "." + (_unknown_outcome(error, spec, arguments) or " Try again in a moment.")
    return f"{spec.name} failed: {error}"


def _status_text(error: APIStatusError, spec: ToolSpec, arguments: Mapping[str, Any]) -> str:
    status = error.status_code
    detail = f": {error.detail}" if error.detail else ""
    if isinstance(error, AuthenticationError):
        return (
            f"Ninjahire rejected the API key (HTTP 401{detail}). Set a valid key in NINJAHIRE_API_KEY "
            "(in the MCP host's server configuration) and restart the server. Retrying will not help."
        )
    if isinstance(error, PermissionDeniedError):
        return f"Not permitted (HTTP 403{detail}). This API key may not do this; retrying will not help."
    if isinstance(error, NotFoundError) and error.request.method == "DELETE" and error.earlier_attempt_may_have_acted:
        return (
            f"Most likely deleted already: the first attempt reached Ninjahire but its answer was lost, and the "
            f"repeat found nothing to delete (HTTP 404{detail}). Check with {_checker(spec, arguments)} instead of "
            "repeating it."
        )
    if isinstance(error, NotFoundError):
        return f"Not found (HTTP 404{detail}). " + _where_ids_come_from(error)
    if isinstance(error, ConflictError):
        return (
            f"Conflict (HTTP 409{detail}). The record already exists or is busy: look it up instead of "
            "repeating the request."
        )
    if isinstance(error, BadRequestError | UnprocessableEntityError):
        lines = [f"Ninjahire rejected the request (HTTP {status}{detail})."]
        lines += [f"- {f.field}: {f.message}" if f.field else f"- {f.message}" for f in error.field_errors]
        lines.append(f"Fix the arguments and call {spec.name} again.")
        return "\n".join(lines)
    if isinstance(error, RateLimitError):
        wait = f"{error.retry_after:g} seconds" if error.retry_after is not None else "a minute"
        return f"Ninjahire is rate limiting (HTTP 429); the request was not carried out. Wait {wait}, then retry."
    if isinstance(error, InternalServerError):
        attempts = f" after {error.attempts} attempts" if error.attempts > 1 else ""
        return f"Ninjahire had a server error (HTTP {status}{detail}){attempts}. This is usually temporary."
    return f"Ninjahire answered HTTP {status}{detail}."


def _where_ids_come_from(error: APIStatusError) -> str:
    ids = error.request.path_params
    if not ids:
        return "An id in the arguments does not exist in this tenant; check each id you passed."
    named = ", ".join(f"{name}={value!r}" for name, value in ids.items())
    sources = ", ".join(f"{name} from {LISTED_BY[name]}" for name in ids if name in LISTED_BY)
    return f"No record for {named} in this tenant. Use ids exactly as listed: {sources}."


def _unknown_outcome(error: NinjahireError, spec: ToolSpec, arguments: Mapping[str, Any]) -> str:
    """For a write that may have reached Ninjahire without an answer: say so, and how to check."""
    request = getattr(error, "request", None)
    if request is None or request.method in IDEMPOTENT_METHODS:
        return ""
    status = getattr(error, "status_code", None)
    if status is not None and status < 500 and not isinstance(error, UnexpectedResponseError):
        return ""  # the API refused it: nothing happened
    check = _checker(spec, arguments)
    return (
        f"\nOUTCOME UNKNOWN: the request may have reached Ninjahire, so '{spec.title}' may already have "
        f"happened. Do not repeat it blindly: first check {check}."
    )


def stopped_before_finishing(spec: ToolSpec | None, arguments: Mapping[str, Any]) -> str:
    """For a call the server stopped (a restart, a shutdown) before it could answer: whether anything may
    have happened, and how to check before trying again."""
    if spec is not None and spec.effect.read_only:
        return (
            "The server stopped (a restart or shutdown) before this call finished; it changed nothing. Call it again."
        )
    title, check = (
        (spec.title, _checker(spec, arguments)) if spec is not None else ("this call", "the matching get_ tool")
    )
    return (
        f"OUTCOME UNKNOWN: the server stopped (a restart or shutdown) before '{title}' finished, so it may "
        f"already have happened. Do not repeat it blindly: first check {check}."
    )


def _checker(spec: ToolSpec, arguments: Mapping[str, Any]) -> str:
    return _fill(spec.check_first, arguments) if spec.check_first else "the matching get_ tool"


def _fill(template: str, arguments: Mapping[str, Any]) -> str:
    class _Missing(dict[str, Any]):
        def __missing__(self, key: str) -> str:
            return "…"

    return template.format_map(_Missing({k: v for k, v in arguments.items() if v is not None}))
