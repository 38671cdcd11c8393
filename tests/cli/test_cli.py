"""The console script where the process is what is tested: its exit, its stdout kept for the protocol, stdio serving.

Everything else the command does is tested in-process (test_commands.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ninjahire_mcp import __version__

SCRIPT = str(Path(sys.executable).parent / "ninjahire-mcp")
pytestmark = pytest.mark.subprocess


def run(*args: str, env: dict[str, str] | None = None, stdin: str = "") -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NINJAHIRE_")}
    return subprocess.run(
        [SCRIPT, *args], input=stdin, capture_output=True, text=True, timeout=60, env={**clean, **(env or {})}
    )


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"ninjahire-mcp {__version__}"


def test_without_a_key_the_server_exits_at_once_with_the_fix() -> None:
    result = run()
    assert result.returncode == 2
    assert result.stdout == ""  # stdout is the protocol channel: nothing else may appear there
    assert "NINJAHIRE_API_KEY" in result.stderr and "--sandbox" in result.stderr


def test_serving_says_what_and_where_on_stderr_and_keeps_stdout_for_the_protocol() -> None:
    result = run("--sandbox")  # stdin is empty: the host "disconnects" at once and the server stops
    assert result.returncode == 0
    assert result.stdout == ""
    assert f"ninjahire-mcp {__version__}: serving 31 tools over stdio, SANDBOX MODE" in result.stderr
    assert "ninjahire-mcp call get_jobs --sandbox" in result.stderr


def test_serving_live_names_the_tenant_url() -> None:
    result = run(env={"NINJAHIRE_API_KEY": "nh_live_secret", "NINJAHIRE_BASE_URL": "http://127.0.0.1:9"})
    assert result.returncode == 0
    assert "LIVE tenant at http://127.0.0.1:9" in result.stderr
    assert "nh_live_secret" not in result.stderr + result.stdout


def test_a_guards_file_that_cannot_be_opened_stops_the_server_naming_the_setting(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = run(env={"NINJAHIRE_API_KEY": "nh_live_secret", "NINJAHIRE_GUARD_DB": f"{blocker}/guards.sqlite3"})
    assert result.returncode == 2 and result.stdout == ""
    assert f"NINJAHIRE_GUARD_DB: cannot open {blocker}/guards.sqlite3" in result.stderr
    assert "Point it at a writable file" in result.stderr


def test_ctrl_c_stops_the_stdio_server_while_it_waits_for_the_host() -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NINJAHIRE_")}
    server = subprocess.Popen(
        [SCRIPT, "--sandbox"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=clean
    )
    try:
        # Up and waiting on stdin (the host has sent nothing yet): what a user stops with Ctrl+C.
        assert server.stderr is not None and "Waiting for an MCP host" in server.stderr.readline().decode()
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=20) == 0  # before: it waited for a line the host never sent
    finally:
        if server.poll() is None:
            server.kill()
        server.communicate(timeout=10)


def test_python_dash_m_is_the_same_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ninjahire_mcp", "--version"], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == f"ninjahire-mcp {__version__}"
