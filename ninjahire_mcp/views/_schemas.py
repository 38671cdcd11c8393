"""Output schemas: the shape of each kind of result this package shapes, for a tool's `outputSchema`.

A host that reads structured results (a typed framework, a code-writing agent, a view) learns from the
schema what `structuredContent` holds; the model itself reads the text content, the same JSON. So the
schemas say types and names and little else: no descriptions (the tool's description has them), no
`required` but for what this server itself always writes, and every object open to more fields,
because records relay whatever the API adds (client/_records.py) and a result must never fail its
schema for carrying a new field.

The API's own records are described by the client's models (`record_schema`), compacted as input
schemas are; the rest (pages, tables, finds, updates, screening reports) are this package's shapes,
described here beside each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from pydantic import BaseModel

Schema = dict[str, Any]

STRING: Schema = {"type": "string"}
INTEGER: Schema = {"type": "integer"}
NUMBER: Schema = {"type": "number"}
BOOLEAN: Schema = {"type": "boolean"}
ANY_OBJECT: Schema = {"type": "object"}


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def obj(properties: Mapping[str, Schema], *, required: tuple[str, ...] = ()) -> Schema:
    """An object with these properties (open to others: see the module docstring)."""
    schema: Schema = {"type": "object", "properties": dict(properties)}
    if required:
        schema["required"] = list(required)
    return schema


def one_of_shapes(*shapes: Schema) -> Schema:
    """A result that is one of several object shapes (a preview, or what the action returned). The root
    says `type: object` itself: MCP requires it of an outputSchema, and the TypeScript SDK checks it."""
    return {"type": "object", "anyOf": list(shapes)}


def record_schema(model: type[BaseModel]) -> Schema:
    """An API record's schema from the client's model: its documented fields, typed, nulls left out
    (results drop them), titles gone; nested records inline."""
    return _compact(model.model_json_schema(ref_template="#/$defs/{model}"))


def _compact(schema: Schema) -> Schema:
    defs = schema.get("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return walk(defs[ref.removeprefix("#/$defs/")])
        out = {
            key: walk(value)
            for key, value in node.items()
            if key not in ("title", "$defs", "additionalProperties", "description", "default")
        }
        options = out.get("anyOf")
        if isinstance(options, list) and {"type": "null"} in options:
            kept = [option for option in options if option != {"type": "null"}]
            del out["anyOf"]
            out = {**kept[0], **out} if len(kept) == 1 else {"anyOf": kept, **out}
        return out

    shaped: Schema = walk(schema)
    if "properties" in shaped and not shaped.get("properties"):
        del shaped["properties"]
    return shaped


# A table as `views.table` writes it: field names once, then rows of values in their order; a field with
# one value on every row said once under `common`. Cells are whatever the field holds.
TABLE: dict[str, Schema] = {
    "common": ANY_OBJECT,
    "columns": array(STRING),
    "rows": array({"type": "array"}),
}
_PAGING: dict[str, Schema] = {
    "count": INTEGER,
    "page": INTEGER,
    "size": INTEGER,
    "has_more": BOOLEAN,
    "next_page": INTEGER,
    "note": STRING,
}


def page_schema(item: Schema | None = None, **more: Schema) -> Schema:
    """A page as `page_of` and `paged` write it: where it sits in the whole, then its items, as a table
    (the list tools) or, given `item`, as `data` (records in full). Nothing is required: a list answer that
    is not the API's documented shape is relayed as it came (`page_of`), and must still fit."""
    items: dict[str, Schema] = TABLE if item is None else {"common": ANY_OBJECT, "data": array(item)}
    return obj({**_PAGING, **items, **more})


# What `PageReader.find` answers: the records that matched, by id and a one-line summary.
FOUND: Schema = obj(
    {
        "query": STRING,
        "matches": array(obj({"id": STRING, "summary": STRING})),
        "total_matches": INTEGER,
        "searched": INTEGER,
        "complete": BOOLEAN,
    },
    required=("matches", "total_matches", "complete"),
)


def changed_schema(record: Schema) -> Schema:
    """An update's answer: what differs, field by field, then the record as now stored (or a note that
    nothing was sent because nothing differed)."""
    change = obj({"from": {}, "to": {}})
    return obj(
        {"changed": {"type": "object", "additionalProperties": change}, "record": record, "note": STRING},
        required=("changed",),
    )


