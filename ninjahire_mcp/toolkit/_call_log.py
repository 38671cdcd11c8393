"""One log line per tool call: which tool, how it ended, how long it took, and what it asked of the API.

Never a value: argument NAMES only (values are names, emails, phone numbers, free text), route
templates (never filled paths), statuses and error classes (never messages), no result text.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from types import TracebackType
from typing import Any

import anyio
from mcp.types import CallToolResult, InputRequiredResult

from ..client import IDEMPOTENT_METHODS, Exchange, observe_exchanges
from ..logs import EVENT_FIELDS
from ._failures import Failure

logger = logging.getLogger("ninjahire_mcp.tool_call")

MAX_LISTED = 10  # upstream exchanges listed one by one; the rest are counted (a scan can make dozens)
# Statuses an operator must act on (a key, a quota, an outage), as against the agent's own mistakes.
_OPERATOR_STATUSES = frozenset({401, 403, 429})


class ToolCallLog:
    """Use as `with ToolCallLog(...) as log:` around one tool call; tell it how the call ended."""

    def __init__(self, tool: str, arguments: Mapping[str, Any], known: list[str], request_id: str | None) -> None:
        self.tool = tool
        self.arguments = sorted(name for name in arguments if name in known)
        # An unknown name is the caller's text: counted, not written.
        self.unknown_arguments = len(arguments) - len(self.arguments)
        self.request_id = request_id
        self.outcome: str | None = None
        self.error: str | None = None
        self.listed: list[Exchange] = []
        self.count = 0
        self.retries = 0
        self.operator_problem = False
        self._started = time.perf_counter()
        self._observing = observe_exchanges(self.add)

    def add(self, exchange: Exchange) -> None:
        self.count += 1
        self.retries += exchange.retries
        if len(self.listed) < MAX_LISTED:
            self.listed.append(exchange)
        status = exchange.status
        # Unanswered because the caller gave up (a cancelled call) is no operator's problem.
        unanswered = status is None and exchange.attempts > 0 and exchange.error not in ("CancelledError", "Cancelled")
        if unanswered or status in _OPERATOR_STATUSES or (status is not None and status >= 500):
            self.operator_problem = True

    def invalid_arguments(self) -> None:
        self.outcome = "invalid_arguments"

    def failed(self, failure: Failure) -> None:
        """The call ended in the error result made from `failure`."""
        self.outcome = failure.outcome
        self.error = failure.error

    def finished(self, result: Any) -> None:
        if self.outcome is not None:
            return
        if isinstance(result, InputRequiredResult):
            self.outcome = "input_required"
        elif isinstance(result, CallToolResult) and result.is_error:
            self.outcome = "refused"
        elif isinstance(result, CallToolResult) and isinstance(result.structured_content, dict):
            status = result.structured_content.get("status")
            self.outcome = status if status in ("confirmation_required", "not_done") else "ok"
        else:
            self.outcome = "ok"

    def __enter__(self) -> ToolCallLog:
        self._observing.__enter__()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._observing.__exit__(exc_type, exc, tb)
        if exc is not None and self.outcome is None:
            cancelled = isinstance(exc, anyio.get_cancelled_exc_class())
            self.outcome = "cancelled" if cancelled else "crashed"
            self.error = type(exc).__name__
        self.emit()

    def emit(self) -> None:
        level = logging.INFO
        if self.outcome == "crashed":
            level = logging.ERROR
        elif self.operator_problem:
            level = logging.WARNING
        if not logger.isEnabledFor(level):
            return
        fields: dict[str, Any] = {
            "event": "tool_call",
            "tool": self.tool,
            "outcome": self.outcome,
            "duration_ms": round((time.perf_counter() - self._started) * 1000, 1),
        }
        if self.error:
            fields["error"] = self.error
        if self.request_id is not None:
            fields["request_id"] = self.request_id
        fields["arguments"] = self.arguments
        if self.unknown_arguments:
            fields["unknown_arguments"] = self.unknown_arguments
        fields["upstream"] = [_exchange(exchange) for exchange in self.listed]
        fields["upstream_count"] = self.count
        if self.count > len(self.listed):
            fields["upstream_omitted"] = self.count - len(self.listed)
        fields["retries"] = self.retries
        if any(_unanswered_write(exchange) for exchange in self.listed):
            # A write that may have reached Ninjahire got no answer (cancelled, lost, timed out): it may
            # have happened (for instant_call: the candidate may have been phoned).
            fields["outcome_unknown"] = True
        summary = f"tool_call {self.tool} {self.outcome} ({self.count} upstream)"
        logger.log(level, summary, extra={EVENT_FIELDS: fields})


def _exchange(exchange: Exchange) -> dict[str, Any]:
    shown: dict[str, Any] = {"method": exchange.method, "route": exchange.route, "status": exchange.status}
    if exchange.error:
        shown["error"] = exchange.error
    shown["latency_ms"] = exchange.latency_ms
    shown["retries"] = exchange.retries
    return shown


def _unanswered_write(exchange: Exchange) -> bool:
    return exchange.method not in IDEMPOTENT_METHODS and exchange.status is None and exchange.attempts > 0
