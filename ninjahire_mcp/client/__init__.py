"""Async client of the Ninjahire REST API. Knows nothing about MCP."""

from ._client import DEFAULT_BASE_URL, DEFAULT_TIMEOUT, USER_AGENT, NinjahireClient
from ._errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    FieldError,
    InternalServerError,
    InvalidRequestError,
    NinjahireError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestInfo,
    UnexpectedResponseError,
    UnprocessableEntityError,
)
from ._exchanges import Exchange, ExchangeObserver, observe_exchanges
from ._retry import IDEMPOTENT_METHODS, RetryPolicy

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT",
    "IDEMPOTENT_METHODS",
    "USER_AGENT",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "Exchange",
    "ExchangeObserver",
    "FieldError",
    "InternalServerError",
    "InvalidRequestError",
    "NinjahireClient",
    "NinjahireError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestInfo",
    "RetryPolicy",
    "UnexpectedResponseError",
    "UnprocessableEntityError",
    "observe_exchanges",
]
