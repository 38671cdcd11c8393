"""Is a webhook request from Ninjahire? The checks of Ninjahire's "Webhook Verification" page, nothing more.

- The signature is the hex HMAC-SHA256 of the payload under the shared secret. Ninjahire's sample signs
  `JSON.stringify(payload)` (the parsed JSON re-serialised without spaces), which need not be the bytes
  on the wire, so both the raw body and that re-serialisation are accepted. A `sha256=` prefix and
  upper-case hex are tolerated; the comparison is constant-time.
- The timestamp (Unix seconds) must be within `max_age` of now, either way: an old one is a replay, and
  one from far in the future would stay "fresh" forever. It is not signed, so this alone cannot stop a
  replay: the store deduplicates on the payload as well.

A refusal's reason is safe to log: it never quotes the secret, the signature or the payload.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import re
from collections.abc import Iterable
from typing import Any

SIGNATURE_HEADER = "X-NINJAHIRE-Signature"
TIMESTAMP_HEADER = "X-NINJAHIRE-Timestamp"

_SECONDS = re.compile(r"^\d{1,15}(?:\.\d{1,9})?$")
_HEX_DIGEST = re.compile(r"^[0-9a-f]{64}$")


class Refused(Exception):
    """The request is not a genuine, fresh Ninjahire webhook (HTTP 401); the message says why."""


def check_timestamp(value: str | None, *, now: float, max_age: float) -> None:
    if value is None or not value.strip():
        raise Refused(f"missing {TIMESTAMP_HEADER} header")
    text = value.strip()
    if not _SECONDS.match(text):
        raise Refused(f"{TIMESTAMP_HEADER} is not Unix seconds")
    stamp = float(text)
    if not math.isfinite(stamp):
        raise Refused(f"{TIMESTAMP_HEADER} is not Unix seconds")
    age = now - stamp
    if age > max_age:
        raise Refused(f"stale timestamp ({age:.0f} s old; at most {max_age:g} s accepted)")
    if -age > max_age:
        raise Refused(f"timestamp {-age:.0f} s in the future (at most {max_age:g} s of clock skew accepted)")


def check_signature(signature: str | None, secret: str, signed_forms: Iterable[bytes]) -> None:
    """Passes when `signature` is the HMAC of one of `signed_forms`; raises Refused otherwise."""
    if signature is None or not signature.strip():
        raise Refused(f"missing {SIGNATURE_HEADER} header")
    given = signature.strip().lower().removeprefix("sha256=")
    if not _HEX_DIGEST.match(given):
        raise Refused(f"{SIGNATURE_HEADER} is not a hex SHA-256 digest")
    key = secret.encode()
    # Every form is compared, matched or not, so the time taken says nothing about which one matched.
    matches = [
        hmac.compare_digest(hmac.new(key, form, hashlib.sha256).hexdigest().encode(), given.encode())
        for form in signed_forms
    ]
    if not any(matches):
        raise Refused("signature does not match (wrong secret, or the body was altered)")


def signed_forms(body: bytes, payload: Any, *, parsed: bool) -> list[bytes]:
    """What Ninjahire may have signed: the raw body, and (if it parsed) its `JSON.stringify` form."""
    return [body, stringify(payload)] if parsed else [body]


def stringify(payload: Any) -> bytes:
    """`JSON.stringify(payload)`: no spaces, key order kept, non-ASCII left as is, and a lone UTF-16
    surrogate (which `\\ud800` in a body decodes to, and UTF-8 cannot carry) escaped as `\\ud800`, as
    JSON.stringify escapes it."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8", "backslashreplace")
