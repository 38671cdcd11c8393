"""What an event is about, read from a payload whose format Ninjahire does not document.

The payload is stored whole whatever it holds; these fields only make events findable. Each is taken
from the first of its usual names that holds a string (or a number), at the top level or, failing
that, under `data` (the common webhook envelope).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# `triggered_event` and `type` are the names the webhook configuration uses (call_activity,
# post_call_screening); `event`/`event_type` are what most senders put in the payload.
EVENT_TYPE_KEYS = ("event_type", "event", "triggered_event", "type")
APPLICATION_ID_KEYS = ("application_id", "applicationId")
CALL_ID_KEYS = ("call_id", "callId")


@dataclass(frozen=True)
class EventFields:
    event_type: str | None
    application_id: str | None
    call_id: str | None


def fields_of(payload: Any) -> EventFields:
    layers = [payload] if isinstance(payload, dict) else []
    if layers and isinstance(payload.get("data"), dict):
        layers.append(payload["data"])
    return EventFields(
        event_type=_first(layers, EVENT_TYPE_KEYS),
        application_id=_first(layers, APPLICATION_ID_KEYS),
        call_id=_first(layers, CALL_ID_KEYS),
    )


def _first(layers: list[dict[str, Any]], keys: tuple[str, ...]) -> str | None:
    for layer in layers:
        for key in keys:
            value = layer.get(key)
            if isinstance(value, bool):
                continue
            if isinstance(value, str) and value.strip():
                return _encodable(value.strip())
            if isinstance(value, int):
                return str(value)
    return None


def _encodable(text: str) -> str:
    """`text` with any lone UTF-16 surrogate (from a `\\ud800` escape) spelt out, so that it can be stored."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
