"""The two ways a tool stops before anything is sent, each read by the agent as it is written."""

from mcp.server.mcpserver.exceptions import ToolError


class InputError(ToolError):
    """A guardrail that needs more than one argument to decide (say, min_pay_rate ≤ max_pay_rate), or a
    file argument that cannot be read: the agent's to fix. The message names the problem and the fix."""


class Refusal(ToolError):
    """A tool cannot go on for a reason that is no one's argument mistake or API error (no API key came
    with the request, say); it becomes an isError result with exactly this text."""
