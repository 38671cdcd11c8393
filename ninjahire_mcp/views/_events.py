"""A webhook event as an agent sees it: what it is about first, then the payload, candidate words fenced.

The payload format is not documented, so each event is shown whole; what a candidate said or wrote
(a transcript, answers) is defused, and the `untrusted` field names where it sits.
"""

from __future__ import annotations

from typing import Any

from ..inbox import StoredEvent
from ._untrusted import defuse, marker

EVENT_COLUMNS = ("id", "received_at", "event_type", "application_id", "call_id", "untrusted", "payload")
# Fields of a payload that carry a candidate's own words (as the call records name them).
UNTRUSTED_KEYS = frozenset({"transcript", "questions_response", "answer", "answers", "response", "responses"})


def shown_event(event: StoredEvent) -> dict[str, Any]:
    untrusted: list[str] = []
    payload = _fenced(event.payload, "payload", untrusted)
    return {
        "id": event.id,
        "received_at": event.received_at,
        "event_type": event.event_type,
        "application_id": event.application_id,
        "call_id": event.call_id,
        "untrusted": marker(*dict.fromkeys(untrusted)) if untrusted else None,
        "payload": payload,
    }


def _fenced(value: Any, path: str, untrusted: list[str], *, inside: bool = False) -> Any:
    """`value` with the text under untrusted keys defused; their paths are added to `untrusted`."""
    if isinstance(value, dict):
        shown = {}
        for key, item in value.items():
            marked = inside or key in UNTRUSTED_KEYS
            if marked and not inside and item not in (None, "", [], {}):
                untrusted.append(f"{path}.{key}")
            shown[key] = _fenced(item, f"{path}.{key}", untrusted, inside=marked)
        return shown
    if isinstance(value, list):
        return [_fenced(item, f"{path}[]", untrusted, inside=inside) for item in value]
    if inside and isinstance(value, str):
        return defuse(value)
    return value
