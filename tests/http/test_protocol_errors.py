"""Protocol errors over streamable HTTP that name the problem and the fix: an unsupported protocol
version, a request before initialize, a batch, a body that is no JSON-RPC message, a missing or wrong
bearer token (and the OAuth registration an OAuth client then tries), and the start-up line."""

from __future__ import annotations

import json
import signal
from typing import Any

import httpx2
import pytest
from mcp import Client, MCPError
from mcp.client.streamable_http import streamable_http_client

from ninjahire_mcp.config import Settings
from ninjahire_mcp.http import build_http_app
from ninjahire_mcp.server import build_server

from ..support.serving import server_process, serving

POST_HEADERS = {"content-type": "application/json", "accept": "application/json, text/event-stream"}
TOOLS_LIST = {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}
INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "probe", "version": "1"}},
}


def app_for(**overrides: Any) -> Any:
    settings = Settings(**{"sandbox": True, "transport": "streamable-http", **overrides})
    return build_http_app(settings, build_server(settings))


def error_of(response: httpx2.Response) -> dict[str, Any]:
    assert response.headers["content-type"].startswith("application/json"), response.text
    answer = response.json()
    assert answer["jsonrpc"] == "2.0" and "result" not in answer
    return dict(answer["error"])


@pytest.mark.parametrize("body", [TOOLS_LIST, INIT])
def test_an_unsupported_protocol_version_header_names_the_supported_versions(body: dict[str, Any]) -> None:
    with serving(app_for()) as url:
        response = httpx2.post(
            f"{url}/mcp", json=body, headers={**POST_HEADERS, "mcp-protocol-version": "1999-01-01"}, timeout=10
        )
    error = error_of(response)
    assert response.status_code == 400
    assert error["code"] == -32022  # UNSUPPORTED_PROTOCOL_VERSION, which 2026-era clients retry on
    assert "1999-01-01" in error["message"] and "2025-11-25" in error["message"] and "2026-07-28" in error["message"]
    assert error["data"]["requested"] == "1999-01-01" and "2025-06-18" in error["data"]["supported"]


@pytest.mark.parametrize("version", [None, "2025-11-25"])
def test_a_request_before_initialize_says_to_initialize_first(version: str | None) -> None:
    headers = POST_HEADERS | ({"mcp-protocol-version": version} if version else {})
    with serving(app_for()) as url:
        response = httpx2.post(f"{url}/mcp", json=TOOLS_LIST, headers=headers, timeout=10)
    error = error_of(response)
    assert response.status_code == 400 and error["code"] == -32600
    assert "Initialize first" in error["message"] and "Mcp-Session-Id" in error["message"]
    assert "mcp-session-id" not in response.headers  # no session was opened: none is named


@pytest.mark.parametrize("batch", [[INIT], [TOOLS_LIST, TOOLS_LIST], []])
def test_a_batch_gets_invalid_request_with_a_sentence(batch: list[dict[str, Any]]) -> None:
    with serving(app_for(stateless=True)) as url:
        response = httpx2.post(f"{url}/mcp", content=json.dumps(batch), headers=POST_HEADERS, timeout=10)
    error = error_of(response)
    assert response.status_code == 400 and error["code"] == -32600
    assert (
        error["message"].startswith("JSON-RPC batches are not accepted")
        and "one JSON-RPC message per POST" in (error["message"])
    )
    assert "pydantic" not in error["message"] and "validation" not in error["message"].lower()


def test_a_batch_over_sse_gets_invalid_request_with_a_sentence() -> None:
    with serving(app_for(transport="sse")) as url, httpx2.stream("GET", f"{url}/sse", timeout=10) as events:
        endpoint = next(line for line in events.iter_lines() if line.startswith("data:")).removeprefix("data:")
        response = httpx2.post(url + endpoint.strip(), json=[INIT], timeout=10)
    error = error_of(response)
    assert response.status_code == 400 and error["code"] == -32600
    assert error["message"].startswith("JSON-RPC batches are not accepted")


def test_a_body_that_is_no_jsonrpc_message_gets_invalid_request_without_a_pydantic_dump() -> None:
    with serving(app_for(stateless=True)) as url:
        response = httpx2.post(f"{url}/mcp", json={"method": "tools/list"}, headers=POST_HEADERS, timeout=10)
    error = error_of(response)
    assert response.status_code == 400 and error["code"] == -32600
    assert '"jsonrpc": "2.0"' in error["message"] and "pydantic" not in error["message"]


@pytest.mark.parametrize("given", [None, "Bearer not-the-token"])
def test_the_401_is_a_jsonrpc_error_that_says_what_to_send(given: str | None) -> None:
    headers = POST_HEADERS | ({"authorization": given} if given else {})
    with serving(app_for(auth_token="mcp_secret")) as url:
        response = httpx2.post(f"{url}/mcp", json=INIT, headers=headers, timeout=10)
    error = error_of(response)
    challenge = response.headers["www-authenticate"]
    assert response.status_code == 401
    assert "Authorization: Bearer <token>" in error["message"] and "NINJAHIRE_MCP_TOKEN" in error["message"]
    assert challenge.startswith("Bearer ") and "Authorization: Bearer <token>" in challenge
    # Nothing that points an OAuth client at metadata this server does not have.
    assert "resource_metadata" not in challenge
    assert ('error="invalid_token"' in challenge) == (given is not None)
    assert "mcp_secret" not in response.text + challenge


async def test_a_client_with_a_wrong_token_shows_what_to_send() -> None:
    with serving(app_for(auth_token="mcp_secret")) as url:
        async with httpx2.AsyncClient(headers={"Authorization": "Bearer wrong"}, timeout=30) as http:
            with pytest.raises(BaseException) as raised:
                async with Client(streamable_http_client(f"{url}/mcp", http_client=http)) as client:
                    await client.list_tools()
    # The SDK's client raises the server's error, inside the task group's ExceptionGroup.
    errors = [raised.value]
    while isinstance(errors[-1], BaseExceptionGroup):
        errors.append(errors[-1].exceptions[0])
    assert isinstance(errors[-1], MCPError) and "Authorization: Bearer <token>" in str(errors[-1])


def test_oauth_registration_says_the_server_takes_a_bearer_token_instead() -> None:
    # Where an OAuth client (mcp-remote, the Inspector) lands after a 401 when discovery finds no metadata.
    with serving(app_for(auth_token="mcp_secret")) as url:
        response = httpx2.post(f"{url}/register", json={"redirect_uris": ["http://localhost/cb"]}, timeout=10)
    answer = response.json()
    assert response.status_code == 404 and answer["error"] == "invalid_client_metadata"
    assert "does not implement MCP OAuth" in answer["error_description"]
    assert "Authorization: Bearer <token>" in answer["error_description"]


@pytest.mark.subprocess
def test_the_sandbox_start_up_line_claims_no_key() -> None:
    with server_process("--sandbox") as (process, _url):
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)
        _out, err = process.communicate(timeout=5)
    line = next(line for line in err.splitlines() if "serving MCP over" in line)
    assert "NINJAHIRE_API_KEY" not in line and "none needed" in line
