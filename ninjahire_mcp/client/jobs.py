"""Jobs, their scheduling switch and their scheduling settings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._requester import Requester


class Jobs:
    def __init__(self, requester: Requester) -> None:
        self._r = requester

    async def list(self, *, page: int, size: int, source_id: str | None = None) -> Any:
        return await self._r.request("GET", "/v1/jobs", params={"page": page, "size": size, "source_id": source_id})

    async def create(self, body: Mapping[str, Any]) -> Any:
        return await self._r.request("POST", "/v1/jobs", json=body)

    async def get(self, job_id: str) -> Any:
        return await self._r.request("GET", "/v1/jobs/{job_id}", path={"job_id": job_id})

    async def update(self, job_id: str, body: Mapping[str, Any]) -> Any:
        return await self._r.request("PATCH", "/v1/jobs/{job_id}", path={"job_id": job_id}, json=body)

    async def get_scheduling(self, job_id: str) -> Any:
        return await self._r.request("GET", "/v1/jobs/{job_id}/scheduling", path={"job_id": job_id})

    async def set_scheduling(self, job_id: str, scheduling: bool) -> Any:
        return await self._r.request(
            "PATCH", "/v1/jobs/{job_id}/scheduling", path={"job_id": job_id}, json={"scheduling": scheduling}
        )

    async def get_schedule_settings(self, job_id: str) -> Any:
        return await self._r.request("GET", "/v1/jobs/{job_id}/schedule-setting", path={"job_id": job_id})

    async def update_schedule_settings(self, job_id: str, body: Mapping[str, Any]) -> Any:
        return await self._r.request("PUT", "/v1/jobs/{job_id}/schedule-setting", path={"job_id": job_id}, json=body)
