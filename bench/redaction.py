"""How many spellings of a phone number or an email address survive --redact-pii: a fixed corpus of 40
phone and 20 email forms, each inside a sentence, masked by the server's own masking.

Run: .venv/bin/python -m bench.redaction   (prints the survivors; tests/tools/test_privacy.py holds them at 0)
"""

from __future__ import annotations

from ninjahire_mcp.views import mask_text

PHONES = (
    "+14155550123", "+1 415 555 0123", "(415) 555-0123", "415-555-0123", "415.555.0123", "4155550123",
    "tel:+14155550123", "phone:4155550123", "Phone: 415 555 0123", "+1\u00a0415\u00a0555\u00a00123",
    "415\u2013555\u20130123", "415\u2014555\u20140123", "+1 415 555 0123 x12", "415-555-0123 ext. 7",
    "+44 20 7946 0958", "020 7946 0958", "+49 30 901820", "+33 1 42 68 53 00", "+91 98038 79562", "+919803879562",
    "1-800-555-0199", "+1-415-555-0123", "+1 (415) 555-0123", "(+1) 415 555 0123", "415 5550123", "+61 2 9374 4000",
    "+81 3-1234-5678", "+86 10 1234 5678", "tel:415-555-0123", "sms:+14155550123", "whatsapp:+14155550123",
    "+1.415.555.0123", "00 1 415 555 0123", "0014155550123", "415 555 01 23", "+1 415-555-0123;ext=12",
    "(415)555-0123", "\uff0b\uff11 \uff14\uff11\uff15 \uff15\uff15\uff15 \uff10\uff11\uff12\uff13",
    "+1\u2009415\u2009555\u20090123", "415\u2011555\u20110123",
)  # fmt: skip
EMAILS = (
    "dana@example.com", "dana.kim+jobs@example.co.uk", "DANA@EXAMPLE.COM", "dana@ma\u00f1ana.com",
    "\u0434\u0430\u043d\u0430@example.com", "dana\uff20example.com", "dana%40example.com", "dana@[192.168.0.1]",
    "dana@[IPv6:2001:db8::1]", "d.a.n.a@sub.example.org", "dana_kim@example.io", "dana-kim@xn--maana-pta.com",
    "mailto:dana@example.com", "dana@example.museum", "dana@\u4f8b\u3048.jp", "dana@example.\u4e2d\u56fd",
    "Dana <dana@example.com>", "dana@EXAMPLE.com", "dana.kim@example.com.", "dana\u200b@example.com",
)  # fmt: skip


def survivors(forms: tuple[str, ...], digits_or_at: str) -> list[str]:
    """Forms whose contact detail is still readable after masking: for a phone, its last 7 digits in a row; for
    an email, its local part beside the domain."""
    left = []
    for form in forms:
        shown = mask_text(f"Reach me at {form} any time.")
        if digits_or_at == "phone":
            digits = "".join(ch for ch in shown if ch.isdigit() or ch in "０１２３４５６７８９")
            kept = [d for d in "".join(ch for ch in form if ch.isdigit() or ch in "０１２３４５６７８９")]
            if len(kept) >= 7 and "".join(kept)[-7:] in digits:
                left.append(form)
        elif "***" not in shown:
            left.append(form)
    return left


def main() -> None:
    phones, emails = survivors(PHONES, "phone"), survivors(EMAILS, "email")
    print(f"phone forms surviving: {len(phones)} of {len(PHONES)}")
    for form in phones:
        print(f"  {form!r}")
    print(f"email forms surviving: {len(emails)} of {len(EMAILS)}")
    for form in emails:
        print(f"  {form!r}")


if __name__ == "__main__":
    main()
