"""The policy for real-world actions, in one place: a person's confirmation, the call ledger and the
phone-call guard ("may I phone?"), what widens automated calling, and reading resume files from the
user's folder.

What a gated handler declares and the SDK resolves: `Confirm` (ask, or preview and redeem a token),
`CallGuard` (the checks before a call, once per request), `Resumes` (the resume folder).
"""

from ._confirmation import (
    APPROVAL_META,
    MODERN_ERA,
    Approval,
    Confirm,
    Confirmation,
    ConfirmationBook,
    ConfirmToken,
    PendingAction,
    Preview,
    TokenRefused,
    approved_in_view,
    not_done,
    phone_hint,
)
from ._journal import GuardJournal, guard_path
from ._ledger import COOL_DOWN, CallLedger
from ._phone import CallGuard, PhoneGuard
from ._resume_files import EXTENSIONS, MAX_BYTES, ResumeFolder, ResumePath, Resumes, only_one_resume
from ._scheduling import calling_window, rescheduling_preview, scheduling_preview, widening
from ._urls import shown_url, webhook_url_problem

__all__ = [
    "APPROVAL_META",
    "COOL_DOWN",
    "EXTENSIONS",
    "MAX_BYTES",
    "MODERN_ERA",
    "Approval",
    "CallGuard",
    "CallLedger",
    "Confirm",
    "ConfirmToken",
    "Confirmation",
    "ConfirmationBook",
    "GuardJournal",
    "PendingAction",
    "PhoneGuard",
    "Preview",
    "ResumeFolder",
    "ResumePath",
    "Resumes",
    "TokenRefused",
    "approved_in_view",
    "calling_window",
    "guard_path",
    "not_done",
    "only_one_resume",
    "phone_hint",
    "rescheduling_preview",
    "scheduling_preview",
    "shown_url",
    "webhook_url_problem",
    "widening",
]
