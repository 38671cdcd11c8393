"""The MCP Bundle (bundle/build.py): server.json's SHA-256 is what the committed tree builds, and the bundle,
unpacked and started the way Claude Desktop starts it, serves the tools its manifest lists.

The host's part is played by the official `@anthropic-ai/mcpb` package: it unpacks the bundle and resolves
the manifest's mcp_config with the user's settings (`getMcpConfigForManifest`, the routine hosts use), and
the resolved command runs under uv, as it would on a user's machine. Needs npx and uv (CI has both, and
fails without them; elsewhere these tests are skipped).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client

from bench.token_cost import app_only
from ninjahire_mcp.config import ALL_TOOLSETS, Settings

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "bundle" / "build.py"
MCPB = "@anthropic-ai/mcpb@2.1.2"
UV = shutil.which("uv", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
FIRST_START_LIMIT = 600  # seconds: the first `uv run` downloads Python packages from PyPI
# How this machine reaches PyPI (its CA bundle, a proxy, uv's own settings): a user's host has its own, and
# the SDK's stdio client passes on only HOME, PATH and the like.
NETWORK_SETTINGS = ("SSL_CERT_FILE", "SSL_CERT_DIR", "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "https_proxy", "no_proxy")

pytestmark = [
    pytest.mark.subprocess,
    pytest.mark.skipif(
        not (shutil.which("npx") and UV) and not os.environ.get("CI"), reason="needs npx (Node.js) and uv"
    ),
]


@dataclass(frozen=True)
class Built:
    bundle: Path
    check: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """One build of the working tree, by the documented command, checked against server.json."""
    output = tmp_path_factory.mktemp("dist")
    check = subprocess.run(
        [sys.executable, str(BUILD), "--output", str(output), "--check"], capture_output=True, text=True, check=False
    )
    bundles = list(output.glob("*.mcpb"))
    assert len(bundles) == 1, f"the build made no bundle:\n{check.stdout}{check.stderr}"
    return Built(bundles[0], check)


@pytest.fixture(scope="module")
def unpacked(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("extension")
    subprocess.run(["npx", "--yes", MCPB, "unpack", str(built.bundle), str(folder)], check=True, capture_output=True)
    return folder


def resolve(extension: Path, user_config: dict[str, Any]) -> dict[str, Any]:
    """The command, arguments and environment a host starts for these user settings (mcpb's own routine)."""
    bin_path = subprocess.run(
        ["npx", "--yes", "-p", MCPB, "sh", "-c", "command -v mcpb"], capture_output=True, text=True, check=True
    ).stdout.strip()
    package = Path(bin_path).resolve().parents[2]  # .../@anthropic-ai/mcpb/dist/cli/cli.js
    script = f"""
        import {{ readFileSync }} from "node:fs";
        import {{ getMcpConfigForManifest }} from {json.dumps((package / "dist" / "index.js").as_uri())};
        const manifest = JSON.parse(readFileSync({json.dumps(str(extension / "manifest.json"))}, "utf8"));
        const config = await getMcpConfigForManifest({{
            manifest, extensionPath: {json.dumps(str(extension))}, systemDirs: {{}},
            userConfig: {json.dumps(user_config)}, pathSeparator: "/",
        }});
        process.stdout.write(JSON.stringify(config));
    """
    done = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True, text=True, check=True)
    return dict(json.loads(done.stdout))


def manifest(extension: Path) -> dict[str, Any]:
    return dict(json.loads((extension / "manifest.json").read_text("utf-8")))


def test_server_json_carries_the_sha256_of_a_fresh_build(built: Built) -> None:
    assert built.check.returncode == 0, built.check.stderr  # the message names the command to run


def test_the_bundle_holds_the_package_and_what_uv_needs_to_build_it(unpacked: Path) -> None:
    for name in ("manifest.json", "icon.png", "pyproject.toml", "README.md", "LICENSE", "ninjahire_mcp/cli.py"):
        assert (unpacked / name).is_file(), name
    assert any((unpacked / "prompts").glob("*.md"))  # force-included into the wheel by pyproject.toml
    assert not list(unpacked.rglob("__pycache__")) and not list(unpacked.rglob("*.pyc"))
    assert (unpacked / "icon.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_a_newcomer_s_install_is_the_sandbox_and_a_blank_key_is_no_key(unpacked: Path) -> None:
    env = resolve(unpacked, {})["env"]
    assert "${" not in json.dumps(env)  # every optional setting has a default the host substitutes
    settings = Settings.from_env(env)
    assert settings.sandbox and settings.api_key is None
    assert settings.toolsets == Settings().toolsets
    settings.require_credentials()  # starts without a key


def test_a_user_s_key_and_choices_reach_the_server_s_settings(unpacked: Path) -> None:
    env = resolve(unpacked, {"api_key": "nh-key", "sandbox": False, "toolsets": "all"})["env"]
    settings = Settings.from_env(env)
    assert (settings.api_key, settings.sandbox, settings.toolsets) == ("nh-key", False, frozenset(ALL_TOOLSETS))


def test_the_manifest_s_version_and_python_are_the_package_s_and_the_key_is_secret(unpacked: Path) -> None:
    document = manifest(unpacked)
    project = (unpacked / "pyproject.toml").read_text("utf-8")
    assert f'version = "{document["version"]}"' in project
    assert document["compatibility"]["runtimes"]["python"] == ">=3.11"
    assert document["user_config"]["api_key"]["sensitive"] is True


@pytest.fixture(scope="module")
def served_session(unpacked: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The bundle started as a host starts it, with a newcomer's settings; what a session with it saw."""
    config = resolve(unpacked, {})
    assert config["command"] == "uv" and UV is not None
    errlog_path = tmp_path_factory.mktemp("logs") / "server.err"
    params = StdioServerParameters(
        command=UV,
        args=config["args"],
        env={
            **{name: value for name, value in os.environ.items() if name in NETWORK_SETTINGS or name.startswith("UV_")},
            **config["env"],
            "XDG_DATA_HOME": str(tmp_path_factory.mktemp("xdg-data")),
        },
    )

    async def session() -> dict[str, Any]:
        with errlog_path.open("w") as errlog, anyio.fail_after(FIRST_START_LIMIT):
            async with Client(stdio_client(params, errlog=errlog)) as client:
                tools = (await client.list_tools()).tools
                jobs = await client.call_tool("get_jobs", {"size": 3})
                return {"instructions": client.instructions or "", "tools": tools, "jobs": jobs}

    try:
        yield anyio.run(session)
    except BaseException:
        sys.stderr.write(errlog_path.read_text("utf-8")[-4000:])
        raise


def test_the_bundle_started_as_claude_desktop_does_serves_its_manifest_s_tools(
    served_session: dict[str, Any], unpacked: Path
) -> None:
    listed = {tool["name"] for tool in manifest(unpacked)["tools"]}
    # The manifest lists what a person installs for the model; the views' app-only tools are not among them.
    offered = {tool.name for tool in served_session["tools"] if not app_only(tool)}
    assert offered == listed
    assert "SANDBOX" in served_session["instructions"]


def test_the_bundle_s_server_answers_a_tool_call_from_the_sandbox(served_session: dict[str, Any]) -> None:
    jobs = served_session["jobs"]
    assert not jobs.is_error, jobs.content
    assert json.loads(jobs.content[0].text)["rows"]  # the sandbox tenant's jobs
