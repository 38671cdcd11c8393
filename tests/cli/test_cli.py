"""The console script as a person meets it: run as a subprocess, judged by exit status and output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ninjahire_mcp import __version__

from ..support.api import records

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


def test_help_explains_the_commands_and_sandbox_mode() -> None:
    result = run("--help")
    assert result.returncode == 0
    for words in ("SANDBOX MODE", "--sandbox", "NINJAHIRE_API_KEY", "tools", "call TOOL key=value", "sandbox"):
        assert words in result.stdout


def test_tools_lists_every_tool_one_per_line_without_a_key() -> None:
    result = run("tools", "--toolsets", "all")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 34
    assert lines[0].split()[:3] == ["get_jobs", "jobs", "read-only"]
    assert any(line.split()[:3] == ["instant_call", "calls", "real-world"] for line in lines)


def test_without_a_key_the_server_exits_at_once_with_the_fix() -> None:
    result = run()
    assert result.returncode == 2
    assert result.stdout == ""  # stdout is the protocol channel: nothing else may appear there
    assert "NINJAHIRE_API_KEY" in result.stderr and "--sandbox" in result.stderr


def test_a_bad_timeout_is_a_usage_error() -> None:
    result = run("--sandbox", env={"NINJAHIRE_TIMEOUT": "soon"})
    assert result.returncode == 2
    assert "NINJAHIRE_TIMEOUT must be a number of seconds" in result.stderr


def test_serving_says_what_and_where_on_stderr_and_keeps_stdout_for_the_protocol() -> None:
    result = run("--sandbox")  # stdin is empty: the host "disconnects" at once and the server stops
    assert result.returncode == 0
    assert result.stdout == ""
    assert f"ninjahire-mcp {__version__}: serving 30 tools over stdio, SANDBOX MODE" in result.stderr
    assert "ninjahire-mcp call get_jobs --sandbox" in result.stderr


def test_serving_live_names_the_tenant_url() -> None:
    result = run(env={"NINJAHIRE_API_KEY": "nh_live_secret", "NINJAHIRE_BASE_URL": "http://127.0.0.1:9"})
    assert result.returncode == 0
    assert "LIVE tenant at http://127.0.0.1:9" in result.stderr
    assert "nh_live_secret" not in result.stderr + result.stdout


def test_call_runs_a_tool_and_prints_its_result() -> None:
    result = run("call", "get_jobs", "size=3", "--sandbox")
    assert result.returncode == 0, result.stderr
    page = json.loads(result.stdout)
    assert page["size"] == 3 and len(page["rows"]) == 3 and page["next_page"] == 2


def test_call_types_values_by_the_tool_schema() -> None:
    jobs = records(json.loads(run("call", "get_jobs", "size=100", "--sandbox").stdout))
    source_id = jobs[0]["source_id"]
    # source_id is text, so even a numeric-looking value stays a string; size becomes an integer.
    result = run("call", "get_jobs", f"source_id={source_id}", "size=5", "--sandbox")
    assert result.returncode == 0, result.stdout
    assert [job["source_id"] for job in records(json.loads(result.stdout))] == [source_id]


def test_call_reports_a_tool_error_with_exit_status_1() -> None:
    result = run("call", "get_job", "job_id=JOB-1001", "--sandbox")
    assert result.returncode == 1
    assert "get_jobs(source_id='JOB-1001')" in result.stdout


def test_call_of_an_unknown_tool_suggests_the_nearest() -> None:
    result = run("call", "get_job_list", "--sandbox")
    assert result.returncode == 2
    assert "Did you mean get_jobs" in result.stderr or "Did you mean get_job" in result.stderr


def test_call_rejects_words_that_are_not_key_value() -> None:
    result = run("call", "get_jobs", "page", "--sandbox")
    assert result.returncode == 2
    assert "arguments are key=value" in result.stderr


def test_call_without_a_key_or_sandbox_exits_with_the_fix() -> None:
    result = run("call", "get_jobs")
    assert result.returncode == 2
    assert "NINJAHIRE_API_KEY" in result.stderr


def test_python_dash_m_is_the_same_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ninjahire_mcp", "--version"], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == f"ninjahire-mcp {__version__}"


def test_the_markdown_table_is_the_readme_s() -> None:
    result = run("tools", "--markdown")
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    assert result.returncode == 0
    assert result.stdout.strip() in readme


def test_tools_honours_the_selection_flags() -> None:
    read_only = run("tools", "--toolsets", "all", "--read-only")
    assert read_only.returncode == 0
    assert {line.split()[2] for line in read_only.stdout.splitlines()} == {"read-only"}
    default = run("tools")
    assert len(default.stdout.splitlines()) == 30 and "set_webhook" not in default.stdout
    bad = run("tools", "--toolsets", "payroll")
    assert bad.returncode == 2 and "unknown toolset(s) payroll" in bad.stderr


def test_the_in_process_sandbox_takes_faults_and_its_timeout_holds() -> None:
    # A 503 that outlasts the retries, then a body that never ends: each is an error result in time.
    env = {"NINJAHIRE_SANDBOX_FAULTS": "503 GET /v1/jobs times=always", "NINJAHIRE_TIMEOUT": "1"}
    unavailable = run("call", "get_jobs", "--sandbox", env=env)
    hanging = run(
        "call", "get_candidates", "--sandbox", env={**env, "NINJAHIRE_SANDBOX_FAULTS": "hang GET /v1/candidates"}
    )
    bad = run("call", "get_jobs", "--sandbox", env={"NINJAHIRE_SANDBOX_FAULTS": "explode GET *"})
    assert unavailable.returncode == 1 and "503" in unavailable.stdout
    # The hang spoils the first answer; the read is retried, and the second, healthy, answers.
    assert hanging.returncode == 0, hanging.stdout + hanging.stderr
    assert bad.returncode == 2 and "NINJAHIRE_SANDBOX_FAULTS" in bad.stderr
