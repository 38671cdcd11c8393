"""What the guards must remember across restarts and across processes of one installation: the call
attempts (the hour's cool-down, the daily budget), the spent confirm tokens and the key that signs them,
and the actions waiting for a person to press a view's button.

A rolling restart must not phone a candidate twice, and a host that starts a new stdio server for every
tool call (langchain-mcp-adapters, llama-index) must be able to redeem the token an earlier process
issued: so all of it is kept in one owner-only SQLite file beside the webhook inbox. Statements are few
and small (a handful per phone call or token), so they run inline rather than in a worker thread.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..config import ConfigError, Settings
from ..private_files import MEMORY, SECRETS_TABLE, file_secret, open_private_sqlite

FILE_NAME = "guards.sqlite3"

_SCHEMA = (
    SECRETS_TABLE
    + """
CREATE TABLE IF NOT EXISTS spent_tokens (nonce TEXT PRIMARY KEY, expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS pending_approvals (
    handle TEXT PRIMARY KEY,      -- a hash of the handle the view holds, never the handle
    tool TEXT NOT NULL,
    arguments TEXT NOT NULL,      -- the call as it came (JSON), to run again once approved
    bound TEXT NOT NULL,          -- the digest of what was previewed: the run must match it exactly
    caller TEXT,                  -- a hash of the caller's key, in a shared deployment
    expires REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS call_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant TEXT NOT NULL,         -- a hash of the caller's key, never the key
    application TEXT NOT NULL,    -- its UUID in lower case
    at REAL NOT NULL,             -- when it was sent (Unix time)
    day TEXT NOT NULL,            -- its UTC date, for the daily budget
    placed INTEGER NOT NULL DEFAULT 0,     -- Ninjahire answered it with success
    withdrawn INTEGER NOT NULL DEFAULT 0   -- Ninjahire said it was not carried out
);
CREATE INDEX IF NOT EXISTS call_attempts_by_application ON call_attempts (tenant, application, id);
CREATE INDEX IF NOT EXISTS call_attempts_by_day ON call_attempts (tenant, day);
"""
)


class GuardJournal:
    """One connection to the guards' file (or to a private in-memory database: nothing outlives the process)."""

    def __init__(self, path: str = MEMORY) -> None:
        self.path = path
        try:
            self.db: sqlite3.Connection = open_private_sqlite(path, _SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(
                f"NINJAHIRE_GUARD_DB: cannot open {path} ({exc}). Point it at a writable file, or fix the folder's "
                "permissions."
            ) from None

    @classmethod
    def for_settings(cls, settings: Settings) -> GuardJournal:
        return cls(guard_path(settings))

    @property
    def durable(self) -> bool:
        return self.path != MEMORY

    def secret(self, name: str) -> bytes:
        """A random secret made once per installation: the first process to ask makes it, the rest read it."""
        return file_secret(self.db, name)

    def close(self) -> None:
        self.db.close()


def guard_path(settings: Settings) -> str:
    """NINJAHIRE_GUARD_DB; else, in live mode, guards.sqlite3 in the user's data folder. The sandbox phones
    nobody and its emulator lives and dies with the process, so it remembers nothing either, unless asked;
    so do settings made in code with no data folder (tests, embedding)."""
    if settings.guard_db:
        return settings.guard_db
    if settings.sandbox or not settings.data_dir:
        return MEMORY
    return str(Path(settings.data_dir) / FILE_NAME)
