"""The tenant's webhook configuration: where Ninjahire pushes call and application events."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._records import Page, Webhook
from ._requester import Requester


class Webhooks:
    def __init__(self, requester: Requester) -> None:
        self._r = requester

    async def get(self) -> Page[Webhook]:
        return await self._r.read("/v1/tenant-webhook", into=Page[Webhook])

    async def set(self, body: Mapping[str, Any]) -> Webhook | None:
        return await self._r.request("POST", "/v1/tenant-webhook", into=Webhook, json=body)

    async def subscribe(self, tenant_webhook_id: str) -> Webhook | None:
        return await self._r.request(
            "POST",
            "/v1/tenant-webhook/subscribe/{tenant_webhook_id}",
            into=Webhook,
            path={"tenant_webhook_id": tenant_webhook_id},
        )

    async def unsubscribe(self, tenant_webhook_id: str) -> Webhook | None:
        return await self._r.request(
            "POST",
            "/v1/tenant-webhook/unsubscribe/{tenant_webhook_id}",
            into=Webhook,
            path={"tenant_webhook_id": tenant_webhook_id},
        )
