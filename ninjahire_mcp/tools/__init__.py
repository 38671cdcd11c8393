"""The tools: one module per API area (jobs, candidates, applications, questions, calls, webhooks,
events), and the catalogue that lists them all in order with their toolsets (`_catalogue.py`)."""

from ._catalogue import APP_ONLY, CATALOGUE, INBOX_TOOLSETS, TOOLSETS, build_tools, select_specs, with_app_tools
from ._screening_index import refresh_on_events

__all__ = [
    "APP_ONLY",
    "CATALOGUE",
    "INBOX_TOOLSETS",
    "TOOLSETS",
    "build_tools",
    "refresh_on_events",
    "select_specs",
    "with_app_tools",
]
