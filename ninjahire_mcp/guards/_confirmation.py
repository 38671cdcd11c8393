"""No real-world action without a person's say-so.

A gated tool (a phone call, where candidate data is sent, deleting data) makes no change on its first
call. Where the client renders MCP Apps views, the preview is a card with a button that only a person can
press: its handle travels in the result's `_meta`, which the view reads and the model does not, and only the
app-only `approve` tool redeems it (tools/approving.py), once, by running the same call again under every
guard. Where the client can ask its user instead (form elicitation, in either protocol era), the server
asks directly, and only a yes performs the action. Where it can do neither, the tool returns a preview of
what would happen, to whom, with a `confirm_token` bound to those exact arguments: calling again with the
token performs it, once, within the token's lifetime. It never assumes a yes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import sqlite3
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Annotated, Any, Protocol, cast

from mcp.server.apps import client_supports_apps
from mcp.server.mcpserver import AcceptedElicitation, Context, Elicit, ElicitationResult, Resolve
from mcp.types import CallToolResult, TextContent
from mcp_types.version import is_version_at_least
from pydantic import BaseModel, Field

from ..client import NinjahireError
from ..config import Settings
from ..toolkit import caller_key, error_result, running_arguments
from ..views import defuse_all, mask_text, render, without_nulls
from ._journal import GuardJournal

ConfirmToken = Annotated[str | None, Field(description="From the preview, once the user agreed.")]

MODERN_ERA = "2026-07-28"  # from here the server asks through the client's retry, needing no session
SIGNING_KEY = "confirm-token-signing-key"  # its name in the guards' journal
APPROVAL_META = "ninjahire/approval"  # the result `_meta` key the approval card reads its handle from


class Approval(BaseModel):
    """What the person is shown when the client can ask them (primitive fields only, as forms need)."""

    confirm: bool = Field(description="Yes, do it")


@dataclass(frozen=True)
class Preview:
    """What would happen and to whom: one sentence for a person, details for the agent."""

    summary: str
    details: dict[str, Any]


class TokenRefused(Exception):
    """A confirm_token (or a view's approval handle) that confirms nothing; the message says why."""


@dataclass(frozen=True)
class PendingAction:
    """A call waiting for a person to press the card's button: run again as it came once they do, and
    allowed to act only if what it would do is still exactly what the card showed (`bound`)."""

    tool: str
    arguments: dict[str, Any]
    bound: str  # the digest of the previewed call's bound arguments


# The action a person approved in a view, while `approve` runs it again. A context variable: only that one
# run (the same task) sees it, never a concurrent request, and nothing the model sends can set it.
_APPROVED: ContextVar[PendingAction | None] = ContextVar("approved_in_view", default=None)


@contextmanager
def approved_in_view(action: PendingAction) -> Iterator[None]:
    """Within this block, `action` (and only it) counts as approved by a person."""
    token = _APPROVED.set(action)
    try:
        yield
    finally:
        _APPROVED.reset(token)


@dataclass
class ConfirmationBook:
    """Issues and redeems confirm tokens: signed, bound to a tool and its arguments, single-use; and
    remembers what a person was asked, so that the next round of a 2026-era exchange asks the same.

    The signing key and the spent tokens are kept in the guards' journal: in live mode durably, so that
    any process of this installation (a restarted one, or a host's fresh stdio server per tool call)
    redeems a token another issued, once.
    """

    ttl: float
    clock: Callable[[], float] = time.time
    journal: GuardJournal = field(default_factory=GuardJournal)
    _asked: dict[str, tuple[float, Preview]] = field(
        default_factory=dict, repr=False
    )  # call digest -> (expiry, preview)

    def __post_init__(self) -> None:
        self._key = self.journal.secret(SIGNING_KEY)

    def issue(self, tool: str, arguments: Mapping[str, Any]) -> str:
        claims = {"t": tool, "a": _digest(arguments), "e": round(self.clock() + self.ttl), "n": secrets.token_hex(8)}
        body = _b64(json.dumps(claims, separators=(",", ":")).encode())
        return f"{body}.{self._sign(body)}"

    def redeem(self, token: str, tool: str, arguments: Mapping[str, Any]) -> None:
        """Accept the token for this exact call and spend it, or raise TokenRefused saying why."""
        body, _, signature = token.strip().partition(".")
        if not signature or not hmac.compare_digest(signature, self._sign(body)):
            where = "this installation" if self.journal.durable else "this server process"
            raise TokenRefused(
                f"its signature is not {where}'s: it was mistyped or cut short, altered, or issued by a server "
                "that keeps its signing key elsewhere (another machine, data folder or NINJAHIRE_GUARD_DB"
                + ("" if self.journal.durable else "; this one keeps no key across restarts")
                + ")"
            )
        claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        if claims["t"] != tool:
            raise TokenRefused(f"it was issued for {claims['t']}, not {tool}")
        if claims["a"] != _digest(arguments):
            raise TokenRefused("it was issued for other arguments; a token confirms only the exact call it previewed")
        now = self.clock()
        if claims["e"] < now:
            raise TokenRefused(f"it expired {now - claims['e']:.0f} s ago (tokens last {self.ttl:g} s)")
        db = self.journal.db
        # An expired token is refused for its age already: its nonce need not be remembered.
        db.execute("DELETE FROM spent_tokens WHERE expires < ?", (now,))
        try:
            # One statement, atomic across processes: of two redeeming the same token at once, one wins.
            db.execute("INSERT INTO spent_tokens (nonce, expires) VALUES (?, ?)", (claims["n"], claims["e"]))
        except sqlite3.IntegrityError:
            raise TokenRefused("it was already used; each token confirms one attempt") from None

    def hold(self, tool: str, bound: Mapping[str, Any], arguments: Mapping[str, Any], caller: str | None) -> str:
        """Keep a previewed call for a person to approve in a view; the handle the card's button sends back.

        Kept in the guards' journal, so any process of this installation can run it once approved; only a
        hash of the handle is stored, so the file alone approves nothing."""
        handle = secrets.token_urlsafe(24)
        now = self.clock()
        db = self.journal.db
        db.execute("DELETE FROM pending_approvals WHERE expires < ?", (now,))
        call = json.dumps(dict(arguments), default=str)
        db.execute(
            "INSERT INTO pending_approvals (handle, tool, arguments, bound, caller, expires) VALUES (?, ?, ?, ?, ?, ?)",
            (_handle_key(handle), tool, call, _digest(bound), caller, now + self.ttl),
        )
        return handle

    def take(self, handle: str, caller: str | None) -> PendingAction:
        """The action `handle` approves, spent (each approves one attempt), or TokenRefused saying why."""
        now = self.clock()
        db = self.journal.db
        # One statement, atomic across processes: of two presses of the same button, one gets the row.
        row = db.execute(
            "DELETE FROM pending_approvals WHERE handle = ? AND caller IS ? RETURNING tool, arguments, bound, expires",
            (_handle_key(handle.strip()), caller),
        ).fetchone()
        db.execute("DELETE FROM pending_approvals WHERE expires < ?", (now,))
        if row is None:
            raise TokenRefused(
                "this server knows no such approval: it was already used (each approves one attempt), it was "
                "issued to another caller, or by a server that keeps its approvals elsewhere"
            )
        tool, arguments, bound, expires = row
        if expires < now:
            raise TokenRefused(f"it expired {now - expires:.0f} s ago (approvals last {self.ttl:g} s)")
        return PendingAction(tool, json.loads(arguments), bound)

    def asked(self, tool: str, arguments: Mapping[str, Any]) -> Preview | None:
        """The preview a person was last shown for this exact call, while it is fresh."""
        kept = self._asked.get(f"{tool}:{_digest(arguments)}")
        return kept[1] if kept is not None and kept[0] >= self.clock() else None

    def remember_asked(self, tool: str, arguments: Mapping[str, Any], preview: Preview) -> None:
        now = self.clock()
        for key in [key for key, (expiry, _) in self._asked.items() if expiry < now]:
            del self._asked[key]
        self._asked[f"{tool}:{_digest(arguments)}"] = (now + self.ttl, preview)

    def _sign(self, body: str) -> str:
        return _b64(hmac.new(self._key, body.encode(), hashlib.sha256).digest())


def _digest(arguments: Mapping[str, Any]) -> str:
    present = {key: value for key, value in arguments.items() if value is not None}
    canonical = json.dumps(present, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def _handle_key(handle: str) -> str:
    return hashlib.sha256(handle.encode()).hexdigest()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@dataclass(frozen=True)
class Confirmation:
    """The confirmation step of one gated call: ask the person, or preview and redeem a token."""

    ctx: Context
    book: ConfirmationBook
    settings: Settings
    caller: str | None  # a hash of the caller's own Ninjahire key, in a shared deployment

    def can_ask(self, confirm_token: str | None) -> bool:
        """Whether to ask the person through the client: confirmation is on, no token came, and the
        client declared form elicitation (the same test the SDK applies before asking)."""
        if not self.settings.confirm or confirm_token is not None:
            return False
        if _APPROVED.get() is not None or self.shows_views:
            return False  # a person approves (or approved) with the view's button instead
        if self.settings.stateless and not self.modern:
            return False  # a stateless 2025-era exchange has no back-channel to ask over: preview instead
        capabilities = self.ctx.client_capabilities
        elicitation = capabilities.elicitation if capabilities is not None else None
        return elicitation is not None and (elicitation.form is not None or elicitation.url is None)

    @property
    def shows_views(self) -> bool:
        """The client renders MCP Apps views: the preview becomes a card whose button only a person presses."""
        return client_supports_apps(self.ctx)

    def take_approval(self, handle: str) -> PendingAction:
        """The call a card's handle approves, for this caller, spent; TokenRefused says why not."""
        return self.book.take(handle, self.caller)

    @property
    def modern(self) -> bool:
        """A 2026-era exchange: a question ends the request and its answer comes with the next one, so no
        person is ever waited for inside a request."""
        return is_version_at_least(self.ctx.protocol_version or "", MODERN_ERA)

    async def ask(
        self,
        tool: str,
        arguments: Mapping[str, Any],
        confirm_token: str | None,
        preview: Callable[[], Awaitable[Preview]],
    ) -> Elicit[Approval] | None:
        """The body of every gated tool's resolver: the question for the person, or None when the tool
        body decides alone (no asking possible, or a token came).

        The next round of a 2026-era exchange (a retry that carries the sealed request state) asks again,
        and the SDK accepts the answer only for the question exactly as it was shown: so there the preview
        asked about is reused, not read again."""
        if not self.can_ask(confirm_token):
            return None
        bound = self._bound(arguments)
        shown = self.book.asked(tool, bound) if self.ctx.request_state else None
        if shown is None:
            try:
                shown = await preview()
            except NinjahireError:
                return None  # the tool body meets the same error and reports it
            self.book.remember_asked(tool, bound, shown)
        # The question goes straight to the client, past the result masking of the tool pipeline.
        question = mask_text(shown.summary) if self.settings.redact_pii else shown.summary
        return Elicit(f"{question} Do you confirm?", Approval)

    async def decide(
        self,
        tool: str,
        arguments: Mapping[str, Any],
        *,
        confirm_token: str | None,
        approval: ElicitationResult[Approval] | None,
        preview: Callable[[], Awaitable[Preview]],
    ) -> CallToolResult | None:
        """None when the action may go ahead now; otherwise the result to return instead of acting."""
        if not self.settings.confirm:
            return None
        bound = self._bound(arguments)
        approved = _APPROVED.get()
        if approved is not None:
            if approved.tool == tool and approved.bound == _digest(bound):
                return None  # a person pressed the card's button for exactly this
            return error_result(
                f"Nothing was done: the action approved in the view is not this {tool} call (what it would do has "
                "changed since the card was shown). Call it again for a new card."
            )
        if confirm_token is not None:
            try:
                self.book.redeem(confirm_token, tool, bound)
            except TokenRefused as refused:
                return error_result(
                    f"The confirm_token confirms nothing: {refused}. Nothing was done. Call {tool} again with the "
                    "same arguments and without confirm_token for a fresh preview, and show it to the user."
                )
            except (ValueError, KeyError, TypeError):
                return error_result(
                    f"The confirm_token is not a token this server issued. Nothing was done. Call {tool} again "
                    "without confirm_token for a fresh preview."
                )
            return None
        if isinstance(approval, AcceptedElicitation) and isinstance(approval.data, Approval):
            if approval.data.confirm:
                return None
            return not_done(tool, "the user did not confirm")
        if approval is not None and not isinstance(approval, AcceptedElicitation):
            return not_done(tool, f"the user answered {approval.action}")
        shown = await preview()
        if self.shows_views:
            return self._card(tool, bound, shown)
        token = self.book.issue(tool, bound)
        payload = {
            "status": "confirmation_required",
            "action": shown.summary,
            "details": shown.details,
            "confirm_token": token,
            "expires_in_s": round(self.settings.confirm_ttl),
            "next": (
                f"Nothing was done yet. Show this to the user; only if they agree, call {tool} again with the "
                "same arguments plus confirm_token."
            ),
        }
        # Structured content is the whole preview, not just its token: a client that hands the model only
        # structuredContent must show it what would happen and to whom, not a bare token to redeem.
        shown_payload = defuse_all(without_nulls(payload))
        return CallToolResult(
            content=[TextContent(type="text", text=render(shown_payload))], structured_content=shown_payload
        )

    def _card(self, tool: str, bound: Mapping[str, Any], shown: Preview) -> CallToolResult:
        """The preview as the approval card shows it. The handle goes in `_meta` only: hosts give that to the
        view, not to the model, so no model can approve by calling again."""
        arguments = running_arguments(tool)
        arguments.pop("confirm_token", None)
        handle = self.book.hold(tool, bound, arguments, self.caller)
        payload = defuse_all(
            without_nulls(
                {
                    "status": "awaiting_approval",
                    "action": shown.summary,
                    "details": shown.details,
                    "expires_in_s": round(self.settings.confirm_ttl),
                    "next": (
                        "Nothing was done yet. The user sees this as a card with a button; only they can approve it "
                        f"there, and the server then does it. Do not call {tool} again for it."
                    ),
                }
            )
        )
        return CallToolResult(
            content=[TextContent(type="text", text=render(payload))],
            structured_content=payload,
            _meta={APPROVAL_META: {"handle": handle, "tool": tool}},
        )

    def _bound(self, arguments: Mapping[str, Any]) -> dict[str, Any]:
        # In a shared deployment each request brings its own key: a token confirms only for that caller.
        return {**arguments, "_caller": self.caller}


class _State(Protocol):
    """What confirmation needs of the server's state (server.AppState)."""

    @property
    def settings(self) -> Settings: ...

    @property
    def confirmations(self) -> ConfirmationBook: ...


async def confirmation(ctx: Context) -> Confirmation:
    state = cast(_State, ctx.request_context.lifespan_context)
    key = caller_key(ctx)
    caller = hashlib.sha256(key.encode()).hexdigest()[:16] if key else None
    return Confirmation(ctx, state.confirmations, state.settings, caller)


Confirm = Annotated[Confirmation, Resolve(confirmation)]


def not_done(tool: str, why: str) -> CallToolResult:
    payload = {"status": "not_done", "reason": f"Nothing was done: {why}.", "tool": tool}
    return CallToolResult(content=[TextContent(type="text", text=render(payload))], structured_content=payload)


def phone_hint(phone: Any) -> str:
    """A phone number as a preview shows it: enough to recognise, not enough to dial."""
    if not isinstance(phone, str) or not phone.strip():
        return "unknown"
    digits = [ch for ch in phone if ch.isdigit()]
    keep = 4 if len(digits) > 6 else 2
    return ("+" if phone.strip().startswith("+") else "") + "*" * (len(digits) - keep) + "".join(digits[-keep:])
