"""The registry entry (server.json) and the README's setup snippets: valid, consistent, and true of the server.

tests/data/server.schema.json is the MCP registry's schema of 2025-12-11, byte for byte (the sha256 is
pinned below); it came from the `skillsaw` wheel on PyPI, which vendors it from
modelcontextprotocol/static, so that validation runs offline.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import re
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
from jsonschema import Draft7Validator

import ninjahire_mcp
from ninjahire_mcp.cli import main
from ninjahire_mcp.config import ConfigError, Settings
from ninjahire_mcp.http.app import STREAMABLE_PATH
from ninjahire_mcp.toolkit import API_KEY_HEADER

from .support.serving import free_port

ROOT = Path(__file__).parent.parent
SCHEMA_PATH = Path(__file__).parent / "data" / "server.schema.json"
SCHEMA_SHA256 = "3fba09590c99f61735d234822279f4223fab9e300c0a81e81c91ab62a4114de0"
SCRIPT = str(Path(sys.executable).parent / "ninjahire-mcp")


def server_json() -> dict[str, Any]:
    return dict(json.loads((ROOT / "server.json").read_text("utf-8")))


def readme() -> str:
    return (ROOT / "README.md").read_text("utf-8")


def package(transport: str) -> dict[str, Any]:
    """The PyPI package's entry for a transport (the MCP Bundle's is `bundle_package()`)."""
    (found,) = [
        p for p in server_json()["packages"] if p["registryType"] == "pypi" and p["transport"]["type"] == transport
    ]
    return dict(found)


def bundle_package() -> dict[str, Any]:
    (found,) = [p for p in server_json()["packages"] if p["registryType"] == "mcpb"]
    return dict(found)


def help_text(*command: str) -> str:
    """What `ninjahire-mcp [command] --help` prints."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        main([*command, "--help"])
    return out.getvalue()


def test_the_schema_copy_is_the_published_one() -> None:
    assert hashlib.sha256(SCHEMA_PATH.read_bytes()).hexdigest() == SCHEMA_SHA256


def test_server_json_is_valid_against_the_registry_schema() -> None:
    schema = json.loads(SCHEMA_PATH.read_text("utf-8"))
    document = server_json()
    errors = sorted(
        Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER).iter_errors(document), key=str
    )
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    assert document["$schema"] == schema["$id"]


def test_server_json_offers_stdio_and_streamable_http_of_the_pypi_package_and_the_bundle() -> None:
    packages = server_json()["packages"]
    assert {p["registryType"] for p in packages} == {"pypi", "mcpb"}
    pypi = [p for p in packages if p["registryType"] == "pypi"]
    assert {p["identifier"] for p in pypi} == {"ninjahire-mcp"}
    assert sorted(p["transport"]["type"] for p in pypi) == ["stdio", "streamable-http"]
    for entry in pypi:
        key = next(v for v in entry["environmentVariables"] if v["name"] == "NINJAHIRE_API_KEY")
        assert key["isSecret"] is True


def test_the_bundle_entry_is_a_release_download_of_this_version_checked_by_its_sha256() -> None:
    # The digest is a fresh build's: tests/bundle/test_bundle.py builds the bundle and compares.
    entry = bundle_package()
    version = ninjahire_mcp.__version__
    assert entry["identifier"] == (
        f"https://github.com/ninjahire/ninjahire-mcp/releases/download/v{version}/ninjahire-mcp-{version}.mcpb"
    )
    assert entry["version"] == version
    assert re.fullmatch(r"[0-9a-f]{64}", entry["fileSha256"])
    assert entry["transport"] == {"type": "stdio"}
    # The bundle's settings are its manifest's user_config, not variables a registry client would ask for.
    assert "environmentVariables" not in entry and "runtimeHint" not in entry


def test_versions_agree_in_server_json_pyproject_and_the_package() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    document = server_json()
    versions = {document["version"], *(p["version"] for p in document["packages"]), pyproject}
    assert versions == {ninjahire_mcp.__version__}


def test_the_readme_that_pypi_publishes_carries_the_mcp_name_marker() -> None:
    # The registry proves PyPI ownership by finding "mcp-name: <name>" in the package description.
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert pyproject["readme"] == "README.md"
    assert f"mcp-name: {server_json()['name']}" in readme()


def _sample(variable: dict[str, Any]) -> str:
    return {"boolean": "true", "number": "3", "filepath": "/tmp"}.get(variable.get("format", "string"), "x")


@pytest.mark.parametrize("transport", ["stdio", "streamable-http"])
def test_every_advertised_variable_is_read_by_the_server_and_its_default_is_true(transport: str) -> None:
    baseline = Settings.from_env({})
    for variable in package(transport)["environmentVariables"]:
        name = variable["name"]
        try:
            changed = Settings.from_env({name: _sample(variable)}) != baseline
        except ConfigError:
            changed = True  # refused: read, and checked
        assert changed, f"{name} is advertised but the server ignores it"
        if "default" in variable:
            assert Settings.from_env({name: variable["default"]}) == baseline, f"{name}'s default is not the default"


def test_the_http_entry_s_arguments_and_headers_are_the_server_s() -> None:
    entry = package("streamable-http")
    listed = help_text()
    for argument in entry["packageArguments"]:
        assert re.search(rf"{argument['name']}\b", listed), argument["name"]
    assert entry["transport"]["url"].endswith(STREAMABLE_PATH)
    headers = {header["name"].lower() for header in entry["transport"]["headers"]}
    assert headers == {"authorization", API_KEY_HEADER}


