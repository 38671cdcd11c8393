"""The inbox's SQLite store, its file's place and permissions, and what is read from undocumented payloads."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from ninjahire_mcp.config import Settings
from ninjahire_mcp.inbox import EventFilter, EventStore, Inbox
from ninjahire_mcp.inbox.fields import fields_of

from ..support.clock import Clock
from ..support.webhooks import NOW, SECRET, call_event

T0 = datetime(2025, 6, 2, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (call_event(), ("call_activity", call_event()["application_id"], call_event()["call_id"])),
        ({"event_type": "a", "event": "b", "type": "c"}, ("a", None, None)),
        (
            {"triggered_event": "application_activty", "type": "post_call_screening"},
            ("application_activty", None, None),
        ),
        (
            {"type": "post_call_screening", "data": {"call_id": "c-1", "application_id": 42}},
            ("post_call_screening", "42", "c-1"),
        ),
        ({"event": {"nested": True}, "callId": "c-2", "applicationId": "a-2"}, (None, "a-2", "c-2")),
        ({"event": "  ", "call_id": True, "application_id": None}, (None, None, None)),
        ([{"call_id": "c-3"}], (None, None, None)),
        ("just text", (None, None, None)),
    ],
)
def test_what_an_event_is_about_is_read_from_its_usual_fields(payload: object, expected: tuple[object, ...]) -> None:
    fields = fields_of(payload)
    assert (fields.event_type, fields.application_id, fields.call_id) == expected


async def test_filters_combine_and_pages_run_newest_first(tmp_path: Path) -> None:
    store = EventStore(tmp_path / "events.sqlite3")
    for minute in range(6):
        call = f"c-{minute}"
        application = "a-even" if minute % 2 == 0 else "a-odd"
        kind = "call_activity" if minute < 4 else "application_activty"
        await store.add(
            {"event": kind, "call_id": call, "application_id": application}, received_at=T0 + timedelta(minutes=minute)
        )

    async def calls(where: EventFilter, offset: int = 0, limit: int = 10) -> tuple[list[str | None], int]:
        events, total = await store.find(where, offset=offset, limit=limit)
        return [event.call_id for event in events], total

    assert await calls(EventFilter()) == (["c-5", "c-4", "c-3", "c-2", "c-1", "c-0"], 6)
    assert await calls(EventFilter(), offset=2, limit=2) == (["c-3", "c-2"], 6)
    assert await calls(EventFilter(application_id="a-even")) == (["c-4", "c-2", "c-0"], 3)
    assert await calls(EventFilter(event_type="call_activity", application_id="a-odd")) == (["c-3", "c-1"], 2)
    assert await calls(EventFilter(call_id="c-4")) == (["c-4"], 1)
    assert await calls(EventFilter(since=T0 + timedelta(minutes=3))) == (["c-5", "c-4", "c-3"], 3)
    # A naive `since` is UTC; an aware one in another zone is converted.
    assert await calls(EventFilter(since=datetime(2025, 6, 2, 15, 4))) == (["c-5", "c-4"], 2)
    paris = datetime(2025, 6, 2, 17, 4, tzinfo=timezone(timedelta(hours=2)))
    assert await calls(EventFilter(since=paris)) == (["c-5", "c-4"], 2)
    await store.close()


async def test_equal_payloads_share_a_key_whatever_their_key_order(tmp_path: Path) -> None:
    store = EventStore(tmp_path / "events.sqlite3")
    first, new = await store.add({"a": 1, "b": [1, {"x": "é", "y": None}]}, received_at=T0)
    again, again_new = await store.add({"b": [1, {"y": None, "x": "é"}], "a": 1}, received_at=T0 + timedelta(hours=1))
    different, different_new = await store.add({"a": 1, "b": [{"x": "é", "y": None}, 1]}, received_at=T0)
    assert (new, again_new, different_new) == (True, False, True)
    assert again == first and different.id == 2
    assert first.received_at == "2025-06-02T15:00:00.000000Z"
    assert first.payload == {"a": 1, "b": [1, {"x": "é", "y": None}]}
    await store.close()


async def test_a_lone_surrogate_in_a_payload_is_stored_escaped(tmp_path: Path) -> None:
    store = EventStore(tmp_path / "events.sqlite3")
    event, _ = await store.add({"note": "\ud800"}, received_at=T0)
    assert event.payload == {"note": "\ud800"}
    await store.close()


async def test_the_file_and_its_folder_are_private(tmp_path: Path) -> None:
    path = tmp_path / "new-folder" / "events.sqlite3"
    store = EventStore(path)
    await store.open()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    await store.close()


def _default_file(env: dict[str, str], platform: str) -> Path:
    settings = Settings.from_env({**env, "NINJAHIRE_WEBHOOK_SECRET": "s"}, platform=platform)
    return Path(Inbox.from_settings(settings).store.path)


def test_the_default_file_is_in_the_user_s_data_folder() -> None:
    home = {"HOME": "/home/dana"}
    assert _default_file(home, "linux") == Path("/home/dana/.local/share/ninjahire-mcp/webhooks.sqlite3")
    assert _default_file({**home, "XDG_DATA_HOME": "/data"}, "linux") == Path("/data/ninjahire-mcp/webhooks.sqlite3")
    # A relative XDG_DATA_HOME is invalid by the spec, and ignored.
    assert _default_file({**home, "XDG_DATA_HOME": "data"}, "linux").parts[:3] == ("/", "home", "dana")
    assert _default_file(home, "darwin") == Path(
        "/home/dana/Library/Application Support/ninjahire-mcp/webhooks.sqlite3"
    )
    assert _default_file({**home, "LOCALAPPDATA": "/c/Users/dana/AppData/Local"}, "win32") == Path(
        "/c/Users/dana/AppData/Local/ninjahire-mcp/webhooks.sqlite3"
    )


def test_an_inbox_from_settings_uses_the_configured_file_and_window(tmp_path: Path) -> None:
    inbox = Inbox.from_settings(
        Settings(webhook_secret=SECRET, webhook_db=str(tmp_path / "x.sqlite3"), webhook_max_age=60)
    )
    assert (inbox.store.path, inbox.max_age) == (str(tmp_path / "x.sqlite3"), 60)
    assert not (tmp_path / "x.sqlite3").exists()  # opened when first used, not when built
    assert SECRET not in repr(inbox)
    with pytest.raises(ValueError, match="NINJAHIRE_WEBHOOK_SECRET"):
        Inbox.from_settings(Settings())
    env = Settings.from_env({"NINJAHIRE_WEBHOOK_SECRET": "s", "NINJAHIRE_WEBHOOK_DB": "/tmp/e.db"})
    assert env.inbox_enabled and Inbox.from_settings(env).store.path == "/tmp/e.db"


async def test_a_permissive_file_found_at_start_up_is_made_the_owner_s_alone(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite3"
    first = EventStore(path)
    await first.open()
    await first.close()
    for each in (path, path.with_name(path.name + "-wal")):
        if each.exists():
            each.chmod(0o666)
    store = EventStore(path)
    await store.open()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or stat.S_IMODE(wal.stat().st_mode) == 0o600
    await store.close()


async def test_events_past_their_retention_are_forgotten(tmp_path: Path) -> None:
    clock = Clock(NOW)
    inbox = Inbox(secret="s", store=EventStore(tmp_path / "e.sqlite3"), clock=clock, retention_days=30)
    await inbox.open()
    await inbox.accept(call_event(call_id="old"))
    clock.now += 31 * 86_400
    await inbox.accept(call_event(call_id="new"))  # accepting purges, at most once an hour
    events, total = await inbox.events(EventFilter())
    assert total == 1 and events[0].call_id == "new"
    await inbox.close()
