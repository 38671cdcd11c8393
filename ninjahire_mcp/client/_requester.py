"""One request to the Ninjahire API: path encoding, auth, retries, and typed errors."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from contextlib import nullcontext
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar, overload
from urllib.parse import quote

import anyio
import httpx2
from pydantic import ValidationError

from ._error_body import parse_error_body
from ._errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    FieldError,
    InvalidRequestError,
    RequestInfo,
    UnexpectedResponseError,
    status_error_class,
)
from ._exchanges import ExchangeTrace
from ._records import Record
from ._retry import RetryPolicy
from ._shares import Share

R = TypeVar("R", bound=Record)

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
REDACTED = "[REDACTED]"
# How much of a key's start, echoed on its own (a "nh_live_0123…" an API shows), still names the key.
KEY_PREFIX = 12

# Failures that happen before a single byte of the request reaches the server.
_NOT_SENT = (
    httpx2.ConnectError,
    httpx2.ConnectTimeout,
    httpx2.PoolTimeout,
    httpx2.UnsupportedProtocol,
    httpx2.ProxyError,
    httpx2.LocalProtocolError,
)


def build_path(route: str, path_params: Mapping[str, str]) -> str:
    """Fill a route template, percent-encoding every value so that no value can choose the endpoint."""

    def encode(match: re.Match[str]) -> str:
        name = match.group(1)
        value = str(path_params[name])
        # "." and ".." survive percent-encoding and would be resolved as dot-segments.
        if value.strip() in ("", ".", ".."):
            raise InvalidRequestError(f"{name} {value!r} is not an id; nothing was sent.")
        return quote(value, safe="")

    return _PLACEHOLDER.sub(encode, route)


def present(values: Mapping[str, Any] | None) -> dict[str, Any]:
    """The entries that were given: an argument left out is not sent, not sent as null."""
    return {key: value for key, value in (values or {}).items() if value is not None}


class Requester:
    """Sends requests on a shared connection pool; the key is attached per request, never to the pool.

    With a `share`, each attempt holds one of its key's slots while it is on the pool (client/_shares.py).
    """

    def __init__(
        self,
        http: httpx2.AsyncClient,
        *,
        api_key: str | None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
        share: Share | None = None,
    ) -> None:
        self._http = http
        self._api_key = api_key
        self._share = share
        self._echo = key_echoes(api_key)
        self._retry = retry or RetryPolicy()
        self._sleep = sleep

    def __repr__(self) -> str:
        key = REDACTED if self._api_key else None
        return f"{type(self).__name__}(base_url={str(self._http.base_url)!r}, api_key={key})"

    @overload
    async def request(
        self,
        method: str,
        route: str,
        *,
        into: type[R],
        path: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        json: Mapping[str, Any] | None = None,
    ) -> R | None: ...

    @overload
    async def request(
        self,
        method: str,
        route: str,
        *,
        into: None = None,
        path: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        json: Mapping[str, Any] | None = None,
    ) -> Any: ...

    async def request(
        self,
        method: str,
        route: str,
        *,
        into: type[Record] | None = None,
        path: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        json: Mapping[str, Any] | None = None,
    ) -> Any:
        """Send one API request and return its answer: as an `into` record (None for an empty body),
        or, without `into`, as decoded JSON.

        Raises a subclass of `NinjahireError`; the message never contains the API key.
        """
        trace = ExchangeTrace(method, route)
        try:
            return await self._send(trace, method, route, into=into, path=path, params=params, json=json)
        except BaseException as exc:
            trace.error = type(exc).__name__
            raise
        finally:
            trace.report()

    async def read(
        self,
        route: str,
        *,
        into: type[R],
        path: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> R:
        """A GET whose answer must be a record: an empty body is as unreadable as a garbled one."""
        record = await self.request("GET", route, into=into, path=path, params=params)
        if record is None:
            info = RequestInfo("GET", route, dict(path or {}))
            raise UnexpectedResponseError(
                f"{info} answered with an empty body",
                info,
                status_code=200,
                content_type="",
                problem="its body was empty",
            )
        return record

    async def _send(
        self,
        trace: ExchangeTrace,
        method: str,
        route: str,
        *,
        into: type[Record] | None,
        path: Mapping[str, str] | None,
        params: Mapping[str, Any] | None,
        json: Mapping[str, Any] | None,
    ) -> Any:
        info = RequestInfo(method, route, dict(path or {}))
        url = build_path(route, info.path_params)
        headers = {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}
        body = present(json) if json is not None else None
        attempt = 0
        # Whether an earlier attempt may have reached Ninjahire and acted, its answer lost: a repeated
        # DELETE that then finds nothing most likely found what the first one deleted.
        acted_before = False
        while True:
            attempt += 1
            trace.attempts = attempt
            try:
                # Per attempt, not per request: a retry's back-off must not hold a slot its key's others need.
                async with self._share(info) if self._share else nullcontext():
                    response = await self._http.request(method, url, params=present(params), json=body, headers=headers)
                trace.status = response.status_code
            except httpx2.TransportError as exc:
                sent = not isinstance(exc, _NOT_SENT)
                if self._retry.retries_failure(method, attempt, request_was_sent=sent):
                    acted_before = acted_before or sent
                    await self._sleep(self._retry.delay(attempt))
                    continue
                raise self._transport_error(exc, info, sent, attempt) from exc
            except httpx2.InvalidURL as exc:
                raise InvalidRequestError(f"The request URL is not valid ({exc}); nothing was sent.") from exc

            if response.is_success:
                try:
                    decoded = self._decode(response, info)
                except UnexpectedResponseError:
                    # A garbled body is an answer lost on the way: read again. Only a read, though: a PUT or
                    # DELETE that answered 2xx is done, and doing it again could only mislead (a 404).
                    if method == "GET" and self._retry.retries_failure(method, attempt, request_was_sent=True):
                        await self._sleep(self._retry.delay(attempt))
                        continue
                    raise
                if self._echo is not None and self._echo.search(response.text):
                    decoded = self._redacted(decoded)  # an API that echoes the key must not hand it to the agent
                return decoded if into is None or decoded is None else self._record(into, decoded, response, info)
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            if self._retry.retries_status(method, response.status_code, attempt, retry_after):
                acted_before = acted_before or response.status_code >= 500
                await self._sleep(self._retry.delay(attempt, retry_after))
                continue
            raise self._status_error(response, info, retry_after, attempt, acted_before)

    def _decode(self, response: httpx2.Response, info: RequestInfo) -> Any:
        if response.status_code == 204 or not response.content.strip():
            return None
        try:
            return response.json()
        except (ValueError, RecursionError):
            content_type = response.headers.get("content-type", "unknown type")
            raise UnexpectedResponseError(
                f"{info} answered HTTP {response.status_code} with a body that is not JSON "
                f"({content_type}, {len(response.content)} bytes)",
                info,
                status_code=response.status_code,
                content_type=content_type,
            ) from None

    def _record(self, into: type[Record], decoded: Any, response: httpx2.Response, info: RequestInfo) -> Record:
        try:
            return into.model_validate(decoded)
        except ValidationError as error:
            # Only a body that is no object at all gets here: a record tolerates odd field values.
            kind = error.errors()[0].get("ctx", {}).get("kind", "something else")
            problem = f"its body was JSON, but {kind} where a {_record_name(into)} record belongs"
            raise UnexpectedResponseError(
                f"{info} answered HTTP {response.status_code}: {problem}",
                info,
                status_code=response.status_code,
                content_type=response.headers.get("content-type", "unknown type"),
                problem=problem,
            ) from None

    def _status_error(
        self, response: httpx2.Response, info: RequestInfo, retry_after: float | None, attempts: int, acted_before: bool
    ) -> APIStatusError:
        detail, field_errors = parse_error_body(response.content, response.headers.get("content-type", ""))
        return status_error_class(response.status_code)(
            info,
            status_code=response.status_code,
            detail=self._redact(detail),
            field_errors=tuple(FieldError(f.field, self._redact(f.message) or "") for f in field_errors),
            request_id=response.headers.get("x-request-id") or response.headers.get("request-id"),
            retry_after=retry_after,
            attempts=attempts,
            earlier_attempt_may_have_acted=acted_before,
        )

    def _transport_error(
        self, exc: httpx2.TransportError, info: RequestInfo, sent: bool, attempts: int
    ) -> APIConnectionError:
        if isinstance(exc, httpx2.PoolTimeout):
            return APITimeoutError(
                f"{info}: every upstream connection (NINJAHIRE_MAX_CONNECTIONS) stayed busy for "
                f"{self._http.timeout.pool or 0:g} s (PoolTimeout)",
                info,
                may_have_reached_server=False,
                attempts=attempts,
            )
        if isinstance(exc, httpx2.TimeoutException):
            seconds = self._http.timeout.connect if not sent else self._http.timeout.read
            return APITimeoutError(
                f"{info}: no answer within {seconds:g} s ({type(exc).__name__})",
                info,
                may_have_reached_server=sent,
                attempts=attempts,
            )
        reason = self._redact(str(exc)) or type(exc).__name__
        return APIConnectionError(
            f"{info}: {type(exc).__name__}: {reason}", info, may_have_reached_server=sent, attempts=attempts
        )

    def _redact(self, text: str | None) -> str | None:
        if text and self._echo is not None:
            return self._echo.sub(REDACTED, text)
        return text

    def _redacted(self, value: Any) -> Any:
        """A decoded answer with every echo of the key replaced, in any string at any depth."""
        if isinstance(value, str):
            return self._redact(value)
        if isinstance(value, dict):
            return {key: self._redacted(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self._redacted(item) for item in value]
        return value


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After as seconds: either a number of seconds or an HTTP date."""
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - datetime.now(UTC)).total_seconds(), 0.0)


def _record_name(into: type[Record]) -> str:
    name = into.__name__
    if name.startswith("Page["):  # a generic page: Page[Job]
        return "page of " + name[5:-1].lower()
    return "".join(" " + ch.lower() if ch.isupper() else ch for ch in name).strip()


def key_echoes(api_key: str | None) -> re.Pattern[str] | None:
    """What an echo of the key looks like: verbatim, URL-encoded, in another letter case, or its first
    KEY_PREFIX characters followed by more of the same kind (a truncated or masked key)."""
    if not api_key:
        return None
    forms = {re.escape(api_key), re.escape(quote(api_key, safe="")), re.escape(quote(api_key))}
    if len(api_key) > KEY_PREFIX:
        forms.add(re.escape(api_key[:KEY_PREFIX]) + r"[\w\-.~%*…]*")
    return re.compile("|".join(sorted(forms, key=len, reverse=True)), re.IGNORECASE)
