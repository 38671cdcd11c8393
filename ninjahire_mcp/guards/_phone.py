"""May this server phone the candidate of an application now? Answered here, and only here.

A call is refused when the tenant's daily budget is spent, when a call for the application is already
in progress, and when this server phoned the candidate within the hour (unless forced). The checks run
once per request, shared by the tool's resolver (which decides whether to ask a person at all) and
its body: a second time only after a person was asked inside the request (a 2025-era elicitation),
because the world may have changed while they decided, or when another attempt for the application
was made meanwhile. The last check and the POST happen under the application's lock (`placing`), so
that concurrent calls, forced or not, place one call.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any, Protocol, cast

import anyio
from mcp.server.mcpserver import Context, Resolve

from ..client import (
    APIConnectionError,
    APIStatusError,
    InvalidRequestError,
    KeyBusyError,
    NinjahireClient,
    NinjahireError,
    Record,
)
from ..toolkit import Api, caller_key
from ..views import defuse, quoted
from ._confirmation import Preview, phone_hint
from ._ledger import COOL_DOWN, Attempt, CallLedger, ledger_key
from ._scheduling import calling_window


@dataclass
class PhoneGuard:
    """The call guard of one request: the checks, their one answer, and what the person is shown."""

    api: NinjahireClient
    ledger: CallLedger
    tenant: str  # whose calls and budget these are: a hash of the caller's key, or "" for the server's own
    _checked: dict[tuple[str, bool], tuple[int, str | None]] = field(default_factory=dict)

    async def blocked(self, application_id: str, force: bool) -> str | None:
        """Why the call must not be placed now; None when it may be."""
        key = ledger_key(self.tenant, application_id)
        memo = self._checked.get((key[1], force))
        if memo is None or memo[0] != self.ledger.attempts(key):  # unchecked, or an attempt came since
            memo = (self.ledger.attempts(key), await self._check(application_id, force))
            self._checked[(key[1], force)] = memo
        return memo[1]

    def recheck(self) -> None:
        """Forget the answers: a person was asked in between, and things may have changed meanwhile."""
        self._checked.clear()

    @asynccontextmanager
    async def placing(self, application_id: str, force: bool) -> AsyncIterator[str | None]:
        """Hold the application's lock for the last check and the POST: yields why not to call, or None."""
        async with self.ledger.lock(ledger_key(self.tenant, application_id)):
            yield await self.blocked(application_id, force) or self.budget_spent()

    def budget_spent(self) -> str | None:
        """The budget alone, checked again right before a call: another call may have spent it meanwhile."""
        if self.ledger.budget_left(self.tenant) != 0:
            return None
        hours = self.ledger.seconds_to_reset() / 3600
        return (
            f"Not called: the daily call budget ({self.ledger.max_per_day} calls per UTC day, "
            f"NINJAHIRE_MAX_CALLS_PER_DAY) is spent. It resets at 00:00 UTC, in {hours:.1f} h; force does not "
            "bypass it."
        )

    def record(self, application_id: str) -> Attempt:
        """Count the attempt before it is sent: an attempt whose outcome is unknown may have phoned someone."""
        return self.ledger.record(ledger_key(self.tenant, application_id))

    def placed(self, attempt: Attempt) -> None:
        self.ledger.placed(attempt)

    def settle(self, attempt: Attempt, error: NinjahireError) -> None:
        """After a failed POST: withdraw the attempt when Ninjahire's answer says it was not carried out."""
        if not_carried_out(error):
            self.ledger.withdraw(attempt)

    async def _check(self, application_id: str, force: bool) -> str | None:
        spent = self.budget_spent()
        if spent:
            return spent
        screening = await self.api.calls.list(page=1, size=100, application_id=application_id)
        live = [call for call in screening.items if call.in_progress]
        if live:
            return (
                f"Not called: a screening call for this application is already in progress (call_id "
                f"{live[0].call_id}). Follow it with get_call instead of calling again."
            )
        key = ledger_key(self.tenant, application_id)
        since = self.ledger.seconds_since_call(key)
        if since is not None and since < COOL_DOWN and not force and not self.ledger.outcome_known(key):
            return (
                f"Not called: this server tried to phone this candidate {since / 60:.0f} min ago and never learnt "
                "whether the call was placed (its answer was lost, timed out or the request was cancelled), so the "
                "candidate may have been phoned. Check get_screening_results(application_id=...) first; call again "
                "within the hour only if the user asks for it explicitly, with force=true."
            )
        if since is not None and since < COOL_DOWN and not force:
            return (
                f"Not called: this server phoned this candidate {since / 60:.0f} min ago. Check that call with "
                "get_screening_results(application_id=...). Call again within the hour only if the user asks for "
                "it explicitly, with force=true."
            )
        return None

    async def preview(self, application_id: str) -> Preview:
        """Who would be phoned, about which job, and when that job's calls are allowed."""
        application = await self.api.applications.get(application_id)
        # The documented answer nests the candidate and the job; fall back to their ids, then to "unknown".
        candidate = application.candidate
        if candidate is None and application.candidate_id:
            candidate = await self.api.candidates.get(application.candidate_id)
        job_id = application.for_job
        found: dict[str, Record | None] = {}

        async def fetch(key: str, read: Any) -> None:
            try:
                found[key] = await read
            except NinjahireError:
                found[key] = None  # the preview says "unknown" rather than failing on an optional detail

        if job_id:
            async with anyio.create_task_group() as group:
                group.start_soon(fetch, "job", self.api.jobs.get(job_id))
                group.start_soon(fetch, "settings", self.api.jobs.get_schedule_settings(job_id))
                group.start_soon(fetch, "scheduling", self.api.jobs.get_scheduling(job_id))

        name = (candidate.name if candidate else "") or "the candidate"
        job, switch = found.get("job"), found.get("scheduling")
        title = (job.get("title") if job else None) or "unknown job"
        window = calling_window(found.get("settings"))
        scheduling = switch.get("scheduling") if switch else None
        phone = phone_hint(candidate.phone_no if candidate else None)
        # The name is the candidate's own text: quoted and defused, after our sentence, never inside it.
        shown = quoted(name) if candidate and candidate.name else "unknown"
        return Preview(
            summary=(
                f"Phone the candidate at {phone} now for an AI screening interview about the {title} job. "
                f"Candidate, as their record names them: {shown}."
            ),
            details={
                "candidate": defuse(name),
                "phone": phone,
                "job": title,
                "job_id": job_id,
                "calling_window": window,
                "job_scheduling": "unknown" if scheduling is None else ("on" if scheduling else "off"),
                "screening_status": application.screening_status,
            },
        )


class _State(Protocol):
    """What the call guard needs of the server's state (server.AppState)."""

    @property
    def calls_placed(self) -> CallLedger: ...


def not_carried_out(error: NinjahireError) -> bool:
    """Whether Ninjahire's answer (or its absence) says the request phoned nobody: refused before sending,
    never sent, or answered with a 4xx (429 included). A 5xx, a timeout after sending or an unreadable
    2xx leaves the outcome unknown: the attempt stays counted, so that nobody is phoned twice."""
    if isinstance(error, InvalidRequestError | KeyBusyError):  # refused here, or the key's share stayed busy
        return True
    if isinstance(error, APIConnectionError):
        return not error.may_have_reached_server
    return isinstance(error, APIStatusError) and error.status_code < 500


async def phone_guard(ctx: Context, api: Api) -> PhoneGuard:
    key = caller_key(ctx)
    tenant = hashlib.sha256(key.encode()).hexdigest()[:16] if key else ""
    return PhoneGuard(api, cast(_State, ctx.request_context.lifespan_context).calls_placed, tenant)


CallGuard = Annotated[PhoneGuard, Resolve(phone_guard)]
