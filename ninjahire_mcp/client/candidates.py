"""Candidates: the people who apply."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._records import Candidate, Page
from ._requester import Requester


class Candidates:
    def __init__(self, requester: Requester) -> None:
        self._r = requester

    async def list(self, *, page: int, size: int, source_id: str | None = None) -> Page[Candidate]:
        params = {"page": page, "size": size, "source_id": source_id}
        return await self._r.read("/v1/candidates", into=Page[Candidate], params=params)

    async def create(self, body: Mapping[str, Any]) -> Candidate | None:
        return await self._r.request("POST", "/v1/candidates", into=Candidate, json=body)

    async def get(self, candidate_id: str) -> Candidate:
        return await self._r.read("/v1/candidates/{candidate_id}", into=Candidate, path={"candidate_id": candidate_id})

    async def update(self, candidate_id: str, body: Mapping[str, Any]) -> Candidate | None:
        return await self._r.request(
            "PATCH", "/v1/candidates/{candidate_id}", into=Candidate, path={"candidate_id": candidate_id}, json=body
        )
