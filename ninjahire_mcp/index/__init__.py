"""The screening index: a local, searchable copy of each tenant's screening data (`_store.py`), one file per
tenant key (`_files.py`). Filling it from the API, and the tools that read it, live above (tools/)."""

from ._files import IndexShelf, tenant_name
from ._store import (
    ANSWERS,
    DIGEST,
    FIELDS,
    SUMMARY,
    TRANSCRIPT,
    Applicant,
    Coverage,
    Filters,
    Found,
    IndexedApplication,
    IndexedCall,
    IndexUnavailable,
    Match,
    Piece,
    QuerySyntax,
    ScreeningIndex,
    Status,
)

__all__ = [
    "ANSWERS",
    "DIGEST",
    "FIELDS",
    "SUMMARY",
    "TRANSCRIPT",
    "Applicant",
    "Coverage",
    "Filters",
    "Found",
    "IndexShelf",
    "IndexUnavailable",
    "IndexedApplication",
    "IndexedCall",
    "Match",
    "Piece",
    "QuerySyntax",
    "ScreeningIndex",
    "Status",
    "tenant_name",
]
