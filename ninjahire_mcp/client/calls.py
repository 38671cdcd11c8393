"""AI phone-screening calls: placing one, and reading their results."""

from __future__ import annotations

from typing import Any

from ._requester import Requester


class Calls:
    def __init__(self, requester: Requester) -> None:
        self._r = requester

    async def instant_call(self, application_id: str) -> Any:
        """Phones the candidate of the application. POST: never retried once it may have been sent."""
        return await self._r.request(
            "POST",
            "/v1/applications/{application_id}/instant-call",
            path={"application_id": application_id},
        )

    async def get(self, call_id: str) -> Any:
        return await self._r.request("GET", "/v1/calls/{call_id}", path={"call_id": call_id})

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
    ) -> Any:
        return await self._r.request(
            "GET",
            "/v1/calls",
            params={
                "page": page,
                "size": size,
                "application_id": application_id,
                "job_id": job_id,
                "candidate_id": candidate_id,
                "application_source_id": application_source_id,
                "job_source_id": job_source_id,
                "candidate_source_id": candidate_source_id,
            },
        )
