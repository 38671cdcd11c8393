"""The JSON shapes of the API's resources, built in one place for seeded and created records alike."""

from __future__ import annotations

import random
import uuid
from datetime import datetime
from typing import Any

JOB_FIELDS: tuple[str, ...] = (
    "title",
    "client_name",
    "industry",
    "job_code",
    "address",
    "workplace_type",
    "city",
    "state_name",
    "zip_code",
    "country",
    "employment_type",
    "duration",
    "start_date",
    "end_date",
    "posting_date",
    "pay_frequency",
    "min_pay_rate",
    "max_pay_rate",
    "pay_rate_currency",
    "recruiter_name",
    "recruiter_email",
    "recruiter_work_phone_no",
    "status",
    "desc",
    "source_id",
)

CANDIDATE_FIELDS: tuple[str, ...] = (
    "first_name",
    "last_name",
    "email",
    "phone_no",
    "city",
    "state_name",
    "country",
    "source",
    "source_id",
    "file",
)

# The fields of GET /v1/applications/{id}'s nested "job": enough to recognise the job.
JOB_SUMMARY_FIELDS: tuple[str, ...] = ("id", "title", "source_id", "status", "city", "state_name", "country")


def timestamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def job_record(job_id: str, fields: dict[str, Any], at: datetime) -> dict[str, Any]:
    """Every documented field is present, null when it was never given."""
    return _record(job_id, JOB_FIELDS, fields, at)


def candidate_record(candidate_id: str, fields: dict[str, Any], at: datetime) -> dict[str, Any]:
    return _record(candidate_id, CANDIDATE_FIELDS, fields, at)


def _record(record_id: str, names: tuple[str, ...], fields: dict[str, Any], at: datetime) -> dict[str, Any]:
    stamp = timestamp(at)
    return {
        "id": record_id,
        **{name: fields.get(name) for name in names},
        "created_at": stamp,
        "updated_at": stamp,
    }


def application_record(
    application_id: str,
    *,
    candidate: dict[str, Any],
    job: dict[str, Any],
    source_id: str | None,
    source_application_status: str,
    application_stage: str,
    file: str | None,
    at: datetime,
) -> dict[str, Any]:
    stamp = timestamp(at)
    return {
        "id": application_id,
        "candidate_id": candidate["id"],
        "job_id": job["id"],
        "candidate_source_id": candidate["source_id"],
        "job_source_id": job["source_id"],
        "source_id": source_id,
        "source_application_status": source_application_status,
        "application_stage": application_stage,
        "file": file,
        "created_at": stamp,
        "updated_at": stamp,
    }


def question_record(
    question_id: str,
    *,
    job_id: str,
    application_id: str | None,
    question_text: str,
    source_id: str,
    at: datetime,
) -> dict[str, Any]:
    stamp = timestamp(at)
    return {
        "id": question_id,
        "job_id": job_id,
        "application_id": application_id,
        "question_text": question_text,
        "source_id": source_id,
        "created_at": stamp,
        "updated_at": stamp,
    }


def schedule_record(setting_id: str, job_id: str, settings: dict[str, Any], at: datetime) -> dict[str, Any]:
    return {"id": setting_id, "job_id": job_id, **settings, "updated_at": timestamp(at)}


def webhook_record(webhook_id: str, fields: dict[str, Any], at: datetime) -> dict[str, Any]:
    stamp = timestamp(at)
    return {
        "id": webhook_id,
        "tenant_id": fields["tenant_id"],
        "triggered_event": fields["triggered_event"],
        "type": fields["type"],
        "fields": list(fields["fields"]),
        "url": fields["url"],
        "http_method": fields["http_method"],
        "content_type": fields["content_type"],
        "secret": fields.get("secret"),
        "is_active": fields.get("is_active", True),
        "is_deleted": False,
        "created_at": stamp,
        "updated_at": stamp,
    }


def uuid_from(rng: random.Random) -> str:
    """A version-4 UUID drawn from `rng`, so the same seed always yields the same ids."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))
