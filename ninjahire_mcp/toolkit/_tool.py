"""The MCP tool built from a catalogue entry, and the one pipeline every call goes through.

A call is: arguments checked against the bounds and the schema (nothing is sent on a mistake); the
handler's resolved parameters filled by the SDK (its API client, a confirmation, ...); the handler
run; then its result rendered as compact JSON, or its failure described (`failure_of`), with
--redact-pii applied last, and one log line whatever happened.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Mapping
from contextvars import ContextVar
from typing import Any, cast

from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.tools import Tool
from mcp.server.mcpserver.utilities.func_metadata import FuncMetadata
from mcp.types import CallToolResult, InputRequiredResult, TextContent
from pydantic import Field

from ..views import (
    AWAITING_APPROVAL,
    NOT_DONE,
    PREVIEW,
    conforming,
    defuse_all,
    one_of_shapes,
    redact_result,
    render,
    validator_for,
    without_nulls,
)
from ._call_log import ToolCallLog
from ._context import redacting
from ._failures import failure_of
from ._icons import toolset_icon
from ._limits import argument_problem
from ._schema import compact_schema, string_properties
from ._spec import ToolSpec
from ._validation import unknown_arguments_message


class _TextStaysText(FuncMetadata):
    """The SDK decodes JSON-looking strings (for hosts that send lists as strings); a free-text
    argument such as a job description or an answer must reach the API exactly as written."""

    text_fields: frozenset[str] = frozenset()

    def pre_parse_json(self, data: dict[str, Any]) -> dict[str, Any]:
        parsed = super().pre_parse_json(data)
        parsed.update({key: value for key, value in data.items() if key in self.text_fields})
        return parsed


# The call being run, as it came (after the empty optionals are dropped): what a person's approval in a view
# runs again (guards/_confirmation.py). Per task, so concurrent calls never see each other's.
_RUNNING: ContextVar[tuple[str, Mapping[str, Any]]] = ContextVar("running_call")


def running_arguments(tool: str) -> dict[str, Any]:
    """The arguments the current call of `tool` came with, as its handler's pipeline received them."""
    name, arguments = _RUNNING.get(("", {}))
    if name != tool:
        raise LookupError(f"no call of {tool} is running here (the running call is {name or 'none'})")
    return dict(arguments)


class NinjahireTool(Tool):
    spec: Any = Field(default=None, exclude=True)
    # Checks a result against the tool's own output schema (not the preview's) before it is sent.
    output_check: Any = Field(default=None, exclude=True)

    async def run(self, arguments: dict[str, Any], context: Any, convert_result: bool = False) -> Any:
        known = list(self.parameters.get("properties", {}))
        with ToolCallLog(self.name, arguments, known, _request_id(context)) as log:
            running = _RUNNING.set((self.name, self._given(arguments)))
            try:
                result = await self._run(arguments, context, known, log)
            finally:
                _RUNNING.reset(running)
            log.finished(result)
            return result

    async def _run(self, arguments: dict[str, Any], context: Any, known: list[str], log: ToolCallLog) -> Any:
        arguments = self._given(arguments)
        unknown = [name for name in arguments if name not in known]
        if unknown:
            log.invalid_arguments()
            # The SDK would drop them silently; a misspelt field must not turn into a request without it.
            return error_result(unknown_arguments_message(self.name, unknown, known))
        refused = argument_problem(self.name, arguments, self.parameters)
        if refused:
            log.invalid_arguments()
            return error_result(refused)
        try:
            result = await super().run(arguments, context, convert_result=False)
        except ToolError as exc:
            failure = failure_of(exc, self.spec, arguments)
            if failure is None:
                raise  # a crash: the SDK reports it without its message
            log.failed(failure)
            shown = error_result(failure.text)
            return redact_result(shown) if failure.quotes_api and redacting(context) else shown
        if isinstance(result, InputRequiredResult):
            return result
        if result is None and self.output_check is not None:
            result = {}  # an empty answer (a 204): structured content is always an object
        if not isinstance(result, CallToolResult):
            # Every string defused: candidate words reach more fields than those marked untrusted.
            defused = defuse_all(without_nulls(result))
            result = CallToolResult(
                content=[TextContent(type="text", text=render(defused))], structured_content=self._structured(defused)
            )
        # --redact-pii here, once, so that no handler (or confirmation preview) can forget it.
        return redact_result(result) if redacting(context) else result

    def _structured(self, data: Any) -> dict[str, Any] | None:
        """The result as structuredContent, for a tool that declares its shape; the text is the same JSON."""
        if self.output_check is None:
            return None
        shaped = conforming(data, self.output_check)
        if shaped is None:
            _log.warning("%s: the result does not fit its output schema; sent as text only", self.name)
        return shaped

    def _given(self, arguments: dict[str, Any]) -> dict[str, Any]:
        """The arguments without the optional ones sent empty: strict-schema clients (OpenAI strict function
        calling, openai-agents) must send every argument, and say "not given" with null or "". A required
        argument sent empty stays, to be refused by name."""
        required = set(self.parameters.get("required", ()))
        return {
            name: value for name, value in arguments.items() if name in required or not (value is None or value == "")
        }


_log = logging.getLogger("ninjahire_mcp.tools")


def _request_id(context: Any) -> str | None:
    """The JSON-RPC id of the call, to match a log line with the host's own log."""
    try:
        return str(context.request_id)
    except Exception:  # no request context: the tool was run outside a request
        return None


def error_result(text: str) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=text)], is_error=True)


def build_tool(spec: ToolSpec) -> NinjahireTool:
    tool = cast(
        NinjahireTool,
        NinjahireTool.from_function(
            spec.handler,
            name=spec.name,
            title=spec.title,
            # One line: docstrings wrap for the source's sake, not the model's.
            description=" ".join((spec.handler.__doc__ or "").split()),
            annotations=spec.annotations,
            icons=toolset_icon(spec.toolset),
            meta=spec.meta,
            structured_output=False,
        ),
    )
    tool.spec = spec
    tool.parameters = compact_schema(tool.parameters)
    if spec.output is not None:
        tool.output_check = validator_for(spec.output)
    metadata = tool.fn_metadata
    tool.fn_metadata = _TextStaysText(
        arg_model=metadata.arg_model,
        output_schema=_advertised_output(spec),
        output_model=metadata.output_model,
        wrap_output=metadata.wrap_output,
        text_fields=string_properties(tool.parameters),
    )
    return tool


def _advertised_output(spec: ToolSpec) -> dict[str, Any] | None:
    """The outputSchema listed: the result's shape, or for a tool that must be confirmed, the preview's (with a
    token, or as a view's card) and the refusal's shapes beside it (its first answer is a preview)."""
    if spec.output is None:
        return None
    if "confirm_token" in inspect.signature(spec.handler).parameters:
        return one_of_shapes(PREVIEW, AWAITING_APPROVAL, NOT_DONE, spec.output)
    return spec.output
