"""Screening questions of a job (or of one application)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._requester import Requester

_QUESTION = "/v1/jobs/{job_id}/questions/{question_id}"


class Questions:
    def __init__(self, requester: Requester) -> None:
        self._r = requester

    async def list(self, job_id: str) -> Any:
        return await self._r.request("GET", "/v1/jobs/{job_id}/questions", path={"job_id": job_id})

    async def add(self, job_id: str, body: Mapping[str, Any]) -> Any:
        return await self._r.request("POST", "/v1/jobs/{job_id}/questions", path={"job_id": job_id}, json=body)

    async def update(
        self,
        job_id: str,
        question_id: str,
        body: Mapping[str, Any],
        *,
        source_id: str,
        application_id: str | None = None,
    ) -> Any:
        # The API documents source_id and application_id as query parameters of this route as well.
        return await self._r.request(
            "PATCH",
            _QUESTION,
            path={"job_id": job_id, "question_id": question_id},
            params={"source_id": source_id, "application_id": application_id},
            json=body,
        )

    async def delete(self, job_id: str, question_id: str) -> Any:
        return await self._r.request("DELETE", _QUESTION, path={"job_id": job_id, "question_id": question_id})

    async def generate(self, job_id: str) -> Any:
        return await self._r.request("POST", "/v1/jobs/{job_id}/questions/generate", path={"job_id": job_id})
