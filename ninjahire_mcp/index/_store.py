"""One tenant's screening index: a local, searchable copy of its calls, applications, candidates and jobs.

SQLite with FTS5 (in the standard library). The words of a call (each answer, each summary category,
the digest, the transcript) are kept one piece per row in `pieces`, with `texts` as their full-text
index (external content, kept in step by triggers), so a call's words are replaced by its id alone and
a match names the field it came from. Ranking is FTS5's BM25 per piece; a call ranks by its best piece.

What was read, and when, is kept per scope ("job:<id>"): a question about a job is answered from the
index only while its scope is fresh, and says how old and how complete its data is. A fill writes a
job's records in one transaction, so a fill cut short (the process killed) leaves the job as it was,
and the next fill does it again.

Nothing here knows the API or MCP: records come in as plain rows, answers go out as plain rows.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..private_files import MEMORY, open_private_sqlite

logger = logging.getLogger(__name__)

# Where a call's words come from, as `where` names them.
ANSWERS, SUMMARY, DIGEST, TRANSCRIPT = "answers", "summary", "digest", "transcript"
FIELDS = (ANSWERS, SUMMARY, DIGEST, TRANSCRIPT)
TENANT_SCOPE = "tenant"
MARK = ("**", "**")  # around a match in a snippet
SNIPPET_TOKENS = 16
EXPIRY_EVERY = 3600.0  # seconds between two looks for jobs past their retention

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (id TEXT PRIMARY KEY, title TEXT, place TEXT);
CREATE TABLE IF NOT EXISTS candidates (id TEXT PRIMARY KEY, name TEXT);
CREATE TABLE IF NOT EXISTS applications (
    id TEXT PRIMARY KEY, job_id TEXT, candidate_id TEXT, stage TEXT, status TEXT, screening_status TEXT
);
CREATE INDEX IF NOT EXISTS applications_by_job ON applications (job_id);
CREATE INDEX IF NOT EXISTS applications_by_candidate ON applications (candidate_id);
CREATE TABLE IF NOT EXISTS calls (
    id TEXT PRIMARY KEY, application_id TEXT, job_id TEXT, candidate_id TEXT, status TEXT, score REAL,
    intelligence TEXT, created_at TEXT, ended_at TEXT,
    summary TEXT   -- the call_summary as JSON: category -> text
);
CREATE INDEX IF NOT EXISTS calls_by_job ON calls (job_id, score);
CREATE INDEX IF NOT EXISTS calls_by_application ON calls (application_id);
CREATE TABLE IF NOT EXISTS pieces (
    id INTEGER PRIMARY KEY, call_id TEXT NOT NULL, field TEXT NOT NULL,
    label TEXT,    -- the question of an answer, the category of a summary
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS pieces_by_call ON pieces (call_id);
CREATE VIRTUAL TABLE IF NOT EXISTS texts USING fts5(
    body, content='pieces', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2'
);
-- The same words, one row per call (rowid: the call's rowid) with a column per field: a query ranks and
-- counts calls with one FTS5 lookup (BM25 over the fields), however many pieces match.
CREATE VIRTUAL TABLE IF NOT EXISTS call_texts USING fts5(
    answers, summary, digest, transcript, tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS pieces_added AFTER INSERT ON pieces BEGIN
    INSERT INTO texts (rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER IF NOT EXISTS pieces_removed AFTER DELETE ON pieces BEGIN
    INSERT INTO texts (texts, rowid, body) VALUES ('delete', old.id, old.body);
END;
CREATE TABLE IF NOT EXISTS stale_calls (id TEXT PRIMARY KEY, job_id TEXT NOT NULL);  -- a webhook said so
CREATE TABLE IF NOT EXISTS tenant_jobs (id TEXT PRIMARY KEY);  -- the job list, as last read
CREATE TABLE IF NOT EXISTS scopes (
    scope TEXT PRIMARY KEY,  -- "job:<id>", or "tenant" for the job list
    read_at REAL NOT NULL,   -- when its records were read (Unix time)
    complete INTEGER NOT NULL,
    reason TEXT              -- why not complete
);
"""


