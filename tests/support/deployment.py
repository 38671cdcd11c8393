"""The README's deployment, run: its nginx file (TLS, round robin or sticky) in front of replicas started
with its flags. Used by tests/http/test_deployment.py and by the load benchmark (bench/load_http.py), so
both exercise the very configuration the README documents."""

from __future__ import annotations

import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .serving import answers, free_port, wait_until

HAS_NGINX = bool(shutil.which("nginx") and shutil.which("openssl"))
ROOT = Path(__file__).resolve().parents[2]
SCRIPT = str(Path(sys.executable).parent / "ninjahire-mcp")
TOKEN = "deploy-test-token"
STATE_KEY = "5a" * 32
# What is swapped in the README's nginx file, each of which must be there to be swapped.
README_UPSTREAMS = re.compile(r"^(\s*)server 127\.0\.0\.1:800\d;\n(?:\s*server 127\.0\.0\.1:800\d;\n)*", re.MULTILINE)
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
    replica_pids: list[int] = field(default_factory=list)

    def upstreams_used(self) -> set[int]:
        return {int(line.rsplit(":", 1)[1]) for line in self.access_log.read_text().split() if ":" in line}

    def verify(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert))


@contextmanager
def deployment(
    tmp: Path,
    *,
    sticky: bool,
    replicas: int = 2,
    env: Mapping[str, str] | None = None,
    sandbox: bool = True,
    worker_connections: int = 256,
) -> Iterator[Deployment]:
    """`replicas` processes started with the README's flags (plus `--sandbox`, unless told), behind the
    README's nginx file on a free port with a throwaway certificate; `env` is added to theirs."""
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"],
        check=True, capture_output=True,
    )  # fmt: skip
    ports, listen = [free_port() for _ in range(replicas)], free_port()
    site = readme_block("nginx", "upstream")
    upstreams = README_UPSTREAMS.search(site)
    assert upstreams, "the README's nginx file no longer lists its replicas as server 127.0.0.1:800N;"
    indent = upstreams.group(1)
    site = site.replace(upstreams.group(0), "".join(f"{indent}server 127.0.0.1:{port};\n" for port in ports))
    swaps = [(README_LISTEN, f"listen 127.0.0.1:{listen} ssl;"), (README_CERT, str(cert)), (README_KEY, str(key))]
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
        f"events {{ worker_connections {worker_connections}; }}\n"
        f"http {{ log_format upstreams '$upstream_addr'; access_log {tmp / 'access.log'} upstreams; {temp}\n"
        f"include {tmp / 'site.conf'}; }}\n"
    )
    flags = replica_flags()
    if sticky:
        flags.remove("--stateless")
    if sandbox:
        flags.append("--sandbox")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NINJAHIRE_")}
    clean |= {"NINJAHIRE_MCP_STATE_KEY": STATE_KEY, "NINJAHIRE_MCP_TOKEN": TOKEN, **(env or {})}
    with ExitStack() as stack:
        pids = []
        for port in ports:
            argv = [SCRIPT, *(str(port) if flag == '"$port"' else flag for flag in flags)]
            pids.append(stack.enter_context(_process(argv, clean, f"http://127.0.0.1:{port}/healthz")))
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
        stack.enter_context(_process(nginx, clean, None))
        wait_until(lambda: _answers(f"https://localhost:{listen}/healthz", cert), "nginx")
        yield Deployment(f"https://localhost:{listen}/mcp", cert, tmp / "access.log", ports, pids)


@contextmanager
def _process(argv: list[str], env: dict[str, str], health: str | None) -> Iterator[int]:
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        if health:
            wait_until(lambda: process.poll() is None and _answers(health, None), argv[0], process)
        yield process.pid
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
