"""What the agent reads: compact JSON, tables, screening reports, fences around candidate words, masking.

Pure shaping, used alike by tools, resources and the inbox: nothing here sends a request or reads
the server's settings (whether to mask is the caller's decision).
"""

from ._events import EVENT_COLUMNS, shown_event
from ._privacy import mask_email, mask_pii, mask_text, masked_phone, redact_result
from ._results import SECRET_MASK, hoisted, mask_secrets, page_of, paged, render, table, without_nulls
from ._resumes import hide_resume
from ._screening import (
    TRANSCRIPT_CHUNK,
    Answers,
    TranscriptChunk,
    call_report,
    parse_answers,
    screening_report,
    transcript_chunk,
    transcript_lines,
)
from ._untrusted import (
    BEGIN,
    DEFUSED,
    END,
    UNTRUSTED,
    defuse,
    defuse_all,
    enclose,
    marker,
    quoted,
    untrusted_fields,
)

__all__ = [
    "BEGIN",
    "DEFUSED",
    "END",
    "EVENT_COLUMNS",
    "SECRET_MASK",
    "TRANSCRIPT_CHUNK",
    "UNTRUSTED",
    "Answers",
    "TranscriptChunk",
    "call_report",
    "defuse",
    "defuse_all",
    "enclose",
    "hide_resume",
    "hoisted",
    "marker",
    "mask_email",
    "mask_pii",
    "mask_secrets",
    "mask_text",
    "masked_phone",
    "page_of",
    "paged",
    "parse_answers",
    "quoted",
    "redact_result",
    "render",
    "screening_report",
    "shown_event",
    "table",
    "transcript_chunk",
    "transcript_lines",
    "untrusted_fields",
    "without_nulls",
]
