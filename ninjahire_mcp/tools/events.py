"""Events Ninjahire pushed to this server's webhook inbox: read instead of polling.

Served only while the inbox is on (NINJAHIRE_WEBHOOK_SECRET set). Each event is shown as
`views.shown_event` shows it: candidate words fenced, and --redact-pii masks contact details as
everywhere else (in the tool pipeline).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field

from ..inbox import EventFilter
from ..toolkit import (
    READ,
    ApplicationId,
    CallId,
    IsoDate,
    PageNumber,
    PageSize,
    WebhookInbox,
    guardrail,
    stripped,
    tool,
)
from ..views import EVENT_COLUMNS, page_schema, paged, shown_event

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
        raise guardrail(f"must be a time between the years 1000 and 9999 in UTC, got {text!r}.")
    return text


Since = Annotated[
    IsoDate,
    AfterValidator(_storable_moment),
    Field(
        description="Only events received at or after this time: ISO 8601, UTC unless it says (2025-06-02T15:00:00Z)."
    ),
]
EventType = Annotated[
    str,
    BeforeValidator(stripped),
    Field(min_length=1, max_length=100, description="Only this event type, as the payload names it (call_activity)."),
]


@tool("Get webhook events", READ, output=page_schema())
async def get_webhook_events(
    inbox: WebhookInbox,
    since: Since | None = None,
    event_type: EventType | None = None,
    application_id: ApplicationId | None = None,
    call_id: CallId | None = None,
    page: PageNumber = 1,
    size: PageSize = 10,
) -> Any:
    """List events Ninjahire pushed to this server's webhook inbox, newest first, paged: a screening
    call that ended, say (call_activity, with call_id and call_status). Check here instead of polling
    get_call or wait_for_call, then get_call(call_id) for the report. Each event has its `id`,
    received_at, event_type, application_id, call_id and the payload as sent; a repeated delivery is
    listed once."""
    where = EventFilter(
        since=_moment(since) if since else None, event_type=event_type, application_id=application_id, call_id=call_id
    )
    # SQLite's integers stop at 2**63: a page past every stored event is empty, however far past.
    offset = min((page - 1) * size, 2**62)
    events, total = await inbox.events(where, offset=offset, limit=size)
    if total == 0 and where == EventFilter():
        return {"count": 0, "page": page, "size": size, "has_more": False, "note": NO_EVENTS_YET}
    return paged([shown_event(event) for event in events], total, page, size, columns=EVENT_COLUMNS)


def _moment(text: str) -> datetime:
    """An ISO date or date-time as a UTC moment: a date is its midnight, a time without a zone is UTC."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = datetime.combine(date.fromisoformat(text), datetime.min.time())
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
