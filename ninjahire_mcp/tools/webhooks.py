"""The tenant's webhooks: where Ninjahire pushes call and application events (candidate data)."""

from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context
from pydantic import AfterValidator, BeforeValidator, Field

from . import _checks
from ._context import api, body_of
from ._params import TenantWebhookId
from ._registry import DELETE, ENABLE, OVERWRITE, READ, Toolset
from ._results import mask_secrets

toolset = Toolset("webhooks")


@toolset.tool("Get webhook", READ)
async def get_webhook(ctx: Context) -> Any:
    """Get the tenant's webhook configuration: each webhook's `id`, url, triggered_event, fields
    and whether it is active. Secrets are never shown, only whether one is set."""
    return mask_secrets(await api(ctx).webhooks.get())


@toolset.tool("Set webhook", OVERWRITE, open_world=True, check_first="get_webhook()")
async def set_webhook(
    ctx: Context,
    tenant_id: Annotated[str, Field(min_length=1, description="Your Ninjahire tenant id.")],
    triggered_event: Annotated[
        Literal["call_activity", "application_activty"],
        Field(description="Event to send; spelled exactly as the API spells it."),
    ],
    type: Annotated[Literal["post_call_screening"], Field(description="Webhook type.")],
    fields: Annotated[
        list[Annotated[str, Field(min_length=1)]],
        Field(min_length=1, max_length=100, description="Payload fields to send, e.g. id, status, candidate_id."),
    ],
    url: Annotated[str, AfterValidator(_checks.http_url), Field(description="Where events are sent (https).")],
    http_method: Annotated[
        Literal["POST", "PUT", "PATCH"], BeforeValidator(_checks.upper), Field(description="HTTP method.")
    ],
    content_type: Annotated[
        Literal["application/json", "application/x-www-form-urlencoded"], Field(description="Payload encoding.")
    ],
    secret: Annotated[str, Field(min_length=1, description="Signing secret for deliveries; never shown again.")]
    | None = None,
    is_active: Annotated[bool, Field(description="Deliver events (default true).")] | None = None,
) -> Any:
    """Create or update the tenant's webhook for a triggered_event. Ninjahire will send candidate
    data to url: only on the user's explicit instruction, and set a secret so that deliveries are
    signed."""
    return mask_secrets(await api(ctx).webhooks.set(body_of(locals())))


@toolset.tool("Resume webhook", ENABLE, open_world=True, check_first="get_webhook()")
async def subscribe_webhook(ctx: Context, tenant_webhook_id: TenantWebhookId) -> Any:
    """Resume a webhook's deliveries (undoes unsubscribe_webhook)."""
    return mask_secrets(await api(ctx).webhooks.subscribe(tenant_webhook_id))


@toolset.tool("Stop webhook", DELETE, check_first="get_webhook()")
async def unsubscribe_webhook(ctx: Context, tenant_webhook_id: TenantWebhookId) -> Any:
    """Stop a webhook's deliveries; subscribe_webhook resumes them."""
    return mask_secrets(await api(ctx).webhooks.unsubscribe(tenant_webhook_id))
