"""Events Ninjahire pushed to this server's webhook inbox: read instead of polling.

Served only while the inbox is on (NINJAHIRE_WEBHOOK_SECRET set). The payload format is not
documented, so each event is shown whole; what a candidate said or wrote (a transcript, answers) is
fenced as untrusted, and --redact-pii masks contact details as everywhere else (in `_tool.py`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from mcp.server.mcpserver import Context
from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from ..inbox.store import EventFilter, StoredEvent
from . import _checks
from ._checks import GUARDRAIL
from ._context import state
from ._params import ApplicationId, CallId, Page, Size
from ._refusal import Refusal
from ._registry import READ, Toolset
from ._results import page_of
from ._untrusted import defuse, marker

toolset = Toolset("events")

EVENT_COLUMNS = ("id", "received_at", "event_type", "application_id", "call_id", "untrusted", "payload")
# Fields of a payload that carry a candidate's own words (as the call records name them).
UNTRUSTED_KEYS = frozenset({"transcript", "questions_response", "answer", "answers", "response", "responses"})

NO_EVENTS_YET = (
    "No events yet. Ninjahire sends them only if the tenant's webhook configuration points at the "
    "/webhooks/ninjahire URL of a server run over HTTP with this NINJAHIRE_WEBHOOK_SECRET (one over stdio "
    "receives none itself: it reads what such a server stores in the same NINJAHIRE_WEBHOOK_DB)."
)


def _storable_moment(text: str) -> str:
    """A `since` that compares with stored times: in UTC, a four-digit year (stored times are text)."""
    try:
        year = _moment(text).astimezone(UTC).year
    except OverflowError:
        year = 0
    if not 1000 <= year <= 9999:
        raise PydanticCustomError(GUARDRAIL, f"must be a time between the years 1000 and 9999 in UTC, got {text!r}.")
    return text


Since = Annotated[
    str,
    AfterValidator(_checks.iso_date),
    AfterValidator(_storable_moment),
    Field(
        description="Only events received at or after this time: ISO 8601, UTC unless it says (2025-06-02T15:00:00Z)."
    ),
]
EventType = Annotated[
    str,
    BeforeValidator(_checks.stripped),
    Field(min_length=1, max_length=100, description="Only this event type, as the payload names it (call_activity)."),
]


@toolset.tool("Get webhook events", READ)
async def get_webhook_events(
    ctx: Context,
    since: Since | None = None,
    event_type: EventType | None = None,
    application_id: ApplicationId | None = None,
    call_id: CallId | None = None,
    page: Page = 1,
    size: Size = 10,
) -> Any:
    """List events Ninjahire pushed to this server's webhook inbox, newest first, paged: a screening
    call that ended, say (call_activity, with call_id and call_status). Check here instead of polling
    get_call or wait_for_call, then get_call(call_id) for the report. Each event has its `id`,
    received_at, event_type, application_id, call_id and the payload as sent; a repeated delivery is
    listed once."""
    inbox = state(ctx).inbox
    if inbox is None:
        raise Refusal("The webhook inbox is off: set NINJAHIRE_WEBHOOK_SECRET and restart the server.")
    where = EventFilter(
        since=_moment(since) if since else None, event_type=event_type, application_id=application_id, call_id=call_id
    )
    # SQLite's integers stop at 2**63: a page past every stored event is empty, however far past.
    offset = min((page - 1) * size, 2**62)
    events, total = await inbox.events(where, offset=offset, limit=size)
    if total == 0 and where == EventFilter():
        return {"count": 0, "page": page, "size": size, "has_more": False, "note": NO_EVENTS_YET}
    return page_of(
        {"data": [shown_event(event) for event in events], "count": total}, page, size, columns=EVENT_COLUMNS
    )


def shown_event(event: StoredEvent) -> dict[str, Any]:
    """An event as an agent sees it: what it is about first, then the payload, candidate words fenced."""
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


def _moment(text: str) -> datetime:
    """An ISO date or date-time as a UTC moment: a date is its midnight, a time without a zone is UTC."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = datetime.combine(date.fromisoformat(text), datetime.min.time())
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
