"""The floor for cold start: the smallest MCPServer with one tool, served on stdio.

Run: .venv/bin/python bench/floor_server.py   (bench.cold_start starts it; it waits on stdin)

What Python and the SDK cost before any code of ours runs.
"""

from mcp.server import MCPServer

server = MCPServer("floor")


@server.tool()
def echo(text: str) -> str:
    """Return the text."""
    return text


if __name__ == "__main__":
    server.run()
