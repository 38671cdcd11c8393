"""Where candidate data may be sent: set_webhook refuses what cannot be a public HTTPS endpoint before
anyone is asked, and the person who is asked sees the host as it really is."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from mcp import Client

from ..support.api import WEBHOOK_BODY, RecordingAPI


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://hooks.example.com/in", "must start with https://"),
        ("https://169.254.169.254/latest/meta-data", "not a public address"),
        ("https://0x7f.1/", "not a public address"),
        ("https://2130706433/", "not a public address"),
        ("https://127.1:8443/", "not a public address"),
        ("https://[::1]/hook", "not a public address"),
        ("https://10.0.0.7/hook", "not a public address"),
        ("https://hooks.example.com@attacker.example/", "user information"),
        ("https://localhost/hook", "only a local network resolves"),
        ("https://printer.local/hook", "only a local network resolves"),
        ("https://hooks.example.com:99999/", "port outside 1-65535"),
        ("https://hooks.example.com/in\nX-Evil: 1", "invisible or control character"),
        ("https://hooks.example.com/\u202egnp.exe", "invisible or control character (U+202E)"),
        ("https://hooks.exa\u200bmple.com/", "invisible or control character"),
    ],
)
async def test_a_url_that_cannot_be_a_public_https_endpoint_is_refused_before_anything(
    server_for: Callable[..., Any], api: RecordingAPI, url: str, why: str
) -> None:
    async with Client(server_for()) as client:
        result = await client.call_tool("set_webhook", {**WEBHOOK_BODY, "url": url})
    assert result.is_error and why in result.content[0].text, result.content[0].text
    assert api.requests == []  # not even the preview's read


async def test_a_homoglyph_host_is_shown_in_punycode_and_the_url_escaped(
    server_for: Callable[..., Any], api: RecordingAPI
) -> None:
    url = "https://h\u043eoks.example.com/in/\u00e9t\u00e9"  # a Cyrillic о in the host
    async with Client(server_for()) as client:
        preview = json.loads((await client.call_tool("set_webhook", {**WEBHOOK_BODY, "url": url})).content[0].text)
    host = preview["details"]["host"]
    assert host.startswith("xn--") and host.endswith(".example.com") and host.isascii()
    assert preview["details"]["url"].isascii() and "%C3%A9t%C3%A9" in preview["details"]["url"]
    assert preview["details"]["host"] in preview["action"]


async def test_http_is_allowed_only_when_the_setting_says_so(server_for: Callable[..., Any]) -> None:
    async with Client(server_for(webhook_allow_http=True)) as client:
        preview = await client.call_tool("set_webhook", {**WEBHOOK_BODY, "url": "http://hooks.example.com/in"})
    assert not preview.is_error and json.loads(preview.content[0].text)["status"] == "confirmation_required"
