"""A recording mock of the Ninjahire API, the ids and bodies tests use, and calling a tool through a client."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any

import httpx2
from mcp import Client

from ninjahire_mcp.client import RetryPolicy

API_KEY = "nh_test_0123456789abcdef"
JOB = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
CANDIDATE = "550e8400-e29b-41d4-a716-446655440000"
APPLICATION = "0f8fad5b-d9cb-469f-a165-70867728950e"
CALL = "7c9e6679-7425-40de-944b-e07fc1f90ae7"

# Valid bodies of the writes that take many fields: a test changes one field to see it refused.
JOB_BODY = {
    "title": "LLM Engineer",
    "industry": "Research",
    "state_name": "CA",
    "country": "United States",
    "recruiter_name": "John",
    "recruiter_email": "john@ninjahire.co",
    "recruiter_work_phone_no": "+19179991111",
    "status": "Active",
    "desc": "Build LLM systems.",
    "source_id": "abc123",
}
CANDIDATE_BODY = {
    "first_name": "Dana",
    "email": "dana@example.com",
    "phone_no": "+12025550123",
    "source": "LinkedIn",
    "source_id": "CAND-1",
}
APPLICATION_BODY = {
    "candidate_source_id": "CAND-1",
    "job_source_id": "JOB-1",
    "source_application_status": "Applied",
    "application_stage": "ACTIVE",
}
WEBHOOK_BODY = {
    "tenant_id": "550e8400-e29b-41d4-a716-446655440000",
    "triggered_event": "call_activity",
    "type": "post_call_screening",
    "fields": ["id", "status"],
    "url": "https://api.example.com/webhooks/tenant",
    "http_method": "POST",
    "content_type": "application/json",
}

Handler = Callable[[httpx2.Request], httpx2.Response]


@dataclass
class RecordingAPI:
    """A MockTransport handler that records every request and answers from a script or a default."""

    responses: list[httpx2.Response | Exception] = field(default_factory=list)
    requests: list[httpx2.Request] = field(default_factory=list)
    default: Callable[[httpx2.Request], httpx2.Response] | None = None

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        request.read()
        self.requests.append(request)
        if self.responses:
            answer = self.responses.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer
        if self.default:
            return self.default(request)
        return httpx2.Response(200, json={"data": [], "count": 0})

    @property
    def transport(self) -> httpx2.MockTransport:
        return httpx2.MockTransport(self)

    def body(self, index: int = -1) -> Any:
        content = self.requests[index].content
        return json.loads(content) if content else None


INSTANT_RETRY = RetryPolicy(base_delay=0.0, max_retry_after=1.0, jitter=lambda: 0.0)


async def no_sleep(_seconds: float) -> None:
    return None


def records(page: dict[str, Any]) -> list[dict[str, Any]]:
    """A list tool's page as one dict per row: its table (columns, rows, common) or plain `data`; a page's
    `untrusted` marker (naming fields as data[].field) is given back to each record, as a record alone has it."""
    common = dict(page.get("common", {}))
    marked = page.get("untrusted")
    if isinstance(marked, str) and "data[]." in marked:
        common["untrusted"] = marked.replace("data[].", "")
    if "data" in page:
        return [{**common, **item} for item in page["data"]]
    return [{**common, **dict(zip(page["columns"], row, strict=True))} for row in page["rows"]]


Connect = Callable[[], AbstractAsyncContextManager[Client]]


async def call(client: Client, tool: str, **arguments: Any) -> Any:
    """A tool's successful result, decoded; a failed call fails the test with the tool's text. Its structured
    content, which the client has checked against the tool's outputSchema, must be the same JSON."""
    result = await client.call_tool(tool, arguments)
    text = result.content[0].text
    assert not result.is_error, f"{tool}: {text}"
    decoded = json.loads(text)
    assert result.structured_content == decoded, f"{tool}: the structured content is not the text's JSON"
    return decoded
