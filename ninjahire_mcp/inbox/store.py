"""Accepted events, kept durably in SQLite: one row per distinct payload, committed before the 2xx.

- Durable: WAL with `synchronous=FULL` fsyncs every commit, and each insert is its own transaction,
  so once `add` returns the event survives a crash or a power cut, and a restart sees it.
- Deduplicated: a unique key on the SHA-256 of the payload's canonical JSON (keys sorted, no spaces),
  so a repeated delivery, whatever its timestamp or formatting, is acknowledged but stored once.
- Off the event loop: sqlite3 blocks, so every statement runs in a worker thread, one at a time on
  one connection (a lock), while other processes may read the same file (WAL, busy timeout).
- Personal data: the file and its folder are readable by their owner only.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import anyio.to_thread

from ..private_files import open_private_sqlite
from .fields import fields_of
from .verify import stringify

# Fixed width, so that text order is time order and `since` is a plain comparison.
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- AUTOINCREMENT: an id is never reused, so ids only grow
    received_at TEXT NOT NULL,
    event_type TEXT,
    application_id TEXT,
    call_id TEXT,
    payload TEXT NOT NULL,
    payload_sha256 TEXT NOT NULL UNIQUE
);
CREATE INDEX IF NOT EXISTS events_by_received_at ON events (received_at);
CREATE INDEX IF NOT EXISTS events_by_type ON events (event_type);
CREATE INDEX IF NOT EXISTS events_by_application ON events (application_id);
CREATE INDEX IF NOT EXISTS events_by_call ON events (call_id);
"""
_COLUMNS = "id, received_at, event_type, application_id, call_id, payload"

T = TypeVar("T")


@dataclass(frozen=True)
class StoredEvent:
    id: int
    received_at: str
    event_type: str | None
    application_id: str | None
    call_id: str | None
    payload: Any


@dataclass(frozen=True)
class EventFilter:
    since: datetime | None = None  # received at or after
    event_type: str | None = None
    application_id: str | None = None
    call_id: str | None = None


class EventStore:
    """The SQLite file at `path` (":memory:" for a store that dies with the process)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = str(path)
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    async def open(self) -> None:
        """Open (and if need be create) the file now, so that a bad path fails at start-up."""
        await self._run(lambda db: None)

    async def close(self) -> None:
        await anyio.to_thread.run_sync(self._close)

    async def add(self, payload: Any, *, received_at: datetime) -> tuple[StoredEvent, bool]:
        """Store `payload` unless an equal one is stored already; the event, and whether it is new."""
        fields = fields_of(payload)
        row = (
            utc_text(received_at),
            fields.event_type,
            fields.application_id,
            fields.call_id,
            stringify(payload).decode("utf-8"),  # whole, key order kept, a lone surrogate escaped
            payload_key(payload),
        )

        def stored(db: sqlite3.Connection) -> Any:
            return db.execute(f"SELECT {_COLUMNS} FROM events WHERE payload_sha256 = ?", (row[-1],)).fetchone()

        def insert(db: sqlite3.Connection) -> tuple[StoredEvent, bool]:
            # Looked up first, because a conflicting insert would still use up an id; the conflict
            # clause settles a race with another process writing the same file.
            found = stored(db)
            if found is not None:
                return _event(found), False
            cursor = db.execute(
                "INSERT INTO events (received_at, event_type, application_id, call_id, payload, payload_sha256) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (payload_sha256) DO NOTHING",
                row,
            )
            return _event(stored(db)), cursor.rowcount == 1

        return await self._run(insert)

    async def purge(self, *, received_before: datetime | None) -> int:
        """Delete the events received before that moment (every event, with None); how many went."""

        def delete(db: sqlite3.Connection) -> int:
            if received_before is None:
                return db.execute("DELETE FROM events").rowcount
            return db.execute("DELETE FROM events WHERE received_at < ?", (utc_text(received_before),)).rowcount

        return int(await self._run(delete))

    async def find(self, where: EventFilter, *, offset: int = 0, limit: int = 10) -> tuple[list[StoredEvent], int]:
        """Matching events, newest first, `limit` of them from `offset`; and how many match in all."""
        clauses, values = _conditions(where)
        condition = f" WHERE {' AND '.join(clauses)}" if clauses else ""

        def query(db: sqlite3.Connection) -> tuple[list[StoredEvent], int]:
            total = db.execute(f"SELECT COUNT(*) FROM events{condition}", values).fetchone()[0]
            rows = db.execute(
                f"SELECT {_COLUMNS} FROM events{condition} ORDER BY id DESC LIMIT ? OFFSET ?",
                [*values, limit, offset],
            ).fetchall()
            return [_event(row) for row in rows], int(total)

        return await self._run(query)

    # ---- the connection, used from one worker thread at a time ---------------------------------

    async def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        def locked() -> T:
            with self._lock:
                return work(self._connection())

        return await anyio.to_thread.run_sync(locked)

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = open_private_sqlite(self.path, _SCHEMA)
        return self._db

    def _close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


def payload_key(payload: Any) -> str:
    """The dedup key: equal payloads, however formatted or ordered, give the same key."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def utc_text(moment: datetime) -> str:
    """A moment as stored; a naive one is taken to be UTC already."""
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.strftime(TIME_FORMAT)


def _conditions(where: EventFilter) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    values: list[Any] = []
    if where.since is not None:
        clauses.append("received_at >= ?")
        values.append(utc_text(where.since))
    for column in ("event_type", "application_id", "call_id"):
        wanted = getattr(where, column)
        if wanted is not None:
            clauses.append(f"{column} = ?")
            values.append(wanted)
    return clauses, values


def _event(row: tuple[Any, ...]) -> StoredEvent:
    event_id, received_at, event_type, application_id, call_id, payload = row
    return StoredEvent(int(event_id), received_at, event_type, application_id, call_id, json.loads(payload))
