"""What each command does, run in-process through `cli.main`: exit status, stdout and stderr, as a
person at a terminal reads them. (The process itself is tested in test_cli.py.)"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import anyio
import pytest

from ninjahire_mcp.cli import main
from ninjahire_mcp.inbox import EventFilter, EventStore

from ..support.api import records


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


Run = Callable[..., Ran]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Iterator[Run]:
    """`ninjahire-mcp ARGS` with only the NINJAHIRE_ variables given (the rest of the environment as is)."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level

    def ran(*args: str, env: dict[str, str] | None = None) -> Ran:
        with monkeypatch.context() as patched:
            for name in [name for name in os.environ if name.startswith("NINJAHIRE_")]:
                patched.delenv(name)
            for name, value in (env or {}).items():
                patched.setenv(name, value)
            capsys.readouterr()
            try:
                code = main(list(args))
            except SystemExit as exit:  # --help, and argparse's own usage errors
                code = int(exit.code or 0)
            out, err = capsys.readouterr()
        return Ran(code, out, err)

    yield ran
    root.handlers[:], root.level = handlers, level  # main() configures logging for the process


def test_help_explains_the_commands_and_sandbox_mode(run: Run) -> None:
    result = run("--help")
    assert result.returncode == 0
    for words in ("SANDBOX MODE", "--sandbox", "NINJAHIRE_API_KEY", "tools", "call TOOL key=value", "sandbox"):
        assert words in result.stdout


def test_tools_lists_every_tool_one_per_line_without_a_key(run: Run) -> None:
    result = run("tools", "--toolsets", "all")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 37
    assert lines[0].split()[:3] == ["get_jobs", "jobs", "read-only"]
    assert any(line.split()[:3] == ["instant_call", "calls", "real-world"] for line in lines)


def test_a_bad_timeout_is_a_usage_error(run: Run) -> None:
    result = run("--sandbox", env={"NINJAHIRE_TIMEOUT": "soon"})
    assert result.returncode == 2
    assert "NINJAHIRE_TIMEOUT must be a number of seconds" in result.stderr


def test_call_runs_a_tool_and_prints_its_result(run: Run) -> None:
    result = run("call", "get_jobs", "size=3", "--sandbox")
    assert result.returncode == 0, result.stderr
    page = json.loads(result.stdout)
    assert page["size"] == 3 and len(page["rows"]) == 3 and page["next_page"] == 2


def test_call_types_values_by_the_tool_schema(run: Run) -> None:
    # source_id is text: "1001" must go as the string it is (read as JSON, it would be the integer
    # 1001, which the tool refuses). size is an integer: "5" is read as 5.
    numeric = run("call", "get_jobs", "source_id=1001", "size=5", "--sandbox")
    assert numeric.returncode == 0, numeric.stdout
    assert json.loads(numeric.stdout)["count"] == 0
    # days_of_week is a list: "5,1" is read as [5, 1] (as text, the tool would refuse it).
    job = records(json.loads(run("call", "get_jobs", "size=1", "--sandbox").stdout))[0]
    changed = run("call", "update_schedule_settings", f"job_id={job['id']}", "days_of_week=5,1", "--sandbox")
    assert changed.returncode == 0, changed.stdout
    assert json.loads(changed.stdout)["changed"]["days_of_week"]["to"] == [5, 1]


def test_call_reports_a_tool_error_with_exit_status_1(run: Run) -> None:
    result = run("call", "get_job", "job_id=JOB-1001", "--sandbox")
    assert result.returncode == 1
    assert "get_jobs(source_id='JOB-1001')" in result.stdout


def test_call_of_an_unknown_tool_suggests_the_nearest(run: Run) -> None:
    result = run("call", "get_job_list", "--sandbox")
    assert result.returncode == 2
    assert "Did you mean get_jobs" in result.stderr or "Did you mean get_job" in result.stderr


