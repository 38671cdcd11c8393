"""`--redact-pii`: phone numbers and email addresses masked in everything the agent is shown.

Masking works on text, wherever it sits (a candidate record, a digest, a transcript line), so a
contact detail is caught whichever field carries it. Names stay: a recruiter must know who is who.
Ids, dates, scores and URLs of records are left alone: UUIDs and ISO dates are skipped explicitly,
numbers that are JSON numbers are never text, and a run of digits glued to letters, `-`, `/` or `:`
is part of something else (an id, a path, a time), not a phone number.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from mcp.types import CallToolResult, TextContent

_KEEP_DIGITS = 2  # enough to tell two numbers apart in a conversation, too few to dial

_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_ISO_DATE = r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
# Any script's letters (IDN domains, Cyrillic local parts), `%40` for the @, and address literals.
_EMAIL = (
    r"[\w.%+-]+(?:@|%40)"
    r"(?:[^\W_][\w-]*(?:\.[^\W_][\w-]*)*\.[^\W\d_]{2,}|\[(?:IPv6:)?[0-9A-Fa-f:.]+\])"
)
# Digits in groups joined by spaces, dots, dashes or brackets; an optional leading +. Not glued to a
# word, a path or a time on either side; a JSON escape (\n, \t, \r) before it counts as a boundary,
# so text that is already rendered JSON is masked as well as plain text.
_PHONE = (
    r"(?:(?<=\\[nrt])|(?<![\w+/.:=@$€£#-]))"
    r"(?:\+\s?)?\(?\+?\d(?:[ .\-()]{0,3}\d){6,18}"
    r"(?![\w/:@-])(?!\.\d)"
)
_CONTACT = re.compile(rf"(?P<keep>{_UUID}|{_ISO_DATE})|(?P<email>{_EMAIL})|(?P<phone>{_PHONE})")
_KEEP = re.compile(rf"{_UUID}|{_ISO_DATE}")
# What a number glued to it on either side is part of (as the pattern's own boundaries say).
_GLUED_BEFORE = re.compile(r"[\w+/.:=@$€£#-]")
_GLUED_AFTER = re.compile(r"[\w/:@-]")

# Digit runs that fit the phone pattern but are something else.
_YEAR_RANGE = re.compile(r"^(?:19|20)\d{2}\s?[-–]\s?(?:19|20)\d{2}$")
_DECIMAL = re.compile(r"^\d+\.\d+$")
_IP_ADDRESS = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")


def mask_pii(value: Any) -> Any:
    """`value` with every email address and phone number masked in its strings, at any depth."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {key: mask_pii(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [mask_pii(item) for item in value]
    return value


# Characters that hide or disguise a contact without changing what it says: invisible ones, and every dash.
_INVISIBLE = re.compile(r"[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
                        r"\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e0fff]")  # fmt: skip
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"))
# "tel:+1415...", "phone:415...": a scheme or label glued to the number by a colon.
_LABEL = re.compile(r"(?i)\b(tel|phone|sms|whatsapp|fax|mobile|cell|callto|viber|signal)\s*:(?=[\s(+\d])")


def mask_text(text: str) -> str:
    """`text` with its email addresses and phone numbers masked. It is read as NFKC (full-width digits and
    @, non-breaking and thin spaces), without invisible characters and with every dash a hyphen; when it
    holds a contact, it is shown in that form, masked, and otherwise exactly as it came."""
    if not any(ch.isdigit() for ch in text) and "@" not in text and "＠" not in text and "%40" not in text:
        return text  # most text has neither; skip the scan
    plain = _LABEL.sub(r"\1: ", _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).translate(_DASHES))
    masked = _more_phones(_CONTACT.sub(_masked, plain))
    return text if masked == plain else masked


def _more_phones(text: str) -> str:
    """International numbers the pattern does not know, found by libphonenumber (imported only here: it is
    used only with --redact-pii, and costs ~17 ms to load)."""
    if sum(ch.isdigit() for ch in text) < 7:
        return text
    import phonenumbers

    kept = [match.span() for match in _KEEP.finditer(text)]
    pieces, last = [], 0
    for found in phonenumbers.PhoneNumberMatcher(text, "US", leniency=phonenumbers.Leniency.VALID):
        start, end = found.start, found.end
        glued = (start > 0 and _GLUED_BEFORE.match(text[start - 1])) or (
            end < len(text) and _GLUED_AFTER.match(text[end])
        )
        overlaps = any(start < k_end and k_start < end for k_start, k_end in kept)
        if glued or overlaps or not _is_phone(found.raw_string):
            continue  # part of an id, a path, a time or a date: not a phone number, as for the pattern
        pieces += [text[last:start], masked_phone(found.raw_string)]
        last = end
    return "".join(pieces) + text[last:] if pieces else text


def mask_email(address: str) -> str:
    """a***@***.com: the first letter and the top-level domain, so that it still reads as an email."""
    local, _, domain = address.replace("%40", "@", 1).partition("@")
    if domain.startswith("["):
        return f"{local[:1]}***@[***]"  # an address literal: no top-level domain to keep
    return f"{local[:1]}***@***.{domain.rsplit('.', 1)[-1]}"


def masked_phone(number: str) -> str:
    """+*********23: a star per hidden digit, the last two digits kept."""
    digits = [ch for ch in number if ch.isdigit()]
    plus = "+" if number.lstrip("(").startswith("+") else ""
    return plus + "*" * (len(digits) - _KEEP_DIGITS) + "".join(digits[-_KEEP_DIGITS:])


def _masked(match: re.Match[str]) -> str:
    found = match.group()
    if match.group("email"):
        return mask_email(found)
    if match.group("phone") and _is_phone(found):
        return masked_phone(found)
    return found


def _is_phone(found: str) -> bool:
    digits = sum(ch.isdigit() for ch in found)
    if not 7 <= digits <= 15:
        return False
    if found.isdigit() and digits < 10:
        return False  # a bare 7-9 digit run is a count or an amount; phones that short are written in groups
    return not (_YEAR_RANGE.match(found) or _DECIMAL.match(found) or _IP_ADDRESS.match(found))


def redact_result(result: CallToolResult) -> CallToolResult:
    """A tool result with its text and structured content masked; anything else is passed as is."""
    content = [
        block.model_copy(update={"text": mask_text(block.text)}) if isinstance(block, TextContent) else block
        for block in result.content
    ]
    structured = mask_pii(result.structured_content) if result.structured_content is not None else None
    return result.model_copy(update={"content": content, "structured_content": structured})