class IndexUnavailable(Exception):
    """The index's file cannot be used now (a full disk, a folder that cannot be written): say so, and why."""


@dataclass(frozen=True)
class Piece:
    field: str
    body: str
    label: str | None = None


@dataclass(frozen=True)
class IndexedCall:
    id: str
    application_id: str | None
    job_id: str | None
    candidate_id: str | None
    status: str | None
    score: float | None
    intelligence: str | None
    created_at: str | None
    ended_at: str | None
    summary: Mapping[str, Any] | None
    pieces: tuple[Piece, ...] = ()


@dataclass(frozen=True)
class IndexedApplication:
    id: str
    job_id: str | None
    candidate_id: str | None
    stage: str | None
    status: str | None
    screening_status: str | None


@dataclass(frozen=True)
class Applicant:
    application_id: str
    candidate_id: str | None
    name: str | None
    stage: str | None
    screening_status: str | None
    called: bool


@dataclass(frozen=True)
class Coverage:
    read_at: float
    complete: bool
    reason: str | None = None


@dataclass(frozen=True)
class Filters:
    job_ids: tuple[str, ...] = ()
    min_score: float | None = None
    max_score: float | None = None
    intelligence: str | None = None
    category: str | None = None
    where: tuple[str, ...] = (ANSWERS, SUMMARY, DIGEST)


@dataclass(frozen=True)
class Match:
    call_id: str
    application_id: str | None
    job_id: str | None
    candidate: str | None
    score: float | None
    intelligence: str | None
    status: str | None
    field: str | None = None  # where the best match is (None when filtering without a query)
    label: str | None = None
    snippet: str | None = None


@dataclass(frozen=True)
class Found:
    total: int
    matches: list[Match] = field(default_factory=list)


@dataclass(frozen=True)
class Status:
    jobs: int
    calls: int
    bytes: int
    oldest: float | None
    newest: float | None