def test_call_rejects_words_that_are_not_key_value(run: Run) -> None:
    result = run("call", "get_jobs", "page", "--sandbox")
    assert result.returncode == 2
    assert "arguments are key=value" in result.stderr


def test_call_without_a_key_or_sandbox_exits_with_the_fix(run: Run) -> None:
    result = run("call", "get_jobs")
    assert result.returncode == 2
    assert "NINJAHIRE_API_KEY" in result.stderr


def test_the_markdown_table_is_the_readme_s(run: Run) -> None:
    result = run("tools", "--markdown")
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    assert result.returncode == 0
    assert result.stdout.strip() in readme


def test_tools_honours_the_selection_flags(run: Run) -> None:
    read_only = run("tools", "--toolsets", "all", "--read-only")
    assert read_only.returncode == 0
    assert {line.split()[2] for line in read_only.stdout.splitlines()} == {"read-only"}
    default = run("tools")
    assert len(default.stdout.splitlines()) == 31 and "set_webhook" not in default.stdout
    bad = run("tools", "--toolsets", "payroll")
    assert bad.returncode == 2 and "unknown toolset(s) payroll" in bad.stderr


def test_the_in_process_sandbox_takes_faults_and_its_timeout_holds(run: Run) -> None:
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


def test_inbox_purge_deletes_events_past_their_retention_or_all(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite3"

    async def store_two() -> None:
        store = EventStore(path)
        now = datetime.now(UTC)
        await store.add({"call_id": "old"}, received_at=now - timedelta(days=40))
        await store.add({"call_id": "new"}, received_at=now)
        await store.close()

    async def left() -> list[str | None]:
        store = EventStore(path)
        events, _ = await store.find(EventFilter())
        await store.close()
        return [event.call_id for event in events]

    anyio.run(store_two)
    purged = run("inbox", "purge", env={"NINJAHIRE_WEBHOOK_DB": str(path)})
    assert purged.returncode == 0 and "deleted 1 webhook event(s) (events older than 30 days)" in purged.stderr
    assert anyio.run(left) == ["new"]
    everything = run("inbox", "purge", "--all", env={"NINJAHIRE_WEBHOOK_DB": str(path)})
    assert everything.returncode == 0 and "deleted 1 webhook event(s) (every event)" in everything.stderr
    assert anyio.run(left) == []


def test_index_status_and_purge_show_and_delete_each_tenant_s_index(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "index"
    env = {"NINJAHIRE_INDEX": str(folder)}
    assert "No screening index in" in run("index", "status", env=env).stdout

    asked = run("call", "search_screening", "query=nights", "--sandbox", env=env)
    assert asked.returncode == 0 and json.loads(asked.stdout)["total_matches"] > 0
    (file,) = folder.glob("*.sqlite3")
    assert oct(file.stat().st_mode & 0o777) == "0o600"
    status = run("index", "status", env=env)
    assert status.returncode == 0 and f"  {file.stem}: 130 calls, 7 jobs, " in status.stdout
    assert "read 0 s ago" in status.stdout or "read 1 s ago" in status.stdout

    kept = run("index", "purge", env=env)
    assert "deleted 0 job(s) not read for 30 days" in kept.stderr
    gone = run("index", "purge", env={**env, "NINJAHIRE_INDEX_RETENTION_DAYS": "0.00000001"})
    assert "deleted 7 job(s) not read for " in gone.stderr
    assert ": 0 calls, 0 jobs," in run("index", "status", env=env).stdout
    everything = run("index", "purge", "--all", env=env)
    assert "deleted the screening index of 1 tenant(s)" in everything.stderr and not list(folder.iterdir())


def test_index_commands_say_when_nothing_is_kept_on_disk(run: Run) -> None:
    assert "The screening index is off" in run("index", "status", env={"NINJAHIRE_INDEX": "off"}).stdout
    memory = run("index", "purge", env={"NINJAHIRE_INDEX": "memory"})
    assert memory.returncode == 0 and "keeps nothing on disk" in memory.stderr
