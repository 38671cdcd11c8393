"""AI phone-screening calls: placing one, and reading their results."""

from __future__ import annotations

from ._records import Call, CallStarted, Page
from ._requester import Requester


class Calls:
    def __init__(self, requester: Requester) -> None:
        self._r = requester

    async def instant_call(self, application_id: str) -> CallStarted | None:
        """Phones the candidate of the application. POST: never retried once it may have been sent."""
        return await self._r.request(
            "POST",
            "/v1/applications/{application_id}/instant-call",
            into=CallStarted,
            path={"application_id": application_id},
        )

    async def get(self, call_id: str) -> Call:
        return await self._r.read("/v1/calls/{call_id}", into=Call, path={"call_id": call_id})

    async def list(
        self,
        *,
        page: int,
        size: int,
        application_id: str | None = None,
        job_id: str | None = None,
        candidate_id: str | None = None,
        application_source_id: str | None = None,
        job_source_id: str | None = None,
        candidate_source_id: str | None = None,
    ) -> Page[Call]:
        params = {
            "page": page,
            "size": size,
            "application_id": application_id,
            "job_id": job_id,
            "candidate_id": candidate_id,
            "application_source_id": application_source_id,
            "job_source_id": job_source_id,
            "candidate_source_id": candidate_source_id,
        }
        return await self._r.read("/v1/calls", into=Page[Call], params=params)
