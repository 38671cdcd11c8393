"""The tenant's webhooks: where Ninjahire pushes call and application events (candidate data)."""

from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Elicit, ElicitationResult, Resolve
from pydantic import BeforeValidator, Field

from ..client import NinjahireClient, Webhook
from ..guards import Approval, Confirm, ConfirmToken, Preview, shown_url, webhook_url_problem
from ..toolkit import (
    DESTRUCTIVE,
    ENABLE,
    READ,
    Api,
    HttpUrl,
    InputError,
    ServerSettings,
    TenantWebhookId,
    given,
    tool,
    upper,
)
from ..views import INTEGER, array, mask_secrets, obj, record_schema

# What the tools answer (views/_schemas.py): a webhook (its secret only ever "[set; hidden]"), or the list.
WEBHOOK = record_schema(Webhook)
WEBHOOKS = obj({"data": array(WEBHOOK), "count": INTEGER})

# The documented body of a webhook, in the order set_webhook takes it.
WEBHOOK_FIELDS = ("tenant_id", "triggered_event", "type", "fields", "url", "http_method", "content_type", "secret",
                  "is_active")  # fmt: skip

TenantId = Annotated[str, Field(min_length=1, description="Your Ninjahire tenant id.")]
TriggeredEvent = Annotated[
    Literal["call_activity", "application_activty"],
    Field(description="Event to send; spelled exactly as the API spells it."),
]
WebhookType = Annotated[Literal["post_call_screening"], Field(description="Webhook type.")]
Fields = Annotated[
    list[Annotated[str, Field(min_length=1)]],
    Field(min_length=1, max_length=100, description="Payload fields to send, e.g. id, status, candidate_id."),
]
Url = Annotated[HttpUrl, Field(description="Where events are sent (https).")]
HttpMethod = Annotated[Literal["POST", "PUT", "PATCH"], BeforeValidator(upper), Field(description="HTTP method.")]
ContentType = Annotated[
    Literal["application/json", "application/x-www-form-urlencoded"], Field(description="Payload encoding.")
]
Secret = Annotated[str, Field(min_length=1, description="Signing secret for deliveries; never shown again.")]
IsActive = Annotated[bool, Field(description="Deliver events (default true).")]


@tool("Get webhook", READ, output=WEBHOOKS)
async def get_webhook(api: Api) -> Any:
    """Get the tenant's webhook configuration: each webhook's `id`, url, triggered_event, fields
    and whether it is active. Secrets are never shown, only whether one is set."""
    return mask_secrets((await api.webhooks.get()).data())


async def set_preview(api: NinjahireClient, body: dict[str, Any]) -> Preview:
    hooks = (await api.webhooks.get()).items
    current = next((h for h in hooks if h.triggered_event == body["triggered_event"] and not h.is_deleted), None)
    replaces = current.url if current else None
    host, url = shown_url(body["url"])
    summary = (
        f"Send {body['triggered_event']} events ({', '.join(body['fields'])}) by {body['http_method']} to "
        f"{url} (host {host})" + (f", replacing {replaces}" if replaces and replaces != body["url"] else "") + "."
    )
    return Preview(
        summary=summary,
        details={
            "url": url,
            "host": host,
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
    api: Api,
    confirm: Confirm,
    settings: ServerSettings,
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
    body = given(locals(), WEBHOOK_FIELDS)
    if webhook_url_problem(url, allow_http=settings.webhook_allow_http):
        return None  # the body refuses it: nobody is asked about a URL that cannot be used
    return await confirm.ask("set_webhook", body, confirm_token, lambda: set_preview(api, body))


@tool("Set webhook", DESTRUCTIVE, output=WEBHOOK, open_world=True, check_first="get_webhook()", view="approval")
async def set_webhook(
    api: Api,
    confirm: Confirm,
    settings: ServerSettings,
    tenant_id: TenantId,
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
    body = given(locals(), WEBHOOK_FIELDS)
    problem = webhook_url_problem(url, allow_http=settings.webhook_allow_http)
    if problem:
        raise InputError(problem)
    held = await confirm.decide(
        "set_webhook", body, confirm_token=confirm_token, approval=approval, preview=lambda: set_preview(api, body)
    )
    if held is not None:
        return held
    return _without_secret(await api.webhooks.set(body))


@tool("Resume webhook", ENABLE, output=WEBHOOK, open_world=True, check_first="get_webhook()")
async def subscribe_webhook(api: Api, tenant_webhook_id: TenantWebhookId) -> Any:
    """Resume a webhook's deliveries (undoes unsubscribe_webhook)."""
    return _without_secret(await api.webhooks.subscribe(tenant_webhook_id))


async def stop_preview(api: NinjahireClient, tenant_webhook_id: str) -> Preview:
    hooks = (await api.webhooks.get()).items
    hook = next((h for h in hooks if str(h.id) == tenant_webhook_id), None)
    if hook is None:
        return Preview(
            summary=f"Stop webhook {tenant_webhook_id} (get_webhook does not list it).",
            details={"tenant_webhook_id": tenant_webhook_id, "found": False},
        )
    return Preview(
        summary=f"Stop sending {hook.triggered_event} events to {hook.url}.",
        details={"tenant_webhook_id": tenant_webhook_id, "url": hook.url, "triggered_event": hook.triggered_event},
    )


async def ask_before_stopping(
    api: Api, confirm: Confirm, tenant_webhook_id: str, confirm_token: str | None
) -> Elicit[Approval] | None:
    arguments = {"tenant_webhook_id": tenant_webhook_id}
    return await confirm.ask(
        "unsubscribe_webhook", arguments, confirm_token, lambda: stop_preview(api, tenant_webhook_id)
    )


@tool("Stop webhook", DESTRUCTIVE, output=WEBHOOK, check_first="get_webhook()", view="approval")
async def unsubscribe_webhook(
    api: Api,
    confirm: Confirm,
    tenant_webhook_id: TenantWebhookId,
    approval: Annotated[ElicitationResult[Approval], Resolve(ask_before_stopping)],
    confirm_token: ConfirmToken = None,
) -> Any:
    """Stop a webhook's deliveries; subscribe_webhook resumes them. The first call returns a preview
    and a confirm_token (or asks the user); nothing changes until confirmed."""
    held = await confirm.decide(
        "unsubscribe_webhook",
        {"tenant_webhook_id": tenant_webhook_id},
        confirm_token=confirm_token,
        approval=approval,
        preview=lambda: stop_preview(api, tenant_webhook_id),
    )
    if held is not None:
        return held
    return _without_secret(await api.webhooks.unsubscribe(tenant_webhook_id))


def _without_secret(hook: Webhook | None) -> Any:
    """A webhook as the agent sees it: its secret never, only whether one is set."""
    return mask_secrets(hook.data()) if hook is not None else None