class ScreeningIndex:
    """One tenant's index in one file (or in memory). Its methods block: call them from a worker thread."""

    def __init__(self, path: str = MEMORY) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._lock = threading.Lock()  # one statement at a time: a connection is shared by worker threads
        self._expired_at = float("-inf")

    # ---- writing

    def replace_job(
        self,
        job: tuple[str, str | None, str | None],
        applications: Sequence[IndexedApplication],
        candidates: Iterable[tuple[str, str]],
        calls: Sequence[IndexedCall],
        coverage: Coverage,
    ) -> None:
        """A job's records as just read, in place of what was kept for it, in one transaction."""
        job_id = job[0]
        with self._transaction() as db:
            db.execute("INSERT OR REPLACE INTO jobs (id, title, place) VALUES (?, ?, ?)", job)
            db.executemany("INSERT OR REPLACE INTO candidates (id, name) VALUES (?, ?)", candidates)
            db.execute("DELETE FROM applications WHERE job_id = ?", (job_id,))
            db.executemany(
                "INSERT OR REPLACE INTO applications VALUES (?, ?, ?, ?, ?, ?)",
                [(a.id, a.job_id, a.candidate_id, a.stage, a.status, a.screening_status) for a in applications],
            )
            _delete_calls_of(db, job_id)
            for call in calls:
                self._write_call(db, call)
            db.execute("DELETE FROM stale_calls WHERE job_id = ?", (job_id,))
            db.execute(
                "INSERT OR REPLACE INTO scopes VALUES (?, ?, ?, ?)",
                (_job_scope(job_id), coverage.read_at, int(coverage.complete), coverage.reason),
            )

    def remember_names(self, names: Iterable[tuple[str, str]]) -> None:
        with self._transaction() as db:
            db.executemany("INSERT OR REPLACE INTO candidates (id, name) VALUES (?, ?)", names)

    def remember_jobs(self, job_ids: Sequence[str], coverage: Coverage) -> None:
        """The tenant's job list as just read: which jobs a question about the whole tenant covers."""
        with self._transaction() as db:
            db.execute("DELETE FROM tenant_jobs")
            db.executemany("INSERT OR IGNORE INTO tenant_jobs VALUES (?)", [(job_id.lower(),) for job_id in job_ids])
            db.execute(
                "INSERT OR REPLACE INTO scopes VALUES (?, ?, ?, ?)",
                (TENANT_SCOPE, coverage.read_at, int(coverage.complete), coverage.reason),
            )

    def tenant_jobs(self) -> tuple[list[str], Coverage | None]:
        row = self._one("SELECT read_at, complete, reason FROM scopes WHERE scope = ?", (TENANT_SCOPE,))
        jobs = [row[0] for row in self._all("SELECT id FROM tenant_jobs ORDER BY rowid")]
        return jobs, None if row is None else Coverage(float(row[0]), bool(row[1]), row[2])

    def replace_call(self, call: IndexedCall) -> None:
        """One call as just read (a webhook said it ended)."""
        with self._transaction() as db:
            self._write_call(db, call)
            db.execute("DELETE FROM stale_calls WHERE id = ?", (call.id,))

    def mark_call_stale(self, call_id: str, application_id: str | None = None) -> bool:
        """A webhook said the call changed (or began): it is read again before its job's next use. False when
        neither the call nor its application is known here (its job is read whole when first asked about)."""
        with self._transaction() as db:
            row = db.execute("SELECT job_id FROM calls WHERE id = ?", (call_id.lower(),)).fetchone()
            if row is None and application_id:
                row = db.execute("SELECT job_id FROM applications WHERE id = ?", (application_id.lower(),)).fetchone()
            if row is None or row[0] is None:
                return False
            db.execute("INSERT OR REPLACE INTO stale_calls VALUES (?, ?)", (call_id.lower(), row[0]))
            return True

    def stale_calls(self, job_id: str) -> list[str]:
        return self.stale_calls_of([job_id]).get(job_id.lower(), [])

    def forget_jobs_read_before(self, moment: float) -> int:
        """Delete every job whose records were last read before `moment`, with its calls; how many went."""
        with self._transaction() as db:
            old = [
                row[0][len("job:") :]
                for row in db.execute("SELECT scope FROM scopes WHERE read_at < ? AND scope LIKE 'job:%'", (moment,))
            ]
            for job_id in old:
                self._forget_job(db, job_id)
        return len(old)

    def expire(self, retention: float, now: float) -> int:
        """Forget the jobs not read for `retention` seconds; at most once an hour per process."""
        if now - self._expired_at < EXPIRY_EVERY:
            return 0
        self._expired_at = now
        return self.forget_jobs_read_before(now - retention)

    def forget_everything(self) -> None:
        with self._transaction() as db:
            for table in (
                "pieces",
                "call_texts",
                "calls",
                "applications",
                "candidates",
                "jobs",
                "scopes",
                "stale_calls",
                "tenant_jobs",
            ):
                db.execute(f"DELETE FROM {table}")
            db.execute("INSERT INTO texts (texts) VALUES ('rebuild')")

    # ---- reading

    def coverages(self, job_ids: Sequence[str]) -> dict[str, Coverage]:
        """What was read of each of these jobs, and when (the ones never read are left out)."""
        found: dict[str, Coverage] = {}
        for start in range(0, len(job_ids), 500):
            scopes = [_job_scope(job_id) for job_id in job_ids[start : start + 500]]
            rows = self._all(
                f"SELECT scope, read_at, complete, reason FROM scopes WHERE scope IN ({', '.join('?' * len(scopes))})",
                tuple(scopes),
            )
            found.update({row[0][len("job:") :]: Coverage(float(row[1]), bool(row[2]), row[3]) for row in rows})
        return found

    def stale_calls_of(self, job_ids: Sequence[str]) -> dict[str, list[str]]:
        """The calls a webhook said changed, by job, of these jobs."""
        wanted = {job_id.lower() for job_id in job_ids}
        found: dict[str, list[str]] = {}
        for call_id, job_id in self._all("SELECT id, job_id FROM stale_calls"):
            if job_id in wanted:
                found.setdefault(job_id, []).append(call_id)
        return found

    def coverage(self, job_id: str) -> Coverage | None:
        return self.coverages([job_id]).get(job_id.lower())

    def search(self, query: str | None, filters: Filters, limit: int) -> Found:
        """Calls ranked by their best-matching piece (BM25), or, with no query, filtered and best-scored first."""
        conditions, values = _call_conditions(filters)
        if not query:
            where = " AND ".join(conditions) or "1"
            rows = self._all(
                f"SELECT c.id, c.application_id, c.job_id, n.name, c.score, c.intelligence, c.status, "
                f"count(*) OVER () FROM calls c LEFT JOIN candidates n ON n.id = c.candidate_id WHERE {where} "
                "ORDER BY c.score IS NULL, c.score DESC, c.ended_at DESC, c.id LIMIT ?",
                (*values, limit),
            )
            return Found(int(rows[0][7]) if rows else 0, [_match(row[:7]) for row in rows])
        if filters.category is None:
            return self._search_calls(query, filters, conditions, values, limit)
        piece_conditions = [f"p.field IN ({', '.join('?' * len(filters.where))})"]
        piece_values: list[Any] = [query, *filters.where]
        if filters.category is not None:
            piece_conditions.append("(p.field != 'summary' OR lower(p.label) = lower(?))")
            piece_values.append(filters.category)
        where = " AND ".join(piece_conditions + conditions)
        rows = self._all(
            # Each call's best piece: the lowest bm25 (FTS5's scores are negative, better is lower).
            "WITH m AS (SELECT rowid AS id, bm25(texts) AS rank FROM texts WHERE texts MATCH ?), "
            "hits AS ("
            "  SELECT p.id AS piece, p.call_id, p.field, p.label, m.rank, "
            "   row_number() OVER (PARTITION BY p.call_id ORDER BY m.rank, p.id) AS nth "
            f"  FROM m JOIN pieces p ON p.id = m.id JOIN calls c ON c.id = p.call_id WHERE {where}"
            ") "
            "SELECT c.id, c.application_id, c.job_id, n.name, c.score, c.intelligence, c.status, h.field, h.label, "
            "h.piece, count(*) OVER () "
            "FROM hits h JOIN calls c ON c.id = h.call_id LEFT JOIN candidates n ON n.id = c.candidate_id "
            "WHERE h.nth = 1 ORDER BY h.rank, c.score DESC, c.id LIMIT ?",
            (query, *piece_values[1:], *values, limit),
        )
        # Snippets for the matches shown only: making one is the costly part of a search.
        snippets = (
            dict(
                self._all(
                    f"SELECT rowid, snippet(texts, 0, '{MARK[0]}', '{MARK[1]}', '…', {SNIPPET_TOKENS}) FROM texts "
                    f"WHERE texts MATCH ? AND rowid IN ({', '.join('?' * len(rows))})",
                    (query, *(row[9] for row in rows)),
                )
            )
            if rows
            else {}
        )
        return Found(
            int(rows[0][10]) if rows else 0,
            [_match(row, snippets.get(row[9])) for row in rows],
        )

    def _search_calls(
        self, query: str, filters: Filters, conditions: list[str], values: list[Any], limit: int
    ) -> Found:
        """Calls ranked by BM25 over the fields asked for, with one FTS5 lookup; then, for the calls shown only,
        the piece that matched best (an answer and its question, a summary's category) and its snippet."""
        fields = [name for name in FIELDS if name in filters.where]
        matched = "{" + " ".join(fields) + "} : (" + query + ")"
        where = " AND ".join(["call_texts MATCH ?", *conditions])
        counted = self._one(
            f"SELECT count(*) FROM call_texts m JOIN calls c ON c.rowid = m.rowid WHERE {where}", (matched, *values)
        )
        total = int(counted[0]) if counted else 0
        rows = self._all(
            "SELECT c.id, c.application_id, c.job_id, n.name, c.score, c.intelligence, c.status, m.rowid "
            "FROM call_texts m JOIN calls c ON c.rowid = m.rowid LEFT JOIN candidates n ON n.id = c.candidate_id "
            f"WHERE {where} ORDER BY m.rank, c.score DESC, c.id LIMIT ?",
            (matched, *values, limit),
        )
        if not rows:
            return Found(total)
        # Each shown call's best field: the one whose snippet marks the most matches (one lookup for them all).
        snippets = ", ".join(
            f"snippet(call_texts, {FIELDS.index(name)}, '{MARK[0]}', '{MARK[1]}', '…', {SNIPPET_TOKENS})"
            for name in fields
        )
        marked = {
            found[0]: found[1:]
            for found in self._all(
                f"SELECT rowid, {snippets} FROM call_texts WHERE call_texts MATCH ? AND rowid IN "
                f"({', '.join('?' * len(rows))})",
                (matched, *(row[7] for row in rows)),
            )
        }
        labelled = self._labelled_pieces([row[0] for row in rows])
        matches = []
        for row in rows:
            texts = marked.get(row[7], ())
            best = max(range(len(texts)), key=lambda n: (texts[n] or "").count(MARK[0]), default=None)
            if best is None:
                matches.append(_match((*row[:7], None, None)))
                continue
            found_in, snippet = fields[best], texts[best]
            label = _label_of(snippet, labelled.get((row[0], found_in), []))
            matches.append(_match((*row[:7], found_in, label), snippet))
        return Found(total, matches)

    def _labelled_pieces(self, call_ids: Sequence[str]) -> dict[tuple[str, str], list[tuple[str, str]]]:
        """(label, body) of the answers and summary categories of these calls, by (call, field)."""
        found: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for call_id, where_found, label, body in self._all(
            "SELECT call_id, field, label, body FROM pieces WHERE label IS NOT NULL AND call_id IN "
            f"({', '.join('?' * len(call_ids))}) ORDER BY id",
            tuple(call_ids),
        ):
            found.setdefault((call_id, where_found), []).append((label, body))
        return found

    def candidate_names(self, candidate_ids: Sequence[str]) -> dict[str, str]:
        """The names the index already knows, of these candidates."""
        found: dict[str, str] = {}
        for start in range(0, len(candidate_ids), 500):
            chunk = candidate_ids[start : start + 500]
            rows = self._all(
                f"SELECT id, name FROM candidates WHERE id IN ({', '.join('?' * len(chunk))}) AND name IS NOT NULL",
                tuple(chunk),
            )
            found.update({row[0]: row[1] for row in rows})
        return found

    def job_titles(self, job_ids: Sequence[str]) -> dict[str, str]:
        wanted = tuple(dict.fromkeys(job_ids))
        if not wanted:
            return {}
        rows = self._all(f"SELECT id, title FROM jobs WHERE id IN ({', '.join('?' * len(wanted))})", wanted)
        return {row[0]: row[1] for row in rows if row[1]}

    def applicants(self, job_id: str) -> list[Applicant]:
        """Every application of the job the index holds, with its candidate's name and whether it was called."""
        return [
            Applicant(*row)
            for row in self._all(
                "SELECT a.id, a.candidate_id, n.name, a.stage, a.screening_status, "
                "EXISTS (SELECT 1 FROM calls c WHERE c.application_id = a.id) "
                "FROM applications a LEFT JOIN candidates n ON n.id = a.candidate_id WHERE a.job_id = ? "
                "ORDER BY n.name, a.id",
                (job_id.lower(),),
            )
        ]

    def assessments(self, job_id: str) -> list[str | None]:
        """The ninjahire_intelligence of each of the job's calls."""
        return [row[0] for row in self._all("SELECT intelligence FROM calls WHERE job_id = ?", (job_id.lower(),))]

    def status(self) -> Status:
        jobs, oldest, newest = self._one(
            "SELECT count(*), min(read_at), max(read_at) FROM scopes WHERE scope LIKE 'job:%'"
        ) or (0, None, None)
        calls = self._one("SELECT count(*) FROM calls")
        size = 0 if self.path == MEMORY else _file_size(self.path)
        return Status(int(jobs), int(calls[0]) if calls else 0, size, oldest, newest)

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    # ---- the connection

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = self._open()
        return self._db

    def _open(self) -> sqlite3.Connection:
        try:
            db = open_private_sqlite(self.path, _SCHEMA)
            db.execute("SELECT count(*) FROM pieces").fetchone()  # a file that is not a database fails here
            return db
        except sqlite3.DatabaseError as exc:
            if _disk_full(exc):
                raise IndexUnavailable(_full_disk(self.path)) from None
            if self.path == MEMORY:
                raise
            # Unreadable (corrupt, or not a database): it only ever held a copy of what the API has.
            _remove(self.path)
            try:
                db = open_private_sqlite(self.path, _SCHEMA)
            except (OSError, sqlite3.DatabaseError) as again:
                raise IndexUnavailable(f"The screening index at {self.path} cannot be rebuilt ({again}).") from None
            # One warning: the index was a copy, the next question reads the API again.
            logger.warning(f"the screening index at {self.path} was unreadable ({exc}) and has been rebuilt empty")
            return db
        except OSError as exc:
            raise IndexUnavailable(
                f"The screening index cannot be opened at {self.path} ({exc.strerror or exc}). Point NINJAHIRE_INDEX "
                "at a writable folder, or set it to memory."
            ) from None

    def _all(self, sql: str, values: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                return list(self._connection().execute(sql, values).fetchall())
            except sqlite3.OperationalError as exc:
                raise _read_error(exc, self.path) from None

    def _one(self, sql: str, values: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        rows = self._all(sql, values)
        return rows[0] if rows else None

    def _transaction(self) -> _Transaction:
        return _Transaction(self)

    def _write_call(self, db: sqlite3.Connection, call: IndexedCall) -> None:
        """The call, its pieces and its row of call_texts, in place of what was kept for it."""
        old = db.execute("SELECT rowid FROM calls WHERE id = ?", (call.id,)).fetchone()
        if old is not None:
            db.execute("DELETE FROM call_texts WHERE rowid = ?", old)
            db.execute("DELETE FROM pieces WHERE call_id = ?", (call.id,))
        written = db.execute(
            "INSERT OR REPLACE INTO calls VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                call.id,
                call.application_id,
                call.job_id,
                call.candidate_id,
                call.status,
                call.score,
                call.intelligence,
                call.created_at,
                call.ended_at,
                json.dumps(call.summary, ensure_ascii=False) if call.summary is not None else None,
            ),
        )
        pieces = [piece for piece in call.pieces if piece.body.strip()]
        db.executemany(
            "INSERT INTO pieces (call_id, field, label, body) VALUES (?, ?, ?, ?)",
            [(call.id, piece.field, piece.label, piece.body) for piece in pieces],
        )
        columns = ["\n".join(piece.body for piece in pieces if piece.field == name) for name in FIELDS]
        db.execute(
            "INSERT INTO call_texts (rowid, answers, summary, digest, transcript) VALUES (?, ?, ?, ?, ?)",
            (written.lastrowid, *columns),
        )

    def _forget_job(self, db: sqlite3.Connection, job_id: str) -> None:
        _delete_calls_of(db, job_id)
        db.execute("DELETE FROM applications WHERE job_id = ?", (job_id,))
        db.execute("DELETE FROM jobs WHERE id = ?", (job_id,))
        db.execute("DELETE FROM scopes WHERE scope = ?", (_job_scope(job_id),))
        db.execute("DELETE FROM stale_calls WHERE job_id = ?", (job_id,))
        # Candidates no application names any more.
        db.execute("DELETE FROM candidates WHERE id NOT IN (SELECT candidate_id FROM applications)")


class _Transaction:
    """`with index._transaction() as db:` one write transaction, under the index's lock."""

    def __init__(self, index: ScreeningIndex) -> None:
        self.index = index

    def __enter__(self) -> sqlite3.Connection:
        self.index._lock.acquire()
        try:
            db = self.index._connection()
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            self.index._lock.release()
            raise _read_error(exc, self.index.path) from None
        except BaseException:
            self.index._lock.release()
            raise
        return db

    def __exit__(self, kind: Any, error: Any, _trace: Any) -> None:
        try:
            db = self.index._connection()
            if kind is None:
                try:
                    db.execute("COMMIT")
                except sqlite3.OperationalError as exc:
                    db.execute("ROLLBACK")
                    raise _read_error(exc, self.index.path) from None
            else:
                db.execute("ROLLBACK")
                if isinstance(error, sqlite3.OperationalError):
                    raise _read_error(error, self.index.path) from None
        finally:
            self.index._lock.release()


def _delete_calls_of(db: sqlite3.Connection, job_id: str) -> None:
    db.execute("DELETE FROM call_texts WHERE rowid IN (SELECT rowid FROM calls WHERE job_id = ?)", (job_id,))
    db.execute("DELETE FROM pieces WHERE call_id IN (SELECT id FROM calls WHERE job_id = ?)", (job_id,))
    db.execute("DELETE FROM calls WHERE job_id = ?", (job_id,))


def _label_of(snippet: str, pieces: Sequence[tuple[str, str]]) -> str | None:
    """The label (question, category) of the piece a snippet of its field came from: the one holding the
    snippet's longest stretch of text (a snippet is cut from the field's pieces, joined by lines)."""
    plain = snippet.replace(MARK[0], "").replace(MARK[1], "")
    stretches = sorted((part.strip() for part in re.split(r"…|\n", plain)), key=len, reverse=True)
    for stretch in stretches:
        for label, body in pieces:
            if stretch and stretch in body:
                return label
    return None


def _match(row: Sequence[Any], snippet: str | None = None) -> Match:
    call_id, application_id, job_id, candidate, score, intelligence, status, *where = row
    field, label = (where[0], where[1]) if len(where) >= 2 else (None, None)
    return Match(call_id, application_id, job_id, candidate, score, intelligence, status, field, label, snippet)


def _call_conditions(filters: Filters) -> tuple[list[str], list[Any]]:
    conditions: list[str] = []
    values: list[Any] = []
    if filters.job_ids:
        conditions.append(f"c.job_id IN ({', '.join('?' * len(filters.job_ids))})")
        values.extend(filters.job_ids)
    if filters.min_score is not None:
        conditions.append("c.score >= ?")
        values.append(filters.min_score)
    if filters.max_score is not None:
        conditions.append("c.score <= ?")
        values.append(filters.max_score)
    if filters.intelligence is not None:
        conditions.append("lower(c.intelligence) = lower(?)")
        values.append(filters.intelligence)
    if filters.category is not None:
        conditions.append(
            "EXISTS (SELECT 1 FROM pieces q WHERE q.call_id = c.id AND q.field = 'summary' "
            "AND lower(q.label) = lower(?))"
        )
        values.append(filters.category)
    return conditions, values


def _job_scope(job_id: str) -> str:
    return f"job:{job_id.lower()}"


def _disk_full(exc: sqlite3.Error) -> bool:
    return "disk is full" in str(exc) or "disk I/O error" in str(exc)


def _full_disk(path: str) -> str:
    return (
        f"The screening index cannot be written: the disk holding {path} is full. Free some space, point "
        "NINJAHIRE_INDEX at another folder, or set it to memory; the other tools work as before."
    )


def _read_error(exc: sqlite3.OperationalError, path: str) -> Exception:
    if _disk_full(exc):
        return IndexUnavailable(_full_disk(path))
    text = str(exc)
    if any(
        sign in text for sign in ("fts5", "syntax error", "no such column", "unterminated string", "unknown special")
    ):
        return QuerySyntax(text)
    return IndexUnavailable(f"The screening index at {path} cannot be read now ({text}).")


class QuerySyntax(ValueError):
    """The query is not one FTS5 reads (an unbalanced quote, a bare operator)."""


def _file_size(path: str) -> int:
    file = Path(path)
    return sum(each.stat().st_size for each in (file, Path(f"{path}-wal"), Path(f"{path}-shm")) if each.exists())


def _remove(path: str) -> None:
    for each in (Path(path), Path(f"{path}-wal"), Path(f"{path}-shm")):
        each.unlink(missing_ok=True)
