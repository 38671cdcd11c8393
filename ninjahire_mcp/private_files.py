"""SQLite files that hold personal data or secrets (webhook events, the call ledger, the confirmation
signing key): made readable by their owner only, whatever mode they were found with, and durable.

- The folder is made 0700 and the file 0600; a file someone made readable to others (0666, say) is
  tightened, with its WAL companions, before anything is stored in it.
- WAL with `synchronous=FULL` fsyncs every commit, and autocommit makes each statement its own
  transaction: once a statement returns, what it wrote survives a crash and a restart sees it. Other
  processes may use the same file at once (WAL, a busy timeout).
"""

from __future__ import annotations

import secrets
import sqlite3
from pathlib import Path

MEMORY = ":memory:"
# Random keys made once per file (a signing key, a digest key), in a file that has `SECRETS_TABLE`.
SECRETS_TABLE = "CREATE TABLE IF NOT EXISTS secrets (name TEXT PRIMARY KEY, value BLOB NOT NULL);\n"


def open_private_sqlite(path: str, schema: str) -> sqlite3.Connection:
    """A connection to `path` (or to a private in-memory database for ":memory:") with `schema` applied."""
    if path != MEMORY:
        file = Path(path).expanduser()
        file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        file.touch(mode=0o600, exist_ok=True)
        owner_only(file)
        path = str(file)
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=5.0)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.executescript(schema)
        if path != MEMORY:
            owner_only(Path(path))  # the -wal and -shm files WAL mode has just made
    except BaseException:
        db.close()
        raise
    return db


def file_secret(db: sqlite3.Connection, name: str) -> bytes:
    """The random secret `name` of this file: the first process to ask makes it, the rest read it."""
    db.execute("INSERT OR IGNORE INTO secrets (name, value) VALUES (?, ?)", (name, secrets.token_bytes(32)))
    (value,) = db.execute("SELECT value FROM secrets WHERE name = ?", (name,)).fetchone()
    return bytes(value)


def owner_only(file: Path) -> None:
    for each in (file, file.with_name(file.name + "-wal"), file.with_name(file.name + "-shm")):
        if each.exists() and each.stat().st_mode & 0o077:
            each.chmod(0o600)
