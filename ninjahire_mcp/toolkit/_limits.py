"""How much one tool call may carry, and that its text is text: checked before its arguments are validated.

Sizes are UTF-8 bytes, as they travel, so the bounds mean the same on every transport:

- A text argument (at any depth: a question's text, a webhook field name) is at most 64 KiB. A job
  description or a screening question runs to a few KiB; more is a paste gone wrong, and it would be
  stored as sent and read back into the agent's context.
- File content (`base64file`) has no bound of its own: a resume is large by nature. The whole call's
  bound caps it (about 3 MB of file); a larger resume goes by `resume_path`, which the server reads
  from disk, up to 10 MB, without it passing through the arguments.
- The whole call's arguments, as JSON, are at most 4 MiB less 64 KiB. The HTTP transports refuse a
  request body over 4 MiB (`http/app.py` MAX_REQUEST_BODY); the 64 KiB left over is room for the
  JSON-RPC envelope, so that the bound is the same on every transport: what stdio accepts also fits
  through HTTP, and near the bound both give this module's refusal, which names the fix.

A lone surrogate (what a JSON "\\ud800" escape decodes to) is not text: no URL, query, body or database
can encode it, so it is refused here, by name, rather than crash whichever of them meets it first.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

KIB = 1024
MAX_TEXT_BYTES = 64 * KIB
ENVELOPE_BYTES = 64 * KIB
MAX_ARGUMENTS_BYTES = 4 * KIB * KIB - ENVELOPE_BYTES
FILE_CONTENT_FIELDS = frozenset({"base64file"})


def argument_problem(tool: str, arguments: dict[str, Any], parameters: dict[str, Any]) -> str | None:
    """The refusal for arguments no tool can take (over a bound, or not text), naming the argument and the fix."""
    for where, text, is_file in _texts(arguments):
        if not _encodable(text):
            return (
                f"Invalid arguments for {tool}; nothing was sent:\n- {where} holds a lone UTF-16 surrogate "
                f"(an unpaired \\ud800-\\udfff escape), which is not text.\nSend {where} as valid Unicode "
                f"and call {tool} again."
            )
        size = 0 if is_file else byte_size(text)
        if size > MAX_TEXT_BYTES:
            return (
                f"Invalid arguments for {tool}; nothing was sent:\n- {where} is {size:,} bytes; a text argument "
                f"may be at most {MAX_TEXT_BYTES:,} bytes (64 KiB).\nShorten {where} to what the record needs "
                f"and call {tool} again."
            )
    total = byte_size(json.dumps(arguments, ensure_ascii=False, separators=(",", ":"), default=str))
    if total <= MAX_ARGUMENTS_BYTES:
        return None
    largest = max(arguments, key=lambda name: byte_size(json.dumps(arguments[name], ensure_ascii=False, default=str)))
    if largest in FILE_CONTENT_FIELDS and "resume_path" in parameters.get("properties", {}):
        fix = (
            f"Attach a resume this large with resume_path (a file in the user's resume folder, up to 10 MB) "
            f"instead of {largest}, then call {tool} again."
        )
    else:
        fix = f"Send less in one call, then call {tool} again."
    return (
        f"Invalid arguments for {tool}; nothing was sent:\n- the arguments come to {total:,} bytes, most of it "
        f"{largest}; one call may carry at most {MAX_ARGUMENTS_BYTES:,} bytes (4 MiB less 64 KiB).\n{fix}"
    )


def byte_size(text: str) -> int:
    # surrogatepass: a lone surrogate (a JSON "\ud800" escape) must be measured, not crash the measuring.
    return len(text.encode("utf-8", "surrogatepass"))


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _texts(value: Any, where: str = "") -> Iterator[tuple[str, str, bool]]:
    """Every string in the arguments, keys too: where it sits (questions[0].question_text), and whether it is
    file content."""
    if isinstance(value, str):
        yield where, value, where in FILE_CONTENT_FIELDS
    elif isinstance(value, dict):
        for key, item in value.items():
            yield (f"a key of {where}" if where else "an argument name"), str(key), False
            yield from _texts(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, f"{where}[{index}]")
