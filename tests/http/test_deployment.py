"""The README's deployment example, run: its nginx file (TLS, round robin or sticky) in front of replicas
started with its flags, reached by MCP clients of both protocol eras. Skipped where nginx is not installed."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.types import ElicitResult

from ..support.serving import answers, free_port, wait_until

# Skipped on a machine without them; never in CI, which installs them (.ci/run): there it fails instead.
HAS_NGINX = bool(shutil.which("nginx") and shutil.which("openssl"))
pytestmark = [
    pytest.mark.subprocess,
    pytest.mark.skipif(not HAS_NGINX and not os.environ.get("CI"), reason="needs nginx and openssl"),
]

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = str(Path(sys.executable).parent / "ninjahire-mcp")
TOKEN = "deploy-test-token"
STATE_KEY = "5a" * 32
# What the test swaps in the README's nginx file, each of which must be there to be swapped.
README_PORTS = ("127.0.0.1:8001", "127.0.0.1:8002")
README_LISTEN = "listen 443 ssl;"
README_CERT = "/etc/ssl/certs/mcp.example.com.pem"
README_KEY = "/etc/ssl/private/mcp.example.com.key"
STICKY = "# ip_hash;"


def readme_block(language: str, containing: str) -> str:
    readme = (ROOT / "README.md").read_text("utf-8")
    blocks = re.findall(r"^```(\w*)\n(.*?)^```", readme, re.MULTILINE | re.DOTALL)
    (block,) = [body for lang, body in blocks if lang == language and containing in body]
    return str(block)


def replica_flags() -> list[str]:
    """The flags the README starts each replica with (after the script, `$port` still to fill in)."""
    (line,) = [line for line in readme_block("bash", "--stateless").splitlines() if "ninjahire-mcp " in line]
    words = line.split()
    start = next(i for i, word in enumerate(words) if word.endswith("ninjahire-mcp"))
    return [word for word in words[start + 1 :] if word != "&"]


@dataclass
class Deployment:
    url: str
    cert: Path
    access_log: Path
    replica_ports: list[int] = field(default_factory=list)

    def upstreams_used(self) -> set[int]:
        return {int(line.rsplit(":", 1)[1]) for line in self.access_log.read_text().split() if ":" in line}


@contextmanager
def deployment(tmp: Path, *, sticky: bool) -> Iterator[Deployment]:
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"],
        check=True, capture_output=True,
    )  # fmt: skip
    ports, listen = [free_port(), free_port()], free_port()
    site = readme_block("nginx", "upstream")
    swaps = [(README_LISTEN, f"listen 127.0.0.1:{listen} ssl;"), (README_CERT, str(cert)), (README_KEY, str(key))]
    swaps += [(old, f"127.0.0.1:{port}") for old, port in zip(README_PORTS, ports, strict=True)]
    if sticky:
        swaps.append((STICKY, "ip_hash;"))
    for old, new in swaps:
        assert old in site, f"the README's nginx file no longer has {old!r}"
        site = site.replace(old, new)
    (tmp / "site.conf").write_text(site)
    temp = " ".join(f"{kind}_temp_path {tmp / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (tmp / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"worker_processes 1;\npid {tmp / 'nginx.pid'};\nerror_log {tmp / 'error.log'} warn;\n"
        "events { worker_connections 256; }\n"
        f"http {{ log_format upstreams '$upstream_addr'; access_log {tmp / 'access.log'} upstreams; {temp}\n"
        f"include {tmp / 'site.conf'}; }}\n"
    )
    flags = replica_flags()
    if sticky:
        flags.remove("--stateless")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NINJAHIRE_")}
    env |= {"NINJAHIRE_MCP_STATE_KEY": STATE_KEY, "NINJAHIRE_MCP_TOKEN": TOKEN}
    with ExitStack() as stack:
        for port in ports:
            argv = [SCRIPT, *(str(port) if flag == '"$port"' else flag for flag in flags), "--sandbox"]
            stack.enter_context(_process(argv, env, f"http://127.0.0.1:{port}/healthz"))
        nginx = [
            "nginx",
            "-p",
            str(tmp),
            "-e",
            str(tmp / "error.log"),
            "-c",
            str(tmp / "nginx.conf"),
            "-g",
            "daemon off;",
        ]
        stack.enter_context(_process(nginx, env, None))
        wait_until(lambda: _answers(f"https://localhost:{listen}/healthz", cert), "nginx")
        yield Deployment(f"https://localhost:{listen}/mcp", cert, tmp / "access.log", ports)


@contextmanager
def _process(argv: list[str], env: dict[str, str], health: str | None) -> Iterator[None]:
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        if health:
            wait_until(lambda: process.poll() is None and _answers(health, None), argv[0], process)
        yield
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def _answers(url: str, cert: Path | None) -> bool:
    verify: Any = ssl.create_default_context(cafile=str(cert)) if cert else True
    return answers(url, verify=verify, trust_env=False)


@dataclass
class Asked:
    questions: list[str] = field(default_factory=list)

    async def decline(self, _ctx: object, params: object) -> ElicitResult:
        self.questions.append(getattr(params, "message", ""))
        return ElicitResult(action="decline")


async def scenario(deployment: Deployment, mode: str, *, elicit: bool) -> dict[str, Any]:
    """Reads, a paged read with progress, then one gated action: what the agent and the person saw."""
    asked, progress = Asked(), []

    async def on_progress(done: float, total: float | None, message: str | None) -> None:
        progress.append(message)

    verify = ssl.create_default_context(cafile=str(deployment.cert))
    headers = {"authorization": f"Bearer {TOKEN}"}
    async with (
        httpx2.AsyncClient(verify=verify, trust_env=False, timeout=30, headers=headers) as http,
        Client(streamable_http_client(deployment.url, http_client=http), mode=mode,
               elicitation_callback=asked.decline if elicit else None) as client,
    ):  # fmt: skip
        for size in (1, 2, 3, 4):
            page = await client.call_tool("get_jobs", {"size": size})
            assert not page.is_error and len(json.loads(page.content[0].text)["rows"]) == size
        job = json.loads((await client.call_tool("find_jobs", {"query": "engineer"})).content[0].text)["matches"][0]
        ranked = await client.call_tool("rank_applicants", {"job_id": job["id"]}, progress_callback=on_progress)
        assert not ranked.is_error
        question = json.loads((await client.call_tool("get_questions", {"job_id": job["id"]})).content[0].text)["data"][
            0
        ]
        arguments = {"job_id": question["job_id"], "question_id": question["id"]}
        first = json.loads((await client.call_tool("delete_question", arguments)).content[0].text)
        confirmed = None
        if "confirm_token" in first:
            again = await client.call_tool("delete_question", {**arguments, "confirm_token": first["confirm_token"]})
            confirmed = not again.is_error
    return {"asked": asked.questions, "progress": progress, "preview": first, "confirmed": confirmed}


@pytest.mark.parametrize("mode", ["legacy", "auto"])
def test_stateless_replicas_behind_tls_round_robin(tmp_path: Path, mode: str) -> None:
    with deployment(tmp_path, sticky=False) as deployed:
        seen = anyio.run(lambda: scenario(deployed, mode, elicit=True))
        used = deployed.upstreams_used()
    assert used == set(deployed.replica_ports)  # round robin: both replicas served this one client
    assert seen["progress"]  # progress needs no session
    if mode == "auto":  # 2026 era: asked, the answer taken by whichever replica, through the shared state key
        assert len(seen["asked"]) == 1 and seen["preview"]["status"] == "not_done"
    else:  # 2025 era, stateless: nothing to ask over, so a preview whose token is good on its replica only
        assert seen["asked"] == [] and "confirm_token" in seen["preview"]


def test_stateful_replicas_behind_tls_sticky(tmp_path: Path) -> None:
    with deployment(tmp_path, sticky=True) as deployed:
        asked_directly = anyio.run(lambda: scenario(deployed, "legacy", elicit=True))
        previewed = anyio.run(lambda: scenario(deployed, "legacy", elicit=False))
        used = deployed.upstreams_used()
    assert len(used) == 1  # one client address, one replica
    assert asked_directly["progress"] and len(asked_directly["asked"]) == 1
    assert previewed["confirmed"] is True  # the token went back to the replica that issued it
