"""The emulator's state and the operations the routes perform on it.

Routes check the shape of a request; this module enforces the rules that need the data: unknown ids
(404), duplicates (409) and cross-record consistency (422).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from . import records
from .calls import IN_PROGRESS, SCREENING_STATUS_BY_CALL_STATUS, Call, render_call
from .errors import Conflict, FieldError, NotFound, ValidationFailed
from .job_catalog import QuestionTemplate
from .question_generator import generate_questions
from .schedules import new_job_schedule, schedule_from_put
from .transcripts import screening_conversation

# The emulator's wall clock reads this when the app is created and moves with `clock` from then on.
# A fixed start keeps every timestamp, seeded or created, reproducible under a fake clock.
SANDBOX_EPOCH = datetime(2025, 6, 2, 15, 0, 0, tzinfo=UTC)

# Share of instant calls that nobody answers, so clients meet call_failed in the sandbox too.
NO_ANSWER_RATE = 0.2

UPLOADED_RESUME_URL = "https://files.example.com/uploads/{application_id}.pdf"


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: str
    api_key: str | None


class Emulator:
    """Everything the sandbox API knows, kept in memory for the lifetime of one app."""

    def __init__(self, *, seed: int, call_duration: float, clock: Callable[[], float]) -> None:
        self.seed = seed
        self.call_duration = call_duration
        self._clock = clock
        self._clock_origin = clock()
        self._ids = random.Random(f"{seed}/created-records")
        self.request_log: list[RecordedRequest] = []
        self.tenant_id = ""
        self.jobs: dict[str, dict[str, Any]] = {}
        self.scheduling: dict[str, bool] = {}  # by job id
        self.schedule_settings: dict[str, dict[str, Any]] = {}  # by job id
        self.candidates: dict[str, dict[str, Any]] = {}
        self.applications: dict[str, dict[str, Any]] = {}
        self.questions: dict[str, dict[str, Any]] = {}
        self.question_numbers = 0  # for the source ids of generated questions, "Q-<n>"
        # Answers for the questions of a scaled tenant's copies, which name their own client and city.
        self.prepared_answers: dict[str, QuestionTemplate] = {}
        self.calls: dict[str, Call] = {}
        self.calls_by_application: defaultdict[str, list[str]] = defaultdict(list)  # oldest first
        # Told once of each instant call that ends, with its record (the sandbox's webhooks).
        self.on_call_finished: Callable[[dict[str, Any]], None] | None = None
        self._unannounced: set[str] = set()  # instant calls whose end nobody has observed yet
        self.webhooks: dict[str, dict[str, Any]] = {}

    # ---- time and ids ---------------------------------------------------------------------------

    def now(self) -> datetime:
        return SANDBOX_EPOCH + timedelta(seconds=self._clock() - self._clock_origin)

    def new_id(self) -> str:
        return records.uuid_from(self._ids)

    def next_question_source_id(self) -> str:
        self.question_numbers += 1
        return f"Q-{self.question_numbers}"

    # ---- lookups --------------------------------------------------------------------------------

    def job(self, job_id: str) -> dict[str, Any]:
        return _find(self.jobs, job_id, "Job")

    def candidate(self, candidate_id: str) -> dict[str, Any]:
        return _find(self.candidates, candidate_id, "Candidate")

    def application(self, application_id: str) -> dict[str, Any]:
        return _find(self.applications, application_id, "Application")

    def webhook(self, webhook_id: str) -> dict[str, Any]:
        return _find(self.webhooks, webhook_id, "Tenant webhook")

    def call(self, call_id: str) -> Call:
        call = self.calls.get(call_id)
        if call is None:
            raise NotFound.resource("Call", call_id)
        return call

    def question_of_job(self, job_id: str, question_id: str) -> dict[str, Any]:
        question = self.questions.get(question_id)
        if question is None or question["job_id"] != job_id:
            raise NotFound.resource("Question", question_id)
        return question

    # ---- jobs -----------------------------------------------------------------------------------

    def create_job(self, fields: dict[str, Any]) -> dict[str, Any]:
        _check_pay_range(fields)
        if _with_source_id(self.jobs, fields["source_id"]):
            raise Conflict(f"Job with source_id {fields['source_id']} already exists")
        job = records.job_record(self.new_id(), fields, self.now())
        self.jobs[job["id"]] = job
        self.scheduling[job["id"]] = False
        self.schedule_settings[job["id"]] = records.schedule_record(
            self.new_id(), job["id"], new_job_schedule(), self.now()
        )
        return job

    def update_job(self, job: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
        _check_pay_range({**job, **fields})
        job.update(fields, updated_at=records.timestamp(self.now()))
        return job

    def replace_schedule(self, job: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
        current = self.schedule_settings[job["id"]]
        setting = records.schedule_record(current["id"], job["id"], schedule_from_put(values), self.now())
        self.schedule_settings[job["id"]] = setting
        return setting

    # ---- candidates -----------------------------------------------------------------------------

    def create_candidate(self, fields: dict[str, Any]) -> dict[str, Any]:
        if _with_source_id(self.candidates, fields["source_id"]):
            raise Conflict(f"Candidate with source_id {fields['source_id']} already exists")
        candidate = records.candidate_record(self.new_id(), fields, self.now())
        self.candidates[candidate["id"]] = candidate
        return candidate

    def update_candidate(self, candidate: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
        holder = _with_source_id(self.candidates, fields["source_id"])
        if holder is not None and holder is not candidate:
            raise Conflict(f"Candidate with source_id {fields['source_id']} already exists")
        candidate.update(fields, updated_at=records.timestamp(self.now()))
        return candidate

    # ---- applications ---------------------------------------------------------------------------

    def create_application(
        self, values: dict[str, Any], questions: list[dict[str, str]] | None = None
    ) -> dict[str, Any]:
        """Create an application (and the questions that come with it) after every check has passed."""
        candidate = _with_source_id(self.candidates, values["candidate_source_id"])
        if candidate is None:
            raise NotFound(f"Candidate with source_id {values['candidate_source_id']} not found")
        job = _with_source_id(self.jobs, values["job_source_id"])
        if job is None:
            raise NotFound(f"Job with source_id {values['job_source_id']} not found")
        mismatches = [
            FieldError(name, f"does not match {name.removesuffix('_id')}_source_id {values[source]}")
            for name, source, record in (
                ("candidate_id", "candidate_source_id", candidate),
                ("job_id", "job_source_id", job),
            )
            if name in values and values[name] != record["id"]
        ]
        if mismatches:
            raise ValidationFailed(mismatches)
        pair = (candidate["id"], job["id"])
        if any((app["candidate_id"], app["job_id"]) == pair for app in self.applications.values()):
            raise Conflict(f"Candidate {candidate['source_id']} has already applied to job {job['source_id']}")
        application_id = self.new_id()
        file = values.get("file")
        if file is None and "base64file" in values:
            file = UPLOADED_RESUME_URL.format(application_id=application_id)
        application = records.application_record(
            application_id,
            candidate=candidate,
            job=job,
            source_id=None,
            source_application_status=values["source_application_status"],
            application_stage=values["application_stage"],
            file=file,
            at=self.now(),
        )
        self.applications[application_id] = application
        for question in questions or []:
            self.add_question(job, question["question_text"], question["source_id"], application_id)
        return application

    def update_application(self, application: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
        application.update(values, updated_at=records.timestamp(self.now()))
        return application

    def render_application(self, application: dict[str, Any]) -> dict[str, Any]:
        """The application as the API shows it, with its screening status worked out now."""
        shown = dict(application)
        shown["screening_status"] = self.screening_status(application["id"])
        return shown

    def render_application_detail(self, application: dict[str, Any]) -> dict[str, Any]:
        job = self.jobs[application["job_id"]]
        return {
            **self.render_application(application),
            "candidate": dict(self.candidates[application["candidate_id"]]),
            "job": {name: job[name] for name in records.JOB_SUMMARY_FIELDS},
        }

    # ---- questions ------------------------------------------------------------------------------

    def questions_of_job(self, job_id: str) -> list[dict[str, Any]]:
        return [question for question in self.questions.values() if question["job_id"] == job_id]

    def check_application_of_job(self, job: dict[str, Any], application_id: str) -> FieldError | None:
        application = self.applications.get(application_id)
        if application is None or application["job_id"] != job["id"]:
            return FieldError("application_id", f"is not an application of job {job['id']}")
        return None

    def add_question(
        self, job: dict[str, Any], question_text: str, source_id: str, application_id: str | None = None
    ) -> dict[str, Any]:
        question = records.question_record(
            self.new_id(),
            job_id=job["id"],
            application_id=application_id,
            question_text=question_text,
            source_id=source_id,
            at=self.now(),
        )
        self.questions[question["id"]] = question
        return question

    def update_question(self, question: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
        question.update(values, updated_at=records.timestamp(self.now()))
        return question

    def delete_question(self, question: dict[str, Any]) -> None:
        del self.questions[question["id"]]

    def generate_questions(self, job: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            self.add_question(job, template.text, self.next_question_source_id())
            for template in generate_questions(job)
        ]

    # ---- calls ----------------------------------------------------------------------------------

    def call_status(self, call: Call) -> str:
        status = call.status(self._clock(), self.call_duration)
        if status != IN_PROGRESS and call.id in self._unannounced:
            # The first time anything sees the call ended, which is when it ended, as far as anyone can tell.
            self._unannounced.discard(call.id)
            if self.on_call_finished is not None:
                self.on_call_finished(render_call(call, status))
        return status

    def settle_calls(self) -> None:
        """Look at every instant call still in progress, so that those whose time is up are seen to end."""
        for call_id in list(self._unannounced):
            self.call_status(self.calls[call_id])

    def render_call(self, call: Call) -> dict[str, Any]:
        return render_call(call, self.call_status(call))

    def screening_status(self, application_id: str) -> str:
        call_ids = self.calls_by_application.get(application_id)
        if not call_ids:
            return "pending"
        return SCREENING_STATUS_BY_CALL_STATUS[self.call_status(self.calls[call_ids[-1]])]

    def record_call(self, call: Call) -> None:
        self.calls[call.id] = call
        self.calls_by_application[call.application_id].append(call.id)

    def start_instant_call(self, application: dict[str, Any]) -> Call:
        """Dial now; the outcome is fixed per application and attempt, and revealed after the call."""
        if self.screening_status(application["id"]) == SCREENING_STATUS_BY_CALL_STATUS[IN_PROGRESS]:
            raise Conflict(f"Application {application['id']} already has a call in progress")
        attempt = len(self.calls_by_application[application["id"]]) + 1
        outcome_rng = random.Random(f"{self.seed}/{application['id']}/{attempt}")
        # The candidate is as good on every attempt; only whether they pick up changes.
        ability = random.Random(f"{self.seed}/{application['id']}").uniform(0, 100)
        job = self.jobs[application["job_id"]]
        result = None
        if outcome_rng.random() >= NO_ANSWER_RATE:
            asked = [
                question["question_text"]
                for question in self.questions_of_job(job["id"])
                if question["application_id"] in (None, application["id"])
            ]
            candidate = self.candidates[application["candidate_id"]]
            result = screening_conversation(job, candidate, asked, ability, outcome_rng, answers=self.prepared_answers)
        started = self.now()
        call = Call(
            id=self.new_id(),
            sequence=len(self.calls),
            application_id=application["id"],
            job_id=job["id"],
            candidate_id=application["candidate_id"],
            direction="outgoing",
            created_at=started,
            ended_at=started + timedelta(seconds=self.call_duration),
            result=result,
            started_on_clock=self._clock(),
        )
        self.record_call(call)
        self._unannounced.add(call.id)
        return call

    def find_calls(self, filters: dict[str, str]) -> list[Call]:
        """Calls matching every given filter, newest first."""
        # One application's calls are indexed, and the other filters compare plain attributes: a scaled
        # tenant (--scale) has thousands of calls to look through on every page.
        application_id = filters.get("application_id")
        if application_id is not None:
            among = [self.calls[call_id] for call_id in self.calls_by_application.get(application_id, ())]
        else:
            among = list(self.calls.values())
        for name in ("application_id", "job_id", "candidate_id"):
            if name in filters:
                wanted = filters[name]
                among = [call for call in among if getattr(call, name) == wanted]
        for name, source in (
            ("application_source_id", "source_id"),
            ("job_source_id", "job_source_id"),
            ("candidate_source_id", "candidate_source_id"),
        ):
            if name in filters:
                wanted = filters[name]
                among = [call for call in among if self.applications[call.application_id][source] == wanted]
        return sorted(among, key=lambda call: (call.created_at, call.sequence), reverse=True)

    # ---- tenant webhooks ------------------------------------------------------------------------

    def upsert_webhook(self, values: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """Create or update the tenant's webhook for one event; True when it was created."""
        for webhook in self.webhooks.values():
            if (webhook["tenant_id"], webhook["triggered_event"]) == (
                values["tenant_id"],
                values["triggered_event"],
            ):
                webhook.update(values, updated_at=records.timestamp(self.now()))
                return webhook, False
        webhook = records.webhook_record(self.new_id(), values, self.now())
        self.webhooks[webhook["id"]] = webhook
        return webhook, True

    def set_webhook_deleted(self, webhook: dict[str, Any], deleted: bool) -> dict[str, Any]:
        webhook.update(is_deleted=deleted, updated_at=records.timestamp(self.now()))
        return webhook


def _find(collection: dict[str, dict[str, Any]], record_id: str, kind: str) -> dict[str, Any]:
    record = collection.get(record_id)
    if record is None:
        raise NotFound.resource(kind, record_id)
    return record


def _with_source_id(collection: dict[str, dict[str, Any]], source_id: str) -> dict[str, Any] | None:
    return next((record for record in collection.values() if record["source_id"] == source_id), None)


def _check_pay_range(fields: dict[str, Any]) -> None:
    low, high = fields.get("min_pay_rate"), fields.get("max_pay_rate")
    if low is not None and high is not None and low > high:
        raise ValidationFailed([FieldError("min_pay_rate", "must not be greater than max_pay_rate")])
