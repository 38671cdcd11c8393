"""A task handle outlives the process that issued it: the row is in the tasks' file (owner-only, beside the
guards' journal) when the handle arrives, and a restarted server answers tasks/get for it, resuming the
wait through the API until the call's screening report is the task's result.

Each process is the console script over real stdio in live mode, against the emulator as the API, sharing
the test's own data folder as the processes of one installation share the user's."""

from __future__ import annotations

import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from mcp import Client
from mcp.client.stdio import stdio_client

from ..support.serving import emulator_process, stdio_params
from .test_tasks import DeclaresTasks, confirmed_call_as_task, pending_application, task_method, until_ended

pytestmark = pytest.mark.subprocess


@pytest.fixture(scope="module")
def emulator_url() -> Iterator[str]:
    with emulator_process("--call-duration", "1") as url:
        yield url


def stored(journal: Path, task_id: str) -> tuple[str, str]:
    """The task's row as another process reads it from the file: (status, tool)."""
    with sqlite3.connect(journal) as db:
        row = db.execute("SELECT status, tool FROM call_tasks WHERE id = ?", (task_id,)).fetchone()
    assert row is not None, f"task {task_id} is not in {journal}"
    return str(row[0]), str(row[1])


async def test_a_restarted_server_answers_tasks_get_and_resumes_the_wait(
    emulator_url: str, own_data_folder: Path
) -> None:
    journal = own_data_folder / "ninjahire-mcp" / "tasks.sqlite3"
    async with Client(stdio_client(stdio_params(emulator_url)), extensions=[DeclaresTasks()]) as first:
        assert first.protocol_version == "2026-07-28"
        handle = await confirmed_call_as_task(first, await pending_application(first))
        # Read by this process while the server that wrote it is still running: committed before the handle.
        assert stored(journal, handle["taskId"]) == ("working", "instant_call")
    # The first server has exited mid-wait: nothing of the task lived only in its memory.
    assert stored(journal, handle["taskId"])[0] == "working"
    assert stat.S_IMODE(journal.stat().st_mode) == 0o600
    assert "sandbox-key" not in journal.read_bytes().decode("latin-1")  # owners are kept as keyed digests

    async with Client(stdio_client(stdio_params(emulator_url)), extensions=[DeclaresTasks()]) as restarted:
        ended = await until_ended(restarted, handle["taskId"])
    assert ended["status"] == "completed" and not ended["result"]["isError"]
    assert '"call_status":"call_' in ended["result"]["content"][0]["text"]
    assert "call_in_progress" not in ended["result"]["content"][0]["text"]
    assert stored(journal, handle["taskId"])[0] == "completed"


async def test_a_task_is_not_another_installations(emulator_url: str, tmp_path: Path) -> None:
    async with Client(stdio_client(stdio_params(emulator_url)), extensions=[DeclaresTasks()]) as first:
        handle = await confirmed_call_as_task(first, await pending_application(first, 1))
    elsewhere = stdio_params(emulator_url, NINJAHIRE_GUARD_DB=str(tmp_path / "elsewhere.sqlite3"))
    async with Client(stdio_client(elsewhere), extensions=[DeclaresTasks()]) as other:
        with pytest.raises(Exception, match="Task not found"):
            await task_method(other, "tasks/get", handle["taskId"])
    assert (tmp_path / "elsewhere-tasks.sqlite3").exists()  # its own tasks' file, beside its own guards' file
