"""A refusal the agent reads as it is written: the reason, and the way forward."""

from mcp.server.mcpserver.exceptions import ToolError


class Refusal(ToolError):
    """Raised where a tool cannot go on for a reason that is no one's argument mistake or API error
    (no API key came with the request, say); it becomes an isError result with exactly this text."""
