"""CORS for browser clients: answered for the origins named, in front of the bearer gate but behind the same
Host and Origin checks as every request; nothing for anyone else, and nothing at all unless configured."""

from __future__ import annotations

from typing import Any

import httpx2

from ninjahire_mcp.config import Settings
from ninjahire_mcp.http import build_http_app
from ninjahire_mcp.server import build_server

from ..support.serving import serving

APP = "https://app.example.com"
INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "probe", "version": "1"}},
}
PREFLIGHT = {
    "origin": APP,
    "access-control-request-method": "POST",
    "access-control-request-headers": "authorization, content-type, mcp-session-id, mcp-protocol-version",
}
POST = {"content-type": "application/json", "accept": "application/json, text/event-stream", "origin": APP}


def app_with(**settings: Any) -> Any:
    configured = Settings(sandbox=True, transport="streamable-http", auth_token="t0ken", **settings)
    return build_http_app(configured, build_server(configured))


def test_a_named_origin_s_preflight_is_answered_without_a_token_and_its_answers_expose_the_session() -> None:
    with serving(app_with(allowed_origins=(APP,), cors_origins=(APP,))) as url:
        preflight = httpx2.options(f"{url}/mcp", headers=PREFLIGHT)
        refused = httpx2.post(f"{url}/mcp", headers=POST, json=INIT)  # no token
        started = httpx2.post(f"{url}/mcp", headers={**POST, "authorization": "Bearer t0ken"}, json=INIT)
    assert preflight.status_code == 204 and preflight.headers["access-control-allow-origin"] == APP
    allowed = preflight.headers["access-control-allow-headers"]
    assert all(name in allowed for name in ("authorization", "mcp-session-id", "mcp-protocol-version"))
    assert "POST" in preflight.headers["access-control-allow-methods"]
    for answer in (refused, started):
        assert answer.headers["access-control-allow-origin"] == APP
        exposed = answer.headers["access-control-expose-headers"]
        assert "mcp-session-id" in exposed and "www-authenticate" in exposed
    assert refused.status_code == 401 and started.status_code == 200 and started.headers["mcp-session-id"]


def test_cors_never_opens_what_the_rebinding_checks_close() -> None:
    # The origin is named for CORS but the operator did not allow it: refused as any request from it is.
    with serving(app_with(cors_origins=(APP,))) as url:
        preflight = httpx2.options(f"{url}/mcp", headers=PREFLIGHT)
        forged_host = httpx2.options(f"{url}/mcp", headers={**PREFLIGHT, "host": "evil.example"})
    assert preflight.status_code == 403 and "access-control-allow-origin" not in preflight.headers
    assert forged_host.status_code == 421 and "access-control-allow-origin" not in forged_host.headers


def test_other_origins_and_a_server_without_cors_get_no_cors_headers() -> None:
    other = {**PREFLIGHT, "origin": "https://elsewhere.example"}
    with serving(app_with(allowed_origins=(APP, "https://elsewhere.example"), cors_origins=(APP,))) as url:
        not_named = httpx2.options(f"{url}/mcp", headers=other)
    with serving(app_with(allowed_origins=(APP,))) as url:
        off = httpx2.options(f"{url}/mcp", headers=PREFLIGHT)
        posted = httpx2.post(f"{url}/mcp", headers={**POST, "authorization": "Bearer t0ken"}, json=INIT)
    for answer in (not_named, off, posted):
        assert not any(name.startswith("access-control-") for name in answer.headers), answer.headers
