"""Serving the MCP server to many agents over HTTP: streamable HTTP or SSE, safe by default."""

from .app import build_http_app
from .serve import serve_http

__all__ = ["build_http_app", "serve_http"]