@pytest.mark.subprocess
def test_the_http_entry_starts_a_server_that_answers_at_its_url() -> None:
    entry = package("streamable-http")
    values = {"host": "127.0.0.1", "port": str(free_port())}
    argv: list[str] = []
    for argument in entry["packageArguments"]:
        hint = argument.get("valueHint")
        argv += [argument["name"], values[hint] if hint else argument["value"]]
    url = entry["transport"]["url"].format(**values)
    process = subprocess.Popen([SCRIPT, *argv, "--sandbox"], stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not _healthy(url.removesuffix(STREAMABLE_PATH)):
            assert process.poll() is None and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)

        async def tools() -> set[str]:
            from mcp import Client

            async with Client(url) as client:
                return {tool.name for tool in (await client.list_tools()).tools}

        assert "get_jobs" in anyio.run(tools)
    finally:
        process.terminate()
        process.communicate(timeout=15)


def _healthy(base: str) -> bool:
    try:
        return httpx2.get(f"{base}/healthz", timeout=1).status_code == 200
    except httpx2.TransportError:
        return False


# The README's code blocks: every flag given to ninjahire-mcp is one it has.

CODE_BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
SHELL_OPERATORS = {"|", "||", "&&", ";", "&", ">", "2>"}
SUBCOMMANDS = {"tools", "call", "sandbox"}


def readme_blocks(*languages: str) -> list[str]:
    return [body for language, body in CODE_BLOCK.findall(readme()) if language in languages]


def flags_given_to_the_server(block: str) -> list[tuple[str, str]]:
    """(subcommand or "", flag) for each --flag that follows a ninjahire-mcp command word."""
    found = []
    for line in block.replace("\\\n", " ").splitlines():
        words = line.split()
        for start, word in enumerate(words):
            if not word.endswith("ninjahire-mcp") or word.startswith("@"):
                continue
            command = words[start + 1] if start + 1 < len(words) and words[start + 1] in SUBCOMMANDS else ""
            for later in words[start + 1 :]:
                if later in SHELL_OPERATORS or later.rstrip(";").endswith("ninjahire-mcp"):
                    break
                flag = re.match(r"\[?(--[a-z][a-z-]*)", later)
                if flag:
                    found.append((command, flag.group(1)))
    return found


def test_the_readme_gives_ninjahire_mcp_only_flags_it_has() -> None:
    given = [pair for block in readme_blocks("bash", "sh", "text") for pair in flags_given_to_the_server(block)]
    flags = {flag for _command, flag in given}
    # The HTTP snippets are among those checked.
    assert {"--transport", "--port", "--stateless", "--allowed-hosts", "--sandbox"} <= flags
    helps = {command: help_text(*([command] if command else [])) for command in {c for c, _f in given}}
    unknown = sorted({(c, f) for c, f in given if not re.search(rf"(^|[\s\[,]){f}\b", helps[c], re.MULTILINE)})
    assert not unknown, f"the README gives flags that `ninjahire-mcp --help` does not list: {unknown}"


def test_the_readme_s_json_snippets_parse_and_the_http_one_sends_the_server_s_headers() -> None:
    configs = [json.loads(block) for block in readme_blocks("json")]
    servers = [entry for config in configs for entry in config["mcpServers"].values()]
    ours = [entry for entry in servers if entry.get("command", "").endswith("/ninjahire-mcp")]
    sandbox = next(entry for entry in ours if entry.get("args") == ["--sandbox"])
    live = next(entry for entry in ours if "args" not in entry)
    assert "env" not in sandbox  # the sandbox needs no key
    assert set(live["env"]) == {"NINJAHIRE_API_KEY"}
    # A team server reached through mcp-remote: the same two headers as a client that connects to a URL.
    bridged = next(entry for entry in servers if "mcp-remote" in entry.get("args", []))
    headers = [bridged["args"][n + 1] for n, arg in enumerate(bridged["args"]) if arg == "--header"]
    assert [h.split(":")[0].lower() for h in headers] == ["authorization", API_KEY_HEADER]
    assert bridged["args"][bridged["args"].index("mcp-remote") + 1].endswith(STREAMABLE_PATH)
    http = next(entry for entry in servers if "url" in entry)
    assert http["url"].endswith(STREAMABLE_PATH)
    assert {name.lower() for name in http["headers"]} == {"authorization", API_KEY_HEADER}
    assert http["headers"]["Authorization"].startswith("Bearer ")


def test_the_readme_documents_every_http_setting() -> None:
    text = readme()
    for word in ("--allowed-hosts", "--allowed-origins", "NINJAHIRE_MCP_TOKEN", "--auth-token", "X-Ninjahire-Api-Key",
                 "--stateless", "NINJAHIRE_MCP_STATE_KEY", "--shutdown-timeout", "/healthz"):  # fmt: skip
        assert f"`{word}" in text, word


def test_the_license_file_is_the_licence_pyproject_declares() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["license"]
    text = (ROOT / "LICENSE").read_text()
    assert declared == "MIT" and text.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in text and "WITHOUT WARRANTY OF ANY KIND" in text
