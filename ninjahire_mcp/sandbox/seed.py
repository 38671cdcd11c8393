"""Fill an empty emulator with a realistic, fictional recruiting pipeline drawn from one seed.

Everything (ids, names, timestamps, scores, transcripts) comes from a single `random.Random(seed)`,
so two emulators with the same seed hold the same data. Creation order follows time: jobs first,
then candidates, then their applications and calls, all before the sandbox's "now".

`scale` N adds N - 1 copies of that tenant after it (copies.py says how they differ), each from its own
`random.Random(f"{seed}/copy/{k}")`: copy k is the same whatever N is, and scale 1 is the tenant above.
Each copy's records follow time as the first's do; the copies' months overlap, as many desks' would.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from . import records
from .calls import Call
from .copies import MAX_SCALE, NamePool, Phonebook, recruiter, taken_phones, varied_job
from .job_catalog import JOB_TEMPLATES, JobTemplate, QuestionTemplate
from .people_catalog import (
    CANDIDATE_SOURCES,
    CITIES,
    EMAIL_DOMAINS,
    FEATURED_CANDIDATE,
    FIRST_NAMES,
    LAST_NAMES,
    RECRUITERS,
)
from .schedules import SCHEDULE_PRESETS
from .store import SANDBOX_EPOCH, Emulator
from .transcripts import screening_conversation

CANDIDATE_COUNT = 66
MIN_APPLICATIONS = 126
FEATURED_JOB_TITLE = "LLM Engineer"
FEATURED_ABILITY = 88.0

# How popular each catalogue job is with applicants, in catalogue order.
_JOB_POPULARITY = (4, 3, 3, 2, 3, 3, 1)

# What the customer's ATS says about an application, by how its screening went.
_STATUS_WHEN_PENDING = ("Applied", "New")
_STATUS_WHEN_STRONG = ("Interviewing", "Offer", "Hired", "Interview Scheduled")
_STATUS_WHEN_MIDDLING = ("Screening", "Under Review")
_STATUS_WHEN_WEAK = ("Rejected", "Not Selected")


@dataclass
class _Plan:
    """An application before it is recorded: applications get their source ids in time order."""

    candidate: dict[str, Any]
    job: dict[str, Any]
    created_at: datetime
    featured: bool = False


def populate(emulator: Emulator, seed: int, scale: int = 1) -> None:
    if not 1 <= scale <= MAX_SCALE:
        raise ValueError(f"scale must be a whole number from 1 to {MAX_SCALE}, got {scale!r}")
    rng = random.Random(seed)
    emulator.tenant_id = records.uuid_from(rng)
    jobs = [_seed_job(emulator, rng, index, template) for index, template in enumerate(JOB_TEMPLATES)]
    names = rng.sample([(first, last) for first in FIRST_NAMES for last in LAST_NAMES], CANDIDATE_COUNT - 1)
    featured_first, featured_last, *_ = FEATURED_CANDIDATE
    names.insert(rng.randrange(len(names) + 1), (featured_first, featured_last))
    used_phones: set[str] = set()
    candidates = _seed_candidates(
        emulator, rng, names, set(), lambda rng, area: _fictional_phone(rng, area, used_phones), featured=True
    )
    asked = _questions_by_job(emulator)
    for plan in _plan_applications(rng, jobs, candidates):
        _seed_application(emulator, rng, plan, asked[plan.job["id"]])
    _seed_webhook(emulator, rng)
    if scale > 1:
        _seed_copies(emulator, seed, scale)


def _seed_copies(emulator: Emulator, seed: int, scale: int) -> None:
    """Copies 1 .. scale-1 of the tenant, each with its own jobs, candidates, applications and calls."""
    seeded = list(emulator.candidates.values())
    pool = NamePool(seed, ((candidate["first_name"], candidate["last_name"]) for candidate in seeded))
    emails = {candidate["email"] for candidate in seeded}
    phones = Phonebook(taken_phones(seeded))
    for copy in range(1, scale):
        rng = random.Random(f"{seed}/copy/{copy}")
        jobs = []
        for index, catalogue_job in enumerate(JOB_TEMPLATES):
            template = varied_job(rng, catalogue_job)
            emulator.prepared_answers.update(_prepared(template.questions))
            jobs.append(_seed_job(emulator, rng, index, template, recruiter=recruiter(rng)))
        candidates = _seed_candidates(emulator, rng, pool.run(copy, CANDIDATE_COUNT), emails, phones.draw)
        asked = _questions_by_job(emulator, jobs)
        for plan in _plan_applications(rng, jobs, candidates, featured=False):
            _seed_application(emulator, rng, plan, asked[plan.job["id"]], varied=True)


def _prepared(questions: Sequence[QuestionTemplate]) -> dict[str, QuestionTemplate]:
    return {question.text: question for question in questions}


def _questions_by_job(emulator: Emulator, jobs: Sequence[dict[str, Any]] | None = None) -> dict[str, list[str]]:
    """The seeded questions' texts by job (of `jobs`, or all), in the order they were added: looked up
    once, not once per call, which at scale would read every question of the tenant for each call."""
    wanted = None if jobs is None else {job["id"] for job in jobs}
    texts: dict[str, list[str]] = {job_id: [] for job_id in (emulator.jobs if wanted is None else wanted)}
    for question in emulator.questions.values():
        if wanted is None or question["job_id"] in wanted:
            texts[question["job_id"]].append(question["question_text"])
    return texts


def _days_ago(rng: random.Random, oldest: float, newest: float) -> datetime:
    return SANDBOX_EPOCH - timedelta(seconds=round(rng.uniform(newest, oldest) * 86400))


def _seed_job(
    emulator: Emulator,
    rng: random.Random,
    index: int,
    template: JobTemplate,
    *,
    recruiter: tuple[str, str, str] | None = None,
) -> dict[str, Any]:
    """The `index`-th job of its copy of the tenant; numbered (JOB-n) after every job already seeded."""
    number = len(emulator.jobs)
    # Jobs are a few months old, older jobs first.
    created_at = SANDBOX_EPOCH - timedelta(days=120 - 6 * index, hours=rng.randint(0, 8))
    start = created_at + timedelta(days=30)
    recruiter_name, recruiter_email, recruiter_phone = recruiter or RECRUITERS[number % len(RECRUITERS)]
    fields = {
        **{name: getattr(template, name) for name in records.JOB_FIELDS if hasattr(template, name)},
        "country": "United States",
        "pay_rate_currency": "USD",
        "posting_date": records.timestamp(created_at),
        "start_date": records.timestamp(start.replace(hour=9, minute=0, second=0)),
        "end_date": records.timestamp(start + timedelta(days=182)) if template.duration else None,
        "recruiter_name": recruiter_name,
        "recruiter_email": recruiter_email,
        "recruiter_work_phone_no": recruiter_phone,
        "source_id": f"JOB-{1001 + number}",
    }
    job = records.job_record(records.uuid_from(rng), fields, created_at)
    emulator.jobs[job["id"]] = job
    emulator.scheduling[job["id"]] = template.status == "Active" and rng.random() < 0.85
    preset = SCHEDULE_PRESETS[0] if number == 0 else rng.choice(SCHEDULE_PRESETS)
    emulator.schedule_settings[job["id"]] = records.schedule_record(
        records.uuid_from(rng), job["id"], dict(preset, days_of_week=list(preset["days_of_week"])), created_at
    )
    for question in template.questions:
        record = records.question_record(
            records.uuid_from(rng),
            job_id=job["id"],
            application_id=None,
            question_text=question.text,
            source_id=emulator.next_question_source_id(),
            at=created_at + timedelta(hours=1),
        )
        emulator.questions[record["id"]] = record
    return job


def _seed_candidates(
    emulator: Emulator,
    rng: random.Random,
    names: list[tuple[str, str]],
    used_emails: set[str],
    phone: Callable[[random.Random, str], str],
    *,
    featured: bool = False,
) -> list[dict[str, Any]]:
    """Candidates of these names, with e-mail addresses not in `used_emails` (added to it) and numbers
    from `phone` (given the rng and the city's area code); numbered (CAND-n) after those already seeded."""
    # Candidates arrived over the last eleven weeks, after every job was posted.
    arrivals = sorted(_days_ago(rng, 80, 20) for _ in names)
    candidates = []
    for (first, last), created_at in zip(names, arrivals, strict=True):
        if featured and (first, last) == FEATURED_CANDIDATE[:2]:
            city, state, area = FEATURED_CANDIDATE[2:]
        else:
            city, state, area = rng.choice(CITIES)
        source_id = f"CAND-{2001 + len(emulator.candidates)}"
        fields = {
            "first_name": first,
            "last_name": last,
            "email": _unique(f"{first}.{last}".lower(), rng.choice(EMAIL_DOMAINS), used_emails),
            "phone_no": phone(rng, area),
            "city": city,
            "state_name": state,
            "country": "United States",
            "source": rng.choice(CANDIDATE_SOURCES),
            "source_id": source_id,
            "file": f"https://files.example.com/resumes/{source_id}.pdf" if rng.random() < 0.6 else None,
        }
        candidate = records.candidate_record(records.uuid_from(rng), fields, created_at)
        emulator.candidates[candidate["id"]] = candidate
        candidates.append(candidate)
    return candidates


def _unique(local_part: str, domain: str, used: set[str]) -> str:
    email, suffix = f"{local_part}@{domain}", 2
    while email in used:
        email, suffix = f"{local_part}{suffix}@{domain}", suffix + 1
    used.add(email)
    return email


def _fictional_phone(rng: random.Random, area_code: str, used: set[str]) -> str:
    while True:
        phone = f"+1{area_code}5550{rng.randint(100, 199)}"
        if phone not in used:
            used.add(phone)
            return phone


def _plan_applications(
    rng: random.Random, jobs: list[dict[str, Any]], candidates: list[dict[str, Any]], *, featured: bool = True
) -> list[_Plan]:
    featured_job = next(job for job in jobs if job["title"] == FEATURED_JOB_TITLE)
    applied: dict[str, list[dict[str, Any]]] = {candidate["id"]: [] for candidate in candidates}
    plans: list[_Plan] = []

    def apply(candidate: dict[str, Any], job: dict[str, Any], featured: bool = False) -> None:
        applied[candidate["id"]].append(job)
        created_at = _parse(candidate["created_at"]) + timedelta(minutes=rng.randint(30, 3 * 24 * 60))
        plans.append(_Plan(candidate, job, created_at, featured))

    for candidate in candidates:
        if featured and candidate["first_name"] == FEATURED_CANDIDATE[0]:
            apply(candidate, featured_job, featured=True)
        wanted = rng.choices((1, 2, 3), weights=(3, 5, 2))[0]
        while len(applied[candidate["id"]]) < wanted:
            apply(candidate, _pick_job(rng, jobs, applied[candidate["id"]]))
    while len(plans) < MIN_APPLICATIONS:
        candidate = rng.choice([c for c in candidates if len(applied[c["id"]]) < 3])
        apply(candidate, _pick_job(rng, jobs, applied[candidate["id"]]))
    return sorted(plans, key=lambda plan: plan.created_at)


def _pick_job(rng: random.Random, jobs: list[dict[str, Any]], taken: list[dict[str, Any]]) -> dict[str, Any]:
    open_jobs = [(job, weight) for job, weight in zip(jobs, _JOB_POPULARITY, strict=True) if job not in taken]
    return rng.choices([job for job, _ in open_jobs], weights=[weight for _, weight in open_jobs])[0]


def _parse(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def _seed_application(
    emulator: Emulator, rng: random.Random, plan: _Plan, asked: list[str], *, varied: bool = False
) -> None:
    application_id = records.uuid_from(rng)
    number = len(emulator.applications) + 10001
    # Skewed towards the middle and upper range, like a pipeline recruiters have already filtered.
    ability = FEATURED_ABILITY if plan.featured else 100 * rng.betavariate(1.8, 1.3)
    attempts = ["completed"] if plan.featured else _screening_attempts(rng.random())
    moment = plan.created_at
    final_score = None
    for outcome in attempts:
        moment += timedelta(minutes=rng.randint(60, 4 * 24 * 60))
        call = _seed_call(
            emulator, rng, application_id, plan, moment, ability if outcome == "completed" else None, asked, varied
        )
        emulator.record_call(call)
        moment = call.ended_at
        final_score = call.result.call_score if call.result else None
    status, stage = _ats_status(rng, attempts, final_score)
    application = records.application_record(
        application_id,
        candidate=plan.candidate,
        job=plan.job,
        source_id=f"APP-{number}",
        source_application_status=status,
        application_stage=stage,
        file=plan.candidate["file"],
        at=plan.created_at,
    )
    emulator.applications[application_id] = application


# How seeded applications were screened, as (share of applications, calls made in order). The
# shares add up to 1: most were screened, some needed a second try, a few were never called.
_SCREENING_HISTORIES: tuple[tuple[float, tuple[str, ...]], ...] = (
    (0.18, ()),
    (0.08, ("failed",)),
    (0.12, ("failed", "completed")),
    (0.62, ("completed",)),
)


def _screening_attempts(roll: float) -> list[str]:
    for share, attempts in _SCREENING_HISTORIES:
        if roll < share:
            return list(attempts)
        roll -= share
    return list(_SCREENING_HISTORIES[-1][1])


def _seed_call(
    emulator: Emulator,
    rng: random.Random,
    application_id: str,
    plan: _Plan,
    started: datetime,
    ability: float | None,
    asked: list[str],
    varied: bool,
) -> Call:
    """A finished call: screened when `ability` is given (asking `asked`), otherwise a ring with no answer."""
    result = None
    seconds = rng.randint(25, 45)  # ringing out
    if ability is not None:
        result = screening_conversation(
            plan.job, plan.candidate, asked, ability, rng, answers=emulator.prepared_answers, varied=varied
        )
        seconds = result.duration_seconds
    # Now and then the candidate returns a missed call instead of answering the first one.
    direction = "incoming" if result and rng.random() < 0.1 else "outgoing"
    return Call(
        id=records.uuid_from(rng),
        sequence=len(emulator.calls),
        application_id=application_id,
        job_id=plan.job["id"],
        candidate_id=plan.candidate["id"],
        direction=direction,
        created_at=started,
        ended_at=started + timedelta(seconds=seconds),
        result=result,
    )


def _ats_status(rng: random.Random, attempts: list[str], score: int | None) -> tuple[str, str]:
    if not attempts or score is None:
        return rng.choice(_STATUS_WHEN_PENDING), "ACTIVE"
    if score >= 70:
        return rng.choice(_STATUS_WHEN_STRONG), "ACTIVE"
    if score >= 45:
        return rng.choice(_STATUS_WHEN_MIDDLING), rng.choice(("ACTIVE", "ACTIVE", "PASSIVE"))
    return rng.choice(_STATUS_WHEN_WEAK), "PASSIVE"


def _seed_webhook(emulator: Emulator, rng: random.Random) -> None:
    fields = {
        "tenant_id": emulator.tenant_id,
        "triggered_event": "call_activity",
        "type": "post_call_screening",
        "fields": ["call_id", "application_id", "call_status", "call_score", "ninjahire_intelligence"],
        "url": "https://hooks.example.com/ninjahire/call-activity",
        "http_method": "POST",
        "content_type": "application/json",
        "secret": "whsec_sandbox_0123456789abcdef",
        "is_active": True,
    }
    created_at = SANDBOX_EPOCH - timedelta(days=100)
    webhook = records.webhook_record(records.uuid_from(rng), fields, created_at)
    emulator.webhooks[webhook["id"]] = webhook
