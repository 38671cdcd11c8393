"""Icons a host shows beside the server and its tools: one small SVG per toolset, embedded as a data URI so
that it travels with the server over stdio too (no file or URL to fetch, nothing to trust but this package).

Drawn on a 24-unit grid in one stroke colour, without scripts, styles or external references: hosts are
told to take care with SVGs, and these give them nothing to take care of.
"""

from __future__ import annotations

import base64

from mcp_types import Icon

_FRAME = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="#2b59c3" '
    'stroke-width="2" stroke-linecap="round" stroke-linejoin="round">{}</svg>'
)
_DRAWINGS = {
    "server": '<circle cx="12" cy="8" r="4"/><path d="M4 21c1-4 4-6 8-6s7 2 8 6"/><path d="M17 4l3-2"/>',
    "jobs": '<rect x="3" y="7" width="18" height="13" rx="2"/><path d="M9 7V5h6v2M3 13h18"/>',
    "candidates": '<circle cx="12" cy="8" r="4"/><path d="M4 21c1-4 4-6 8-6s7 2 8 6"/>',
    "applications": '<path d="M6 3h9l3 3v15H6z"/><path d="M9 11h6M9 15h6"/>',
    "questions": '<circle cx="12" cy="12" r="9"/><path d="M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .9-1 1.7"/>'
    '<path d="M12 17h.01"/>',
    "calls": '<path d="M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2"/>',
    "webhooks": '<path d="M10 14a4 4 0 0 0 6 0l3-3a4 4 0 0 0-6-6l-1 1"/><path d="M14 10a4 4 0 0 0-6 0l-3 3a4 4 0 0 0 6 '
    '6l1-1"/>',
    "events": '<path d="M6 16V11a6 6 0 0 1 12 0v5l2 2H4z"/><path d="M10 21h4"/>',
    "research": '<circle cx="11" cy="11" r="6"/><path d="M20 20l-4.5-4.5"/>',
    "approvals": '<path d="M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z"/><path d="M9 12l2 2 4-4"/>',
}


def _icon(name: str) -> Icon:
    svg = _FRAME.format(_DRAWINGS[name])
    data = base64.b64encode(svg.encode()).decode()
    return Icon(src=f"data:image/svg+xml;base64,{data}", mime_type="image/svg+xml", sizes=["any"])


SERVER_ICON = _icon("server")
TOOLSET_ICONS = {name: _icon(name) for name in _DRAWINGS if name != "server"}


def toolset_icon(toolset: str) -> list[Icon] | None:
    icon = TOOLSET_ICONS.get(toolset)
    return [icon] if icon is not None else None