# A screening report (views/_screening.py): the verdict, the answers, the call's facts; the transcript
# only when asked for, in chunks; `next` while the call is running.
_TRANSCRIPT_CHUNK: Schema = obj({"untrusted": STRING, "lines": STRING, "next": STRING, "text": STRING})
REPORT_FIELDS: dict[str, Schema] = {
    "call_score": NUMBER,
    "ninjahire_intelligence": STRING,
    "call_summary": {"type": "object", "additionalProperties": {}},
    "call_digest": STRING,
    "untrusted": STRING,
    "questions": array(obj({"question": STRING, "answer": {}, "score": {}})),
    "questions_raw": STRING,
    "questions_note": STRING,
    "call_status": STRING,
    "call_id": STRING,
    "application_id": STRING,
    "job_id": STRING,
    "candidate_id": STRING,
    "call_direction": STRING,
    "recording_url": STRING,
    "created_at": STRING,
    "ended_at": STRING,
    "transcript_lines": INTEGER,
    "transcript": _TRANSCRIPT_CHUNK,
    "next": STRING,
}
REPORT: Schema = obj(REPORT_FIELDS)

# Where an answer comes from the screening index: when it was read, and whether all of it was.
FRESHNESS: dict[str, Schema] = {"as_of": STRING, "complete": BOOLEAN, "incomplete_because": STRING}

# What a tool that must be confirmed answers first (guards/_confirmation.py): what would happen and to whom,
# the token that confirms it; or, once the person said no, that nothing was done.
PREVIEW: Schema = obj(
    {
        "status": {"const": "confirmation_required"},
        "action": STRING,
        "details": ANY_OBJECT,
        "confirm_token": STRING,
        "expires_in_s": INTEGER,
        "next": STRING,
    },
    required=("status", "action", "confirm_token"),
)
# The same preview where the client renders views: a card whose button only a person presses, no token.
AWAITING_APPROVAL: Schema = obj(
    {
        "status": {"const": "awaiting_approval"},
        "action": STRING,
        "details": ANY_OBJECT,
        "expires_in_s": INTEGER,
        "next": STRING,
    },
    required=("status", "action"),
)
NOT_DONE: Schema = obj({"status": {"const": "not_done"}, "reason": STRING, "tool": STRING}, required=("status",))


def conforming(data: Any, validator: Validator) -> dict[str, Any] | None:
    """`data` as structured content that satisfies its schema, or None when no form of it can.

    Records are lenient (a documented field may arrive with another type, and is relayed as it came), so
    a result can miss its schema where the API misbehaves. Such a field is moved, whole, from the top
    level to `unexpected`: the host still gets every value, and the schema still holds. The text content
    keeps the result as it came.
    """
    if not isinstance(data, dict):
        return None
    shaped = dict(data)
    moved: dict[str, Any] = {}
    for _ in range(len(data) + 1):
        error = best_match(validator.iter_errors(shaped))
        if error is None:
            return {**shaped, "unexpected": moved} if moved else shaped
        path = list(error.absolute_path)
        if not path or path[0] not in shaped:
            return None  # the whole misses its shape (not an object, a required field absent): nothing to move
        moved[str(path[0])] = shaped.pop(path[0])
    return None


def validator_for(schema: Schema) -> Validator:
    """A compiled validator (compiling costs far more than validating: once per tool)."""
    return Draft202012Validator(schema)


# Counts by a field's value ({"ACTIVE": 12, "PASSIVE": 3}).
COUNTS: Schema = {"type": "object", "additionalProperties": INTEGER}
# A job's applicants ranked by their best completed call (tools/calls/insights.py).
RANKING: Schema = obj(
    {"job_id": STRING, **TABLE, "applications_screened": INTEGER, "calls_read": INTEGER, "complete": BOOLEAN},
    required=("columns", "rows", "complete"),
)
# A job's pipeline counted (tools/calls/insights.py).
FUNNEL: Schema = obj(
    {
        "job_id": STRING,
        "applications": INTEGER,
        "by_application_stage": COUNTS,
        "by_screening_status": COUNTS,
        "calls": INTEGER,
        "calls_by_ninjahire_intelligence": COUNTS,
        "applications_without_call": INTEGER,
        "never_called": obj(TABLE),
        **FRESHNESS,
    },
    required=("applications", "calls", "applications_without_call", "complete"),
)
# Screening calls that match a question, ranked (tools/calls/searching.py).
MATCHES: Schema = obj(
    {**TABLE, "total_matches": INTEGER, **FRESHNESS, "untrusted": STRING, "next": STRING},
    required=("columns", "rows", "total_matches", "complete"),
)
