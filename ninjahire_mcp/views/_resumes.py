"""Resume content kept out of what the agent reads back: it has no use for megabytes of base64."""

from __future__ import annotations

import re
from typing import Any

from ..client import Record

# Text no person writes: 256+ characters of base64 without a space (line breaks allowed), bare or as a data URI.
_FILE_CONTENT = re.compile(r"^(data:[\w.+/-]*;base64,)?[A-Za-z0-9+/\r\n]{256,}+={0,2}\s*$")


def hide_resume(data: Any, sent: str | None = None) -> Any:
    """The response with resume content replaced by a marker: the agent has no use for megabytes of base64.

    Replaced: any text holding what was sent, any `base64file` (file content by name), and any long
    text that can only be file content (base64 or a base64 data URI), as a stored resume read back is.
    """
    if isinstance(data, Record):
        data = data.data()
    if isinstance(data, list):
        return [hide_resume(item, sent) for item in data]
    if isinstance(data, dict):
        return {key: _hidden_field(key, value, sent) for key, value in data.items()}
    if isinstance(data, str):
        if sent and _holds(data, sent):
            return _marker(sent)
        if _FILE_CONTENT.match(data):
            return _marker(data)
    return data


def _holds(text: str, sent: str) -> bool:
    # A few characters of base64 may occur by chance inside other text; a whole file's worth cannot.
    return text == sent or (len(sent) >= 64 and sent in text)


def _hidden_field(key: str, value: Any, sent: str | None) -> Any:
    if key == "base64file" and isinstance(value, str) and value:
        return _marker(value)
    return hide_resume(value, sent)


def _marker(encoded: str) -> str:
    digits = "".join(encoded.rpartition(",")[2].split()) if encoded.startswith("data:") else "".join(encoded.split())
    size = len(digits) * 3 // 4 - digits[-2:].count("=")
    return f"[resume attached: {size} bytes]"
