"""The webhook inbox: Ninjahire pushes events (a call ended) instead of agents polling for them.

`Inbox` verifies and stores deliveries; `inbox_routes(inbox)` is the HTTP endpoint to serve beside
/mcp; `register_events` (in `resource.py`, the MCP side) serves `ninjahire://events` and notifies
its subscribers. Nothing here but `resource.py` knows MCP.
"""

from .inbox import MAX_BODY, Accepted, Inbox, inbox_path
from .receiver import WEBHOOK_PATH, inbox_routes, receive
from .store import EventFilter, EventStore, StoredEvent
from .verify import SIGNATURE_HEADER, TIMESTAMP_HEADER, Refused

__all__ = [
    "MAX_BODY",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "WEBHOOK_PATH",
    "Accepted",
    "EventFilter",
    "EventStore",
    "Inbox",
    "Refused",
    "StoredEvent",
    "inbox_path",
    "inbox_routes",
    "receive",
]
