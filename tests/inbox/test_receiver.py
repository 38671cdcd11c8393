"""POST /webhooks/ninjahire: who gets in (signature, timestamp), what is refused (401, 400, 413), and
that a 200 means the event is stored, once."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from ninjahire_mcp.inbox import EventFilter, Inbox

from ..support.webhooks import NOW, SECRET, call_event, delivery, make_inbox, post, posting, signature, stringified


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "inbox" / "events.sqlite3"


@pytest.fixture
async def inbox(db: Path) -> AsyncIterator[Inbox]:
    inbox = make_inbox(db)
    yield inbox
    await inbox.close()


def rows(db: Path) -> list[tuple[int, str, str]]:
    """What another connection (another process, after a crash) reads from the file."""
    if not db.exists():
        return []
    with sqlite3.connect(db) as other:
        return other.execute("SELECT id, call_id, payload FROM events ORDER BY id").fetchall()


# ---- signatures -----------------------------------------------------------------------------


async def test_a_body_signed_as_sent_is_stored(inbox: Inbox, db: Path) -> None:
    async with posting(inbox) as client:
        response = await post(client, **delivery(call_event()))
    assert response.status_code == 200
    assert response.json() == {"ok": True, "id": 1}
    assert [(row[0], row[1]) for row in rows(db)] == [(1, call_event()["call_id"])]


async def test_a_body_signed_as_json_stringify_of_the_payload_is_stored(inbox: Inbox) -> None:
    # The documentation's Node.js sample signs JSON.stringify(payload), not the bytes on the wire.
    payload = call_event(candidate_name="Zoë Ångström")
    async with posting(inbox) as client:
        response = await post(client, **delivery(payload, signed=stringified(payload)))
    assert response.status_code == 200


@pytest.mark.parametrize("form", ["sha256={}", "SHA256={}", "{upper}", " {} "])
async def test_a_sha256_prefix_and_upper_case_hex_are_accepted(inbox: Inbox, form: str) -> None:
    request = delivery(call_event())
    digest = signature(request["content"])
    request["headers"]["X-NINJAHIRE-Signature"] = form.format(digest, upper=digest.upper())
    async with posting(inbox) as client:
        assert (await post(client, **request)).status_code == 200


@pytest.mark.parametrize(
    ("request_", "reason"),
    [
        (delivery(call_event(), sign=None), "missing X-NINJAHIRE-Signature"),
        (delivery(call_event(), sign="   "), "missing X-NINJAHIRE-Signature"),
        (delivery(call_event(), secret="not-the-secret"), "signature does not match"),
        (delivery(call_event(), sign="0" * 64), "signature does not match"),
        (delivery(call_event(), sign="sha1=abc"), "not a hex SHA-256 digest"),
        (delivery(call_event(), sign="zz" * 32), "not a hex SHA-256 digest"),
        (delivery(call_event(), sign=("é" * 64).encode("latin-1")), "not a hex SHA-256 digest"),
        (delivery(call_event(), signed=stringified(call_event(call_status="call_failed"))), "does not match"),
    ],
    ids=["missing", "blank", "wrong-secret", "zeros", "sha1", "not-hex", "non-ascii", "other-payload"],
)
async def test_a_missing_or_bad_signature_is_401_and_stores_nothing(
    inbox: Inbox, db: Path, request_: dict[str, object], reason: str
) -> None:
    async with posting(inbox) as client:
        response = await post(client, **request_)
    assert response.status_code == 401
    assert reason in response.json()["error"]
    assert rows(db) == []


async def test_an_altered_body_is_401(inbox: Inbox) -> None:
    request = delivery(call_event())
    request["content"] = request["content"].replace(b"87", b"99")
    async with posting(inbox) as client:
        assert (await post(client, **request)).status_code == 401


# ---- timestamps -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("timestamp", "reason"),
    [
        (NOW - 301, "stale timestamp"),
        (NOW - 86_400, "stale timestamp"),
        (NOW + 301, "in the future"),
        ((NOW + 301) * 1000, "in the future"),  # milliseconds are not seconds
        ("yesterday", "not Unix seconds"),
        ("1.7e9", "not Unix seconds"),
        ("-5", "not Unix seconds"),
        ("nan", "not Unix seconds"),
        ("", "missing X-NINJAHIRE-Timestamp"),
        (None, "missing X-NINJAHIRE-Timestamp"),
    ],
)
async def test_a_timestamp_out_of_the_window_or_unreadable_is_401(
    inbox: Inbox, db: Path, timestamp: str | float | None, reason: str
) -> None:
    async with posting(inbox) as client:
        response = await post(client, **delivery(call_event(), timestamp=timestamp))
    assert response.status_code == 401
    assert reason in response.json()["error"]
    assert rows(db) == []


@pytest.mark.parametrize("timestamp", [NOW - 300, NOW + 300, NOW, f"{NOW:.3f}"])
async def test_timestamps_within_the_window_either_way_are_accepted(inbox: Inbox, timestamp: str | float) -> None:
    async with posting(inbox) as client:
        assert (await post(client, **delivery(call_event(), timestamp=timestamp))).status_code == 200


async def test_the_window_is_the_configured_max_age(db: Path) -> None:
    inbox = make_inbox(db, max_age=30)
    async with posting(inbox) as client:
        assert (await post(client, **delivery(call_event(), timestamp=NOW - 31))).status_code == 401
        assert (await post(client, **delivery(call_event(), timestamp=NOW - 29))).status_code == 200
    await inbox.close()


# ---- bodies ---------------------------------------------------------------------------------


async def test_a_signed_body_that_is_not_json_is_400(inbox: Inbox, db: Path) -> None:
    for body in (b"call_id=1&status=done", b"", b"\xff\xfe{", b"{'single': 'quotes'}"):
        async with posting(inbox) as client:
            response = await post(client, **delivery(body=body))
        assert response.status_code == 400, body
        assert "not JSON" in response.json()["error"]
    assert rows(db) == []


async def test_an_unsigned_body_that_is_not_json_is_401_not_400(inbox: Inbox) -> None:
    # Authentication first: an unsigned caller learns nothing about how bodies are parsed.
    async with posting(inbox) as client:
        assert (await post(client, **delivery(body=b"not json", sign="0" * 64))).status_code == 401


async def test_any_json_value_is_stored_whole(inbox: Inbox, db: Path) -> None:
    # The payload format is not documented: an array or a nested envelope is kept as it came.
    payloads = [[call_event()], {"data": {"call_id": "c-9", "transcript": "BOT: hi"}, "event_type": "x"}]
    async with posting(inbox) as client:
        for payload in payloads:
            assert (await post(client, **delivery(payload))).status_code == 200
    assert [json.loads(row[2]) for row in rows(db)] == payloads
    assert [row[1] for row in rows(db)] == [None, "c-9"]


async def test_a_body_over_the_bound_is_413_before_anything_else(db: Path) -> None:
    inbox = make_inbox(db, max_body=1024)
    big = call_event(call_digest="x" * 2000)
    async with posting(inbox) as client:
        declared = await post(client, **delivery(big))
        unsigned = await post(client, **delivery(big, sign=None, timestamp=None))

        async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: the bound applies as it streams
            for _ in range(64):
                yield b"x" * 100

        streamed = await client.post(
            "/webhooks/ninjahire", content=chunks(), headers={"X-NINJAHIRE-Timestamp": str(int(NOW))}
        )
        small = await post(client, **delivery(call_event()))
    assert (declared.status_code, unsigned.status_code, streamed.status_code) == (413, 413, 413)
    assert small.status_code == 200
    assert len(rows(db)) == 1
    await inbox.close()


async def test_the_default_bound_is_one_mebibyte(inbox: Inbox) -> None:
    near = call_event(call_digest="x" * (1024 * 1024 - 400))
    over = call_event(call_digest="x" * (1024 * 1024))
    async with posting(inbox) as client:
        assert (await post(client, **delivery(near))).status_code == 200
        assert (await post(client, **delivery(over))).status_code == 413


async def test_only_post_is_served(inbox: Inbox) -> None:
    async with posting(inbox) as client:
        assert (await client.get("/webhooks/ninjahire")).status_code == 405


# ---- stored once, durably -------------------------------------------------------------------


async def test_a_repeated_delivery_is_acknowledged_but_stored_once(inbox: Inbox, db: Path) -> None:
    payload = call_event()
    async with posting(inbox) as client:
        first = await post(client, **delivery(payload))
        # The same payload again, later, re-serialised differently (key order, spacing): the same event.
        reordered = dict(reversed(list(payload.items())))
        again = await post(client, **delivery(body=json.dumps(reordered).encode(), timestamp=NOW + 120))
        other = await post(client, **delivery(call_event(call_status="call_failed")))
    assert (first.status_code, again.status_code, other.status_code) == (200, 200, 200)
    assert again.json() == {"ok": True, "id": 1, "duplicate": True}
    assert [row[0] for row in rows(db)] == [1, 2]


async def test_the_row_is_committed_before_the_2xx(inbox: Inbox, db: Path) -> None:
    # Read through a second connection while the inbox's own stays open: nothing is pending in it.
    async with posting(inbox) as client:
        response = await post(client, **delivery(call_event()))
        assert response.status_code == 200
        assert [row[0] for row in rows(db)] == [response.json()["id"]]
    with sqlite3.connect(db) as other:
        assert other.execute("PRAGMA journal_mode").fetchone() == ("wal",)


async def test_a_restarted_inbox_sees_the_events_and_still_deduplicates(db: Path) -> None:
    first = make_inbox(db)
    async with posting(first) as client:
        await post(client, **delivery(call_event()))
        await post(client, **delivery(call_event(call_id="c-2")))
    # No close(): a crash. A new inbox on the same file has everything that was acknowledged.
    restarted = make_inbox(db)
    events, total = await restarted.events(EventFilter())
    assert total == 2 and [event.call_id for event in events] == ["c-2", call_event()["call_id"]]
    async with posting(restarted) as client:
        again = await post(client, **delivery(call_event(), timestamp=NOW + 5))
    assert again.json()["duplicate"] is True
    await first.close()
    await restarted.close()


async def test_a_store_that_fails_answers_503_so_that_ninjahire_retries(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    inbox = make_inbox(blocker / "events.sqlite3")  # its folder cannot be created
    async with posting(inbox) as client:
        response = await post(client, **delivery(call_event()))
    assert response.status_code == 503


async def test_logs_never_show_the_secret_the_signature_or_the_payload(
    inbox: Inbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    payload = call_event(phone_no="+12025550123", email="dana@example.com")
    request = delivery(payload)
    async with posting(inbox) as client:
        await post(client, **request)
        await post(client, **delivery(payload, secret="wrong"))
        await post(client, **delivery(payload, timestamp=NOW - 9999))
    logged = caplog.text
    assert "refused" in logged and "stored event 1" in logged
    for secret in (SECRET, request["headers"]["X-NINJAHIRE-Signature"], "+12025550123", "dana@example.com"):
        assert secret not in logged
    assert SECRET not in repr(inbox)


async def test_a_lone_surrogate_escape_is_refused_unsigned_and_stored_signed(inbox: Inbox) -> None:
    # "\ud800" is valid JSON that decodes to text UTF-8 cannot carry: no 500 either way, nothing lost.
    body = b'{"event":"call_\\ud800","call_id":"\\udfff","note":"\\ud83d"}'
    async with posting(inbox) as client:
        forged = await post(client, **delivery(body=body, secret="not-the-secret"))
        signed = await post(client, **delivery(body=body))
        json_stringify_form = await post(
            client, **delivery(body=body.replace(b",", b", "), signed=body)
        )  # the same payload, reformatted, signed as JSON.stringify writes it: a repeat
    events, count = await inbox.events(EventFilter())
    assert forged.status_code == 401
    assert signed.status_code == 200 and json_stringify_form.json().get("duplicate") is True
    assert count == 1 and events[0].event_type == "call_\\ud800" and events[0].call_id == "\\udfff"
    assert events[0].payload == json.loads(body)


async def test_a_signed_event_nested_too_deep_is_refused_and_not_stored(inbox: Inbox) -> None:
    payload: Any = {"call_id": "c"}
    for _ in range(500):
        payload = {"nested": payload}
    async with posting(inbox) as client:
        answer = await post(client, **delivery(payload))
    assert answer.status_code == 400 and "deeper than 64 levels" in answer.json()["error"]
    assert (await inbox.events(EventFilter()))[1] == 0
