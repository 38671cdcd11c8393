"""The tenant's webhooks: where Ninjahire pushes call and application events (candidate data)."""

from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context, Elicit, ElicitationResult, Resolve
from pydantic import AfterValidator, BeforeValidator, Field

from . import _checks, _confirm
from ._confirm import Approval, ConfirmToken, Preview
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


TriggeredEvent = Annotated[
    Literal["call_activity", "application_activty"],
    Field(description="Event to send; spelled exactly as the API spells it."),
]
WebhookType = Annotated[Literal["post_call_screening"], Field(description="Webhook type.")]
Fields = Annotated[
    list[Annotated[str, Field(min_length=1)]],
    Field(min_length=1, max_length=100, description="Payload fields to send, e.g. id, status, candidate_id."),
]
Url = Annotated[str, AfterValidator(_checks.http_url), Field(description="Where events are sent (https).")]
HttpMethod = Annotated[
    Literal["POST", "PUT", "PATCH"], BeforeValidator(_checks.upper), Field(description="HTTP method.")
]
ContentType = Annotated[
    Literal["application/json", "application/x-www-form-urlencoded"], Field(description="Payload encoding.")
]
Secret = Annotated[str, Field(min_length=1, description="Signing secret for deliveries; never shown again.")]
IsActive = Annotated[bool, Field(description="Deliver events (default true).")]


async def _webhooks(ctx: Context) -> list[dict[str, Any]]:
    listed = await api(ctx).webhooks.get()
    data = listed.get("data") if isinstance(listed, dict) else listed
    return [hook for hook in data or [] if isinstance(hook, dict)]


async def set_preview(ctx: Context, body: dict[str, Any]) -> Preview:
    current = next(
        (
            h
            for h in await _webhooks(ctx)
            if h.get("triggered_event") == body["triggered_event"] and not h.get("is_deleted")
        ),
        None,
    )
    replaces = current.get("url") if current else None
    summary = (
        f"Send {body['triggered_event']} events ({', '.join(body['fields'])}) by {body['http_method']} to "
        f"{body['url']}" + (f", replacing {replaces}" if replaces and replaces != body["url"] else "") + "."
    )
    return Preview(
        summary=summary,
        details={
            "url": body["url"],
            "triggered_event": body["triggered_event"],
            "fields": body["fields"],
            "http_method": body["http_method"],
            "content_type": body["content_type"],
            "secret": "set" if body.get("secret") else "not set (deliveries will not be signed)",
            "is_active": body.get("is_active", True),
            "replaces_url": replaces,
        },
    )


async def ask_before_setting(
    ctx: Context,
    tenant_id: str,
    triggered_event: str,
    type: str,
    fields: list[str],
    url: str,
    http_method: str,
    content_type: str,
    secret: str | None,
    is_active: bool | None,
    confirm_token: str | None,
) -> Elicit[Approval] | None:
    body = body_of(locals(), exclude=["confirm_token"])
    return await _confirm.ask(ctx, confirm_token, lambda: set_preview(ctx, body))


@toolset.tool("Set webhook", OVERWRITE, open_world=True, check_first="get_webhook()")
async def set_webhook(
    ctx: Context,
    tenant_id: Annotated[str, Field(min_length=1, description="Your Ninjahire tenant id.")],
    triggered_event: TriggeredEvent,
    type: WebhookType,
    fields: Fields,
    url: Url,
    http_method: HttpMethod,
    content_type: ContentType,
    approval: Annotated[ElicitationResult[Approval], Resolve(ask_before_setting)],
    secret: Secret | None = None,
    is_active: IsActive | None = None,
    confirm_token: ConfirmToken = None,
) -> Any:
    """Create or update the tenant's webhook for a triggered_event: Ninjahire will send candidate
    data to url. Only on the user's explicit instruction; set a secret so deliveries are signed. The
    first call returns a preview and a confirm_token (or asks the user); nothing changes until confirmed."""
    body = body_of(locals(), exclude=["approval", "confirm_token"])
    held = await _confirm.decide(
        ctx, "set_webhook", body, confirm_token=confirm_token, approval=approval, preview=lambda: set_preview(ctx, body)
    )
    if held is not None:
        return held
    return mask_secrets(await api(ctx).webhooks.set(body))


@toolset.tool("Resume webhook", ENABLE, open_world=True, check_first="get_webhook()")
async def subscribe_webhook(ctx: Context, tenant_webhook_id: TenantWebhookId) -> Any:
    """Resume a webhook's deliveries (undoes unsubscribe_webhook)."""
    return mask_secrets(await api(ctx).webhooks.subscribe(tenant_webhook_id))


async def stop_preview(ctx: Context, tenant_webhook_id: str) -> Preview:
    hook = next((h for h in await _webhooks(ctx) if str(h.get("id")) == tenant_webhook_id), None)
    if hook is None:
        return Preview(
            summary=f"Stop webhook {tenant_webhook_id} (get_webhook does not list it).",
            details={"tenant_webhook_id": tenant_webhook_id, "found": False},
        )
    return Preview(
        summary=f"Stop sending {hook.get('triggered_event')} events to {hook.get('url')}.",
        details={
            "tenant_webhook_id": tenant_webhook_id,
            "url": hook.get("url"),
            "triggered_event": hook.get("triggered_event"),
        },
    )


async def ask_before_stopping(
    ctx: Context, tenant_webhook_id: str, confirm_token: str | None
) -> Elicit[Approval] | None:
    return await _confirm.ask(ctx, confirm_token, lambda: stop_preview(ctx, tenant_webhook_id))


@toolset.tool("Stop webhook", DELETE, check_first="get_webhook()")
async def unsubscribe_webhook(
    ctx: Context,
    tenant_webhook_id: TenantWebhookId,
    approval: Annotated[ElicitationResult[Approval], Resolve(ask_before_stopping)],
    confirm_token: ConfirmToken = None,
) -> Any:
    """Stop a webhook's deliveries; subscribe_webhook resumes them. The first call returns a preview
    and a confirm_token (or asks the user); nothing changes until confirmed."""
    held = await _confirm.decide(
        ctx,
        "unsubscribe_webhook",
        {"tenant_webhook_id": tenant_webhook_id},
        confirm_token=confirm_token,
        approval=approval,
        preview=lambda: stop_preview(ctx, tenant_webhook_id),
    )
    if held is not None:
        return held
    return mask_secrets(await api(ctx).webhooks.unsubscribe(tenant_webhook_id))
