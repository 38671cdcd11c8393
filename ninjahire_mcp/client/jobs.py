"""Jobs, their scheduling switch and their scheduling settings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._records import Job, JobScheduling, Page, ScheduleSettings
from ._requester import Requester


class Jobs:
    def __init__(self, requester: Requester) -> None:
        self._r = requester

    async def list(self, *, page: int, size: int, source_id: str | None = None) -> Page[Job]:
        params = {"page": page, "size": size, "source_id": source_id}
        return await self._r.read("/v1/jobs", into=Page[Job], params=params)

    async def create(self, body: Mapping[str, Any]) -> Job | None:
        return await self._r.request("POST", "/v1/jobs", into=Job, json=body)

    async def get(self, job_id: str) -> Job:
        return await self._r.read("/v1/jobs/{job_id}", into=Job, path={"job_id": job_id})

    async def update(self, job_id: str, body: Mapping[str, Any]) -> Job | None:
        return await self._r.request("PATCH", "/v1/jobs/{job_id}", into=Job, path={"job_id": job_id}, json=body)

    async def get_scheduling(self, job_id: str) -> JobScheduling:
        return await self._r.read("/v1/jobs/{job_id}/scheduling", into=JobScheduling, path={"job_id": job_id})

    async def set_scheduling(self, job_id: str, scheduling: bool) -> JobScheduling | None:
        return await self._r.request(
            "PATCH",
            "/v1/jobs/{job_id}/scheduling",
            into=JobScheduling,
            path={"job_id": job_id},
            json={"scheduling": scheduling},
        )

    async def get_schedule_settings(self, job_id: str) -> ScheduleSettings:
        return await self._r.read("/v1/jobs/{job_id}/schedule-setting", into=ScheduleSettings, path={"job_id": job_id})

    async def update_schedule_settings(self, job_id: str, body: Mapping[str, Any]) -> ScheduleSettings | None:
        return await self._r.request(
            "PUT", "/v1/jobs/{job_id}/schedule-setting", into=ScheduleSettings, path={"job_id": job_id}, json=body
        )
