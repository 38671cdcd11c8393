"""Request bodies from a handler's arguments, and updates that take only what changes.

A body is the documented fields that were given, named in one tuple per record (the API's own field
list), so that nothing but a documented field can become part of a request.

The API wants whole bodies on some writes (a candidate PATCH requires five fields, a schedule PUT
replaces every setting), while an agent should only have to say what it is changing. So an update
tool reads the record first, merges the given fields over it, and reports what actually differs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..client import Record
from ._errors import InputError


def given(arguments: Mapping[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    """The `fields` that were given a value (None means left out), in the order of `fields`."""
    return {name: arguments[name] for name in fields if arguments.get(name) is not None}


@dataclass(frozen=True)
class Merged:
    stored: dict[str, Any]  # the record's documented body fields, nulls left out
    body: dict[str, Any]  # the stored fields with the given ones over them
    changed: dict[str, dict[str, Any]]  # field -> {"from": stored, "to": given}, for values that differ


@dataclass(frozen=True)
class PartialUpdate:
    """The fields one update call was given, out of the body fields its tool accepts."""

    kind: str
    fields: tuple[str, ...]
    given: dict[str, Any]

    @classmethod
    def of(cls, kind: str, arguments: Mapping[str, Any], fields: tuple[str, ...]) -> PartialUpdate:
        """From the handler's arguments (its `locals()` on entry); only `fields` are read from them."""
        chosen = given(arguments, fields)
        if not chosen:
            # Reading the record only to change nothing would be a wasted round trip.
            raise InputError(f"no field to change was given: pass at least one of {', '.join(fields)}.")
        return cls(kind, fields, chosen)

    def over(self, record: Record) -> Merged:
        stored = {name: value for name in self.fields if (value := record.get(name)) is not None}
        changed = {
            name: {"from": stored.get(name), "to": value}
            for name, value in self.given.items()
            if not _same(stored.get(name), value)
        }
        return Merged(stored, {**stored, **self.given}, changed)

    def require(self, body: Mapping[str, Any], names: tuple[str, ...]) -> None:
        """The fields the API requires on every write, which the stored record may still lack."""
        missing = [name for name in names if body.get(name) in (None, "")]
        if missing:
            raise InputError(
                f"the stored {self.kind} has no {', '.join(missing)}, which the API requires on every "
                f"update: pass {' and '.join(missing)} too."
            )

    def unchanged(self) -> dict[str, Any]:
        # A write that changes nothing still bumps timestamps and costs a request: skip it.
        return {"changed": {}, "note": f"Nothing sent: the {self.kind} already has these values."}


def what_changed(changed: dict[str, dict[str, Any]], record: Any) -> dict[str, Any]:
    """The differences first (what the agent asked for), then the record as the API now stores it."""
    return {"changed": changed, "record": record}


def _same(stored: Any, given: Any) -> bool:
    if isinstance(stored, list) and isinstance(given, list):
        # Lists here are sets of days: [5, 1] and [1, 5] are the same schedule.
        return sorted(map(str, stored)) == sorted(map(str, given))
    return bool(stored == given)
