"""Tenant webhooks: where Ninjahire sends call and application activity."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from ..validation import BodyChecker, http_url_problem, read_json_object, string_query
from .common import emulator_of, listing, path_param, resource

# Spelled exactly as the API has them, "application_activty" included.
TRIGGERED_EVENTS = ("call_activity", "application_activty")
TYPES = ("post_call_screening",)
HTTP_METHODS = ("POST", "PUT", "PATCH")
CONTENT_TYPES = ("application/json", "application/x-www-form-urlencoded")


async def list_webhooks(request: Request) -> JSONResponse:
    tenant_id = string_query(request, "tenant_id")
    webhooks = [
        webhook for webhook in emulator_of(request).webhooks.values() if tenant_id in (None, webhook["tenant_id"])
    ]
    return listing(webhooks)


async def upsert_webhook(request: Request) -> JSONResponse:
    checker = BodyChecker(await read_json_object(request))
    checker.string("tenant_id", required=True)
    checker.choice("triggered_event", TRIGGERED_EVENTS, required=True)
    checker.choice("type", TYPES, required=True)
    fields = checker.array("fields", required=True)
    if fields is not None and not (fields and all(isinstance(field, str) and field for field in fields)):
        checker.fail("fields", "must be a non-empty array of field names")
    checker.string("url", required=True, check=http_url_problem)
    checker.choice("http_method", HTTP_METHODS, required=True)
    checker.choice("content_type", CONTENT_TYPES, required=True)
    checker.string("secret")
    checker.boolean("is_active")
    webhook, was_created = emulator_of(request).upsert_webhook(checker.finish())
    return JSONResponse(webhook, status_code=201 if was_created else 200)


async def subscribe(request: Request) -> JSONResponse:
    emulator = emulator_of(request)
    webhook = emulator.webhook(path_param(request, "tenant_webhook_id"))
    return JSONResponse(emulator.set_webhook_deleted(webhook, False))


async def unsubscribe(request: Request) -> JSONResponse:
    emulator = emulator_of(request)
    webhook = emulator.webhook(path_param(request, "tenant_webhook_id"))
    return JSONResponse(emulator.set_webhook_deleted(webhook, True))


ROUTES = [
    resource("/v1/tenant-webhook", GET=list_webhooks, POST=upsert_webhook),
    resource("/v1/tenant-webhook/subscribe/{tenant_webhook_id}", POST=subscribe),
    resource("/v1/tenant-webhook/unsubscribe/{tenant_webhook_id}", POST=unsubscribe),
]
