"""MCP server for the Ninjahire recruiting API."""

__version__ = "0.1.0"
