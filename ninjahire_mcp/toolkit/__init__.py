"""The tool runtime: a tool built from its catalogue entry, the call pipeline, and what handlers receive.

- `ToolSpec` and `tool(...)`: what a host must know of a tool; `build_tool` makes the MCP tool.
- The pipeline (`NinjahireTool.run`): argument bounds, validation messages, the handler, failures
  described once (`failure_of`), --redact-pii, one log line per call.
- What a handler declares and the SDK resolves: `Api` (the client for the caller's key), `Pages`,
  `Polling`, `ServerSettings`, `WebhookInbox`, `Clocks`.
- Parameter types with their checks, request bodies and partial updates.
"""

from ._checks import GUARDRAIL, days_of_week, guardrail, stripped, upper, uuid_check
from ._context import (
    API_KEY_HEADER,
    Api,
    Clocks,
    ServerSettings,
    ServerState,
    Timing,
    WebhookInbox,
    api_client,
    caller_key,
    client_for,
    key_from_headers,
    redacting,
    server_state,
)
from ._errors import InputError, Refusal
from ._failures import LISTED_BY, Failure, failure_of, stopped_before_finishing
from ._icons import SERVER_ICON, TOOLSET_ICONS
from ._limits import ENVELOPE_BYTES, MAX_ARGUMENTS_BYTES, MAX_TEXT_BYTES
from ._paging import PAGE_SIZE, Collected, PageReader, Pages, matches
from ._params import (
    ApplicationId,
    Base64Content,
    CallId,
    CandidateId,
    ClockTime,
    Email,
    HttpUrl,
    IsoDate,
    JobId,
    PageNumber,
    PageSize,
    Phone,
    QuestionId,
    SourceId,
    TenantWebhookId,
    Text,
)
from ._spec import CREATE, DESTRUCTIVE, ENABLE, IRREVERSIBLE, READ, Effect, ToolSpec, tool, toolset, view_uri
from ._tool import NinjahireTool, build_tool, error_result, running_arguments
from ._updates import PartialUpdate, given, what_changed
from ._waiting import Outcome, Poller, Polling

__all__ = [
    "API_KEY_HEADER",
    "CREATE",
    "DESTRUCTIVE",
    "ENABLE",
    "ENVELOPE_BYTES",
    "GUARDRAIL",
    "IRREVERSIBLE",
    "LISTED_BY",
    "MAX_ARGUMENTS_BYTES",
    "MAX_TEXT_BYTES",
    "PAGE_SIZE",
    "READ",
    "SERVER_ICON",
    "TOOLSET_ICONS",
    "Api",
    "ApplicationId",
    "Base64Content",
    "CallId",
    "CandidateId",
    "ClockTime",
    "Clocks",
    "Collected",
    "Effect",
    "Email",
    "Failure",
    "HttpUrl",
    "InputError",
    "IsoDate",
    "JobId",
    "NinjahireTool",
    "Outcome",
    "PageNumber",
    "PageReader",
    "PageSize",
    "Pages",
    "PartialUpdate",
    "Phone",
    "Poller",
    "Polling",
    "QuestionId",
    "Refusal",
    "ServerSettings",
    "ServerState",
    "SourceId",
    "TenantWebhookId",
    "Text",
    "Timing",
    "ToolSpec",
    "WebhookInbox",
    "api_client",
    "build_tool",
    "caller_key",
    "client_for",
    "days_of_week",
    "error_result",
    "failure_of",
    "given",
    "guardrail",
    "key_from_headers",
    "matches",
    "redacting",
    "running_arguments",
    "server_state",
    "stopped_before_finishing",
    "stripped",
    "tool",
    "toolset",
    "upper",
    "uuid_check",
    "view_uri",
    "what_changed",
]
