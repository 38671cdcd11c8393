"""Candidates: the people who apply."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._requester import Requester


class Candidates:
    def __init__(self, requester: Requester) -> None:
        self._r = requester

    async def list(self, *, page: int, size: int, source_id: str | None = None) -> Any:
        return await self._r.request(
            "GET", "/v1/candidates", params={"page": page, "size": size, "source_id": source_id}
        )

    async def create(self, body: Mapping[str, Any]) -> Any:
        return await self._r.request("POST", "/v1/candidates", json=body)

    async def get(self, candidate_id: str) -> Any:
        return await self._r.request("GET", "/v1/candidates/{candidate_id}", path={"candidate_id": candidate_id})

    async def update(self, candidate_id: str, body: Mapping[str, Any]) -> Any:
        return await self._r.request(
            "PATCH", "/v1/candidates/{candidate_id}", path={"candidate_id": candidate_id}, json=body
        )
