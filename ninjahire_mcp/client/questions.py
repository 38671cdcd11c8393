"""Screening questions of a job (or of one application)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._records import Page, Question
from ._requester import Requester

_QUESTIONS = "/v1/jobs/{job_id}/questions"
_QUESTION = "/v1/jobs/{job_id}/questions/{question_id}"


class Questions:
    def __init__(self, requester: Requester) -> None:
        self._r = requester

    async def list(self, job_id: str) -> Page[Question]:
        return await self._r.read(_QUESTIONS, into=Page[Question], path={"job_id": job_id})

    async def add(self, job_id: str, body: Mapping[str, Any]) -> Question | None:
        return await self._r.request("POST", _QUESTIONS, into=Question, path={"job_id": job_id}, json=body)

    async def update(
        self,
        job_id: str,
        question_id: str,
        body: Mapping[str, Any],
        *,
        source_id: str,
        application_id: str | None = None,
    ) -> Question | None:
        # The API documents source_id and application_id as query parameters of this route as well.
        return await self._r.request(
            "PATCH",
            _QUESTION,
            into=Question,
            path={"job_id": job_id, "question_id": question_id},
            params={"source_id": source_id, "application_id": application_id},
            json=body,
        )

    async def delete(self, job_id: str, question_id: str) -> Any:
        """Whatever the API answers (nothing, usually: 204)."""
        return await self._r.request("DELETE", _QUESTION, path={"job_id": job_id, "question_id": question_id})

    async def generate(self, job_id: str) -> Page[Question] | None:
        return await self._r.request("POST", f"{_QUESTIONS}/generate", into=Page[Question], path={"job_id": job_id})
