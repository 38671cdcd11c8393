"""What is retried (reads and idempotent writes) and what never is (POST and PATCH once possibly sent)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx2
import pytest

from ninjahire_mcp.client import (
    APIConnectionError,
    APITimeoutError,
    InternalServerError,
    NinjahireClient,
    NotFoundError,
    RateLimitError,
    Record,
    RetryPolicy,
    parse_retry_after,
)

from ..support.api import API_KEY, APPLICATION, JOB, RecordingAPI


class Sleeps(list[float]):
    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


def make_client(api: RecordingAPI, sleeps: Sleeps, **policy: object) -> NinjahireClient:
    retry = RetryPolicy(jitter=lambda: 1.0, **policy)  # type: ignore[arg-type]
    return NinjahireClient(api_key=API_KEY, transport=api.transport, retry=retry, sleep=sleeps)


def ok() -> httpx2.Response:
    return httpx2.Response(200, json={"ok": True})


OPERATIONS = {
    "GET": lambda c: c.jobs.get(JOB),
    "PUT": lambda c: c.jobs.update_schedule_settings(JOB, {"window_start_time": "08:00:00"}),
    "DELETE": lambda c: c.questions.delete(JOB, "q1"),
    "POST": lambda c: c.calls.instant_call(APPLICATION),
    "PATCH": lambda c: c.jobs.update(JOB, {"title": "T"}),
}


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
async def test_idempotent_methods_retry_transient_statuses(method: str, status: int) -> None:
    api, sleeps = RecordingAPI(responses=[httpx2.Response(status), httpx2.Response(status), ok()]), Sleeps()
    async with make_client(api, sleeps) as client:
        assert _data(await OPERATIONS[method](client)) == {"ok": True}
    assert len(api.requests) == 3
    assert sleeps == [0.5, 1.0]


@pytest.mark.parametrize("method", ["POST", "PATCH"])
@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
async def test_post_and_patch_are_sent_exactly_once_on_error_statuses(method: str, status: int) -> None:
    api, sleeps = RecordingAPI(responses=[httpx2.Response(status), ok()]), Sleeps()
    async with make_client(api, sleeps) as client:
        with pytest.raises((InternalServerError, RateLimitError)) as caught:
            await OPERATIONS[method](client)
    assert len(api.requests) == 1
    assert sleeps == []
    assert caught.value.may_have_reached_server


@pytest.mark.parametrize("method", ["POST", "PATCH"])
@pytest.mark.parametrize(
    "failure",
    [
        httpx2.ReadTimeout("slow"),
        httpx2.RemoteProtocolError("peer closed"),
        httpx2.ReadError("reset"),
        httpx2.WriteError("broken pipe"),
    ],
    ids=["read-timeout", "dropped-mid-response", "read-error", "write-error"],
)
async def test_post_and_patch_never_repeat_once_they_may_have_arrived(method: str, failure: Exception) -> None:
    api, sleeps = RecordingAPI(responses=[failure, ok()]), Sleeps()
    async with make_client(api, sleeps) as client:
        with pytest.raises(APIConnectionError) as caught:
            await OPERATIONS[method](client)
    assert len(api.requests) == 1
    assert caught.value.may_have_reached_server is True


@pytest.mark.parametrize(
    "failure", [httpx2.ConnectError("refused"), httpx2.ConnectTimeout("no route"), httpx2.PoolTimeout("busy")]
)
async def test_a_request_that_never_left_is_retried_whatever_its_method(failure: Exception) -> None:
    api, sleeps = RecordingAPI(responses=[failure, ok()]), Sleeps()
    async with make_client(api, sleeps) as client:
        assert _data(await client.calls.instant_call(APPLICATION)) == {"ok": True}
    assert len(api.requests) == 2


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
async def test_idempotent_methods_retry_timeouts_and_dropped_connections(method: str) -> None:
    failures = [httpx2.ReadTimeout("slow"), httpx2.RemoteProtocolError("closed"), ok()]
    api, sleeps = RecordingAPI(responses=failures), Sleeps()
    async with make_client(api, sleeps) as client:
        assert _data(await OPERATIONS[method](client)) == {"ok": True}
    assert len(api.requests) == 3


async def test_retries_stop_at_the_budget_and_report_the_attempts() -> None:
    api, sleeps = RecordingAPI(responses=[httpx2.Response(503)] * 5), Sleeps()
    async with make_client(api, sleeps, max_retries=2) as client:
        with pytest.raises(InternalServerError) as caught:
            await client.jobs.list(page=1, size=10)
    assert len(api.requests) == 3
    assert caught.value.attempts == 3


async def test_timeouts_past_the_budget_raise_a_timeout_error() -> None:
    api, sleeps = RecordingAPI(responses=[httpx2.ReadTimeout("slow")] * 3), Sleeps()
    async with make_client(api, sleeps) as client:
        with pytest.raises(APITimeoutError) as caught:
            await client.jobs.list(page=1, size=10)
    assert caught.value.attempts == 3
    assert "no answer within 30 s" in str(caught.value)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422])
async def test_client_errors_are_never_retried(status: int) -> None:
    api, sleeps = RecordingAPI(responses=[httpx2.Response(status), ok()]), Sleeps()
    async with make_client(api, sleeps) as client:
        with pytest.raises(Exception):  # noqa: B017 - the class per status is tested in test_client_errors
            await client.jobs.get(JOB)
    assert len(api.requests) == 1


async def test_retry_after_is_honoured() -> None:
    api = RecordingAPI(responses=[httpx2.Response(429, headers={"Retry-After": "3"}), ok()])
    sleeps = Sleeps()
    async with make_client(api, sleeps) as client:
        await client.jobs.get(JOB)
    assert sleeps == [3.0]


async def test_a_retry_after_past_the_cap_is_reported_not_waited() -> None:
    api = RecordingAPI(responses=[httpx2.Response(429, headers={"Retry-After": "120"}), ok()])
    sleeps = Sleeps()
    async with make_client(api, sleeps, max_retry_after=20.0) as client:
        with pytest.raises(RateLimitError) as caught:
            await client.jobs.get(JOB)
    assert sleeps == []
    assert caught.value.retry_after == 120.0


async def test_backoff_doubles_up_to_its_cap() -> None:
    api, sleeps = RecordingAPI(responses=[httpx2.Response(500)] * 4 + [ok()]), Sleeps()
    async with make_client(api, sleeps, max_retries=4, base_delay=0.5, max_delay=1.5) as client:
        await client.jobs.get(JOB)
    assert sleeps == [0.5, 1.0, 1.5, 1.5]


def test_jitter_spreads_the_wait_below_the_ceiling() -> None:
    policy = RetryPolicy(base_delay=1.0, jitter=lambda: 0.25)
    assert policy.delay(3) == 1.0  # ceiling 4 s, a quarter of it


def test_retry_after_is_read_as_seconds_or_as_an_http_date() -> None:
    later = datetime.now(UTC) + timedelta(seconds=30)
    assert parse_retry_after("7") == 7.0
    assert 28 <= (parse_retry_after(format_datetime(later, usegmt=True)) or 0) <= 30
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
    assert parse_retry_after("-5") == 0.0


async def test_not_found_after_retry_is_not_masked() -> None:
    api = RecordingAPI(responses=[httpx2.Response(503), httpx2.Response(404, json={"message": "Job not found"})])
    async with make_client(api, Sleeps()) as client:
        with pytest.raises(NotFoundError, match="Job not found"):
            await client.jobs.get(JOB)


def _data(answer: Any) -> Any:
    """What the API sent, whichever record it was read into."""
    return answer.data() if isinstance(answer, Record) else answer
