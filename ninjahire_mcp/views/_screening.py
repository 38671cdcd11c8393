"""A screening call as an agent can use it: the verdict first, answers parsed, the transcript on request.

The API's call record puts a long transcript beside the scores and packs the per-question answers
into a JSON *string*. The report leads with what a recruiter decides on (score, assessment, summary
by category, digest), turns the answers into a list, and leaves the transcript out: it is most of
the bytes and rarely needed, so it is fetched in chunks of lines when it is.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..client import Call
from ._untrusted import UNTRUSTED, defuse, enclose, marker

TRANSCRIPT_CHUNK = 200  # lines: a whole typical call (20-40 lines), a bounded slice of a long one

_VERDICT = ("call_score", "ninjahire_intelligence", "call_summary", "call_digest")
_FACTS = (
    "call_status",
    "call_id",
    "application_id",
    "job_id",
    "candidate_id",
    "call_direction",
    "recording_url",
    "created_at",
    "ended_at",
)
_SHAPED = {*_VERDICT, *_FACTS, "questions_response", "transcript"}
_RAW_KEPT = 2000  # characters of an unreadable questions_response shown as is


def screening_report(call: Call) -> dict[str, Any]:
    """The report of one call record."""
    fields = call.data()
    report: dict[str, Any] = {key: fields[key] for key in _VERDICT if _present(fields.get(key))}
    if isinstance(report.get("call_summary"), Mapping):
        report["call_summary"] = {name: _category(value) for name, value in report["call_summary"].items()}
    answers = parse_answers(fields.get("questions_response"))
    # The summary and the digest retell what the candidate said: their words, as much as the answers.
    retold = tuple(key for key in ("call_summary", "call_digest") if key in report)
    if answers.untrusted_fields or retold:
        report["untrusted"] = marker(*answers.untrusted_fields, *retold)
    if answers.questions:
        report["questions"] = answers.questions
    if answers.raw is not None:
        report["questions_raw"] = answers.raw
    if answers.problem:
        report["questions_note"] = answers.problem
    report.update((key, fields[key]) for key in _FACTS if _present(fields.get(key)))
    # Fields the API may add later are relayed rather than dropped.
    report.update((key, value) for key, value in fields.items() if key not in _SHAPED and _present(value))
    lines = transcript_lines(call)
    if lines:
        report["transcript_lines"] = len(lines)
    return report


def call_report(call: Call) -> dict[str, Any]:
    """The report of a call asked for by its id: without the call_id, which the caller just gave."""
    report = screening_report(call)
    report.pop("call_id", None)
    return report


def _category(value: Any) -> Any:
    """A category's {score, summary} as one line, "64: Generally clear...": the same facts in half the
    tokens. Any other shape is relayed as it came."""
    if isinstance(value, Mapping) and set(value) == {"score", "summary"} and isinstance(value["summary"], str):
        return f"{value['score']}: {value['summary']}"
    return value


def _present(value: Any) -> bool:
    """Empty values say nothing the status does not already say, and cost tokens."""
    return value is not None and value != "" and value != {} and value != []


@dataclass(frozen=True)
class Answers:
    questions: list[dict[str, Any]]
    problem: str | None = None  # set when some or all of questions_response could not be read
    raw: str | None = None  # the unreadable text itself, when nothing could be read from it

    @property
    def untrusted_fields(self) -> tuple[str, ...]:
        fields = ("questions[].answer",) if any("answer" in item for item in self.questions) else ()
        return fields + (("questions_raw",) if self.raw is not None else ())


def parse_answers(value: Any) -> Answers:
    """questions_response (a JSON string of [{question, response, score}]) as {question, answer, score}.

    Tolerant: a list that arrives already decoded is taken as it is; a cut-off string keeps the
    entries before the cut; entries that are not objects are skipped and counted.
    """
    if value is None or value == "":
        return Answers([])
    if isinstance(value, str):
        entries, problem = _decode_list(value)
        if entries is None:
            raw = defuse(value if len(value) <= _RAW_KEPT else value[:_RAW_KEPT] + "…")
            return Answers([], f"questions_response could not be parsed ({problem}); shown as questions_raw", raw)
    elif isinstance(value, list):
        entries, problem = value, None
    else:
        return Answers([], f"questions_response could not be parsed (a {type(value).__name__}, not a list)")
    questions = [_answer(entry) for entry in entries if isinstance(entry, Mapping)]
    skipped = len(entries) - len(questions)
    notes = [problem] if problem else []
    if skipped:
        notes.append(f"{skipped} entr{'y' if skipped == 1 else 'ies'} not readable, skipped")
    return Answers(questions, "questions_response: " + "; ".join(notes) if notes else None)


def _decode_list(text: str) -> tuple[list[Any] | None, str | None]:
    """The entries of a JSON array, one by one, so that a cut-off array keeps its complete entries."""
    decoder = json.JSONDecoder()
    text = text.strip()
    if not text.startswith("["):
        try:
            json.loads(text)
        except ValueError:
            return None, "not JSON"
        return None, "JSON, but not a list"
    entries: list[Any] = []
    position = 1
    while True:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        if position >= len(text):
            return (entries, f"cut off after {len(entries)} entries") if entries else (None, "not JSON")
        if text[position] == "]":
            return entries, None
        try:
            entry, position = decoder.raw_decode(text, position)
        except ValueError:
            if entries:
                return entries, f"malformed after {len(entries)} entries"
            return None, "not JSON"
        entries.append(entry)


def _answer(entry: Mapping[str, Any]) -> dict[str, Any]:
    answer = entry.get("response", entry.get("answer"))
    shaped = {
        "question": defuse(entry["question"]) if isinstance(entry.get("question"), str) else entry.get("question"),
        "answer": defuse(answer) if isinstance(answer, str) else answer,
        "score": entry.get("score"),
    }
    extra = {key: value for key, value in entry.items() if key not in ("question", "response", "answer", "score")}
    return {key: value for key, value in {**shaped, **extra}.items() if value is not None}


def transcript_lines(call: Call) -> list[str]:
    transcript = call.get("transcript")  # the raw value: a misfit (not text) is no transcript
    if not isinstance(transcript, str) or not transcript.strip():
        return []
    return transcript.strip("\n").split("\n")


@dataclass(frozen=True)
class TranscriptChunk:
    """Lines [offset, offset + len(lines)) of a transcript of `total` lines, already defused."""

    lines: tuple[str, ...]
    offset: int
    total: int

    @property
    def next_offset(self) -> int | None:
        end = self.offset + len(self.lines)
        return end if end < self.total else None

    @property
    def span(self) -> str:
        if not self.total:
            return "no transcript (the call is in progress, failed or was not answered)"
        if not self.lines:
            return f"none: offset {self.offset} is past the end; the transcript has {self.total} lines"
        return f"{self.offset + 1}-{self.offset + len(self.lines)} of {self.total}"

    def as_json(self, next_step: Callable[[int], str]) -> dict[str, Any]:
        """For a JSON result: the marker, which lines these are, the next step, then the text."""
        chunk: dict[str, Any] = {"lines": self.span}
        if self.lines:
            chunk = {"untrusted": UNTRUSTED, **chunk}
        if self.next_offset is not None:
            chunk["next"] = next_step(self.next_offset)
        if self.lines:
            chunk["text"] = "\n".join(self.lines)
        return chunk

    def as_text(self, heading: str, next_step: Callable[[int], str]) -> str:
        """For text output: a heading and the next step (ours), then the lines between markers."""
        head = f"{heading}: lines {self.span}."
        if self.next_offset is not None:
            head += f" Next: {next_step(self.next_offset)}"
        return head + ("\n" + enclose("\n".join(self.lines)) if self.lines else "")


def transcript_chunk(call: Call, offset: int = 0, limit: int = TRANSCRIPT_CHUNK) -> TranscriptChunk:
    lines = transcript_lines(call)
    return TranscriptChunk(tuple(defuse(line) for line in lines[offset : offset + limit]), offset, len(lines))
