"""Applications: a candidate for a job, with its screening status."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._records import Application, Page
from ._requester import Requester

_APPLICATION = "/v1/applications/{application_id}"


class Applications:
    def __init__(self, requester: Requester) -> None:
        self._r = requester

    async def list(
        self,
        *,
        page: int,
        size: int,
        job_id: str | None = None,
        source_id: str | None = None,
        job_source_id: str | None = None,
        candidate_source_id: str | None = None,
    ) -> Page[Application]:
        params = {
            "page": page,
            "size": size,
            "job_id": job_id,
            "source_id": source_id,
            "job_source_id": job_source_id,
            "candidate_source_id": candidate_source_id,
        }
        return await self._r.read("/v1/applications", into=Page[Application], params=params)

    async def create(self, body: Mapping[str, Any]) -> Application | None:
        return await self._r.request("POST", "/v1/applications", into=Application, json=body)

    async def create_with_questions(self, body: Mapping[str, Any]) -> Application | None:
        return await self._r.request("POST", "/v1/applications/with-questions", into=Application, json=body)

    async def get(self, application_id: str) -> Application:
        return await self._r.read(_APPLICATION, into=Application, path={"application_id": application_id})

    async def update(self, application_id: str, body: Mapping[str, Any]) -> Application | None:
        return await self._r.request(
            "PATCH", _APPLICATION, into=Application, path={"application_id": application_id}, json=body
        )
