"""Where call tasks are kept: one owner-only SQLite file beside the guards' journal, so that a task handle
outlives the process that issued it (a restart, or a host's fresh stdio server per request, answers
`tasks/get` for it), or a private in-memory database when the guards keep nothing either (the sandbox).

Every statement runs in autocommit on a `synchronous=FULL` WAL file (private_files.py): once `create`
returns, the row is on disk, which is what the extension waits for before it hands out the handle.
A row never holds a credential: its owner is a keyed digest of the credentials that created it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import ConfigError, Settings
from ..guards import guard_path
from ..private_files import MEMORY, SECRETS_TABLE, file_secret, open_private_sqlite

FILE_NAME = "tasks.sqlite3"
OWNER_KEY = "task-owner-key"  # its name in the secrets table

# Terminal states are never left: a late waiter cannot overwrite a cancellation, nor one waiter another's result.
WORKING, COMPLETED, FAILED, CANCELLED = "working", "completed", "failed", "cancelled"

_SCHEMA = (
    SECRETS_TABLE
    + """
CREATE TABLE IF NOT EXISTS call_tasks (
    id TEXT PRIMARY KEY,          -- secrets.token_urlsafe: the handle, unguessable
    owner TEXT NOT NULL,          -- a keyed digest of the creating request's credentials
    tool TEXT NOT NULL,           -- instant_call or wait_for_call
    call_id TEXT NOT NULL,        -- the screening call the task waits for
    status TEXT NOT NULL,
    message TEXT,
    result TEXT,                  -- JSON: the CallToolResult, once completed
    error TEXT,                   -- JSON: the JSON-RPC error, once failed
    created REAL NOT NULL,        -- Unix time
    updated REAL NOT NULL,
    expires REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS call_tasks_by_expiry ON call_tasks (expires);
"""
)


@dataclass(frozen=True)
class TaskRow:
    id: str
    tool: str
    call_id: str
    status: str
    message: str | None
    result: dict[str, Any] | None
    error: dict[str, Any] | None
    created: float
    updated: float
    expires: float


class TaskStore:
    """One connection to the tasks' file. Rows are found only by id and owner together: another owner's
    task is, to a caller, a task that does not exist."""

    def __init__(self, path: str = MEMORY) -> None:
        self.path = path
        try:
            self.db: sqlite3.Connection = open_private_sqlite(path, _SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(
                f"the tasks' file {path} cannot be opened ({exc}); it is kept beside NINJAHIRE_GUARD_DB: point that "
                "at a writable folder, or fix the folder's permissions."
            ) from None
        self._owner_key = file_secret(self.db, OWNER_KEY)

    @classmethod
    def for_settings(cls, settings: Settings) -> TaskStore:
        return cls(task_path(settings))

    def owner(self, *credentials: str | None) -> str:
        """The owner digest of these credentials: equal credentials, equal owners, across restarts (the key is
        the installation's); length-prefixed, so no split of one credential into the next is the same input."""
        digest = hmac.new(self._owner_key, digestmod=hashlib.sha256)
        for value in credentials:
            raw = (value or "").strip().encode()
            digest.update(len(raw).to_bytes(4, "big") + raw)
        return digest.hexdigest()

    def create(self, owner: str, tool: str, call_id: str, message: str, *, now: float, ttl: float) -> TaskRow:
        self.db.execute("DELETE FROM call_tasks WHERE expires < ?", (now,))
        task_id = secrets.token_urlsafe(24)
        self.db.execute(
            "INSERT INTO call_tasks (id, owner, tool, call_id, status, message, created, updated, expires) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (task_id, owner, tool, call_id, WORKING, message, now, now, now + ttl),
        )
        found = self.get(task_id, owner)
        assert found is not None
        return found

    def get(self, task_id: str, owner: str) -> TaskRow | None:
        row = self.db.execute(
            "SELECT id, tool, call_id, status, message, result, error, created, updated, expires FROM call_tasks "
            "WHERE id = ? AND owner = ?",
            (task_id, owner),
        ).fetchone()
        if row is None:
            return None
        return TaskRow(
            id=row[0],
            tool=row[1],
            call_id=row[2],
            status=row[3],
            message=row[4],
            result=None if row[5] is None else json.loads(row[5]),
            error=None if row[6] is None else json.loads(row[6]),
            created=float(row[7]),
            updated=float(row[8]),
            expires=float(row[9]),
        )

    def finish(
        self,
        task_id: str,
        status: str,
        message: str,
        *,
        now: float,
        result: dict[str, Any] | None = None,
        error: dict[str, Any] | None = None,
    ) -> bool:
        """Move a working task to a terminal status; False when it was no longer working (cancelled, say)."""
        cursor = self.db.execute(
            "UPDATE call_tasks SET status = ?, message = ?, result = ?, error = ?, updated = ? "
            "WHERE id = ? AND status = ?",
            (
                status,
                message,
                None if result is None else json.dumps(result),
                None if error is None else json.dumps(error),
                now,
                task_id,
                WORKING,
            ),
        )
        return cursor.rowcount == 1

    def forget(self, task_id: str) -> None:
        self.db.execute("DELETE FROM call_tasks WHERE id = ?", (task_id,))

    def close(self) -> None:
        self.db.close()


def task_path(settings: Settings) -> str:
    """Beside the guards' journal: tasks.sqlite3 in the data folder, or `<name>-tasks.sqlite3` beside a
    NINJAHIRE_GUARD_DB; in memory wherever the guards keep nothing (the sandbox, settings made in code)."""
    guards = guard_path(settings)
    if guards == MEMORY:
        return MEMORY
    if settings.guard_db:
        file = Path(guards)
        return str(file.with_name(f"{file.stem}-tasks{file.suffix or '.sqlite3'}"))
    return str(Path(guards).with_name(FILE_NAME))
