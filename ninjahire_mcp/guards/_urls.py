"""Where candidate data may be sent: a webhook URL must be a public HTTPS endpoint, and the person who
confirms it sees the host as it really is.

Refused: anything but https (http only with NINJAHIRE_WEBHOOK_ALLOW_HTTP, for local testing), user
information before the host (`https://hooks.example.com@attacker.example/` goes to attacker.example),
IP addresses that are not public in any spelling (`169.254.169.254`, `0x7f.1`, `2130706433`, `[::1]`),
names that only resolve inside a network (localhost, *.local, *.internal), a port outside 1-65535, and
control, invisible or direction-changing characters anywhere in the URL. The host is shown in punycode
(a homoglyph of a known name reads as `xn--...`) and the URL with every non-ASCII character escaped.

Names are not resolved here: a public name that resolves to a private address is Ninjahire's to refuse.
"""

from __future__ import annotations

import ipaddress
import socket
import unicodedata
from urllib.parse import quote, urlsplit, urlunsplit

_INTERNAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa", ".intranet", ".corp")


def webhook_url_problem(url: str, *, allow_http: bool) -> str | None:
    """Why `url` cannot receive candidate data, naming the fix; None when it may."""
    bad = next((ch for ch in url if _hidden(ch)), None)
    if bad is not None:
        return (
            f"url holds an invisible or control character (U+{ord(bad):04X}): type the URL plainly, with no line "
            "breaks, spaces or direction marks."
        )
    parts = urlsplit(url)
    if parts.scheme != "https" and not (allow_http and parts.scheme == "http"):
        return "url must start with https:// (set NINJAHIRE_WEBHOOK_ALLOW_HTTP=1 to allow http:// for local testing)."
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return (
            "url must not carry user information before the host (the part before '@' hides where data really "
            "goes): give the endpoint's own URL."
        )
    try:
        port = parts.port
    except ValueError:
        return "url has a port outside 1-65535."
    if port == 0:
        return "url has a port outside 1-65535."
    host = (parts.hostname or "").rstrip(".")
    if not host:
        return "url has no host."
    address = _address(host)
    if address is not None and not address.is_global:
        return (
            f"url points at {address}, which is not a public address (loopback, private, link-local or "
            "reserved): Ninjahire must deliver to a public HTTPS endpoint."
        )
    if address is None and (host == "localhost" or host.endswith(_INTERNAL_SUFFIXES) or "." not in host):
        return f"url's host {host!r} is a name only a local network resolves: give a public host name."
    if address is None:
        try:
            host.encode("idna")
        except UnicodeError:
            return f"url's host {host!r} is not a valid host name."
    return None


def shown_url(url: str) -> tuple[str, str]:
    """(host in punycode, the URL with that host and every other non-ASCII character escaped)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".")
    ascii_host = host if _address(host) is not None else host.encode("idna").decode("ascii")
    netloc = ascii_host if parts.port is None else f"{ascii_host}:{parts.port}"
    escaped = urlunsplit(
        (parts.scheme, netloc, quote(parts.path, safe="/%"), quote(parts.query, safe="=&%"), quote(parts.fragment))
    )
    return ascii_host, escaped


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The IP address a host spells, in any spelling a resolver accepts (dotted, hex, octal, one number)."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))  # 0x7f.1, 2130706433, 127.1, 0177.0.0.1
    except OSError:
        return None


def _hidden(ch: str) -> bool:
    category = unicodedata.category(ch)
    # Cc: control (newlines included); Cf: format (zero-width, bidi overrides); Zs/Zl/Zp: spaces and separators.
    return category in ("Cc", "Cf", "Zl", "Zp") or (category == "Zs")
