"""What the API answers, as typed records that tolerate what the documentation does not say.

Ninjahire documents its request bodies in detail and its answers hardly at all, so every record is
lenient by design (the habit of the anthropic SDK's response models):
- every field is optional, and a field the API adds later is kept (`extra="allow"`), never dropped;
- a documented field whose value has an unexpected type (a score sent as "n/a", say) is kept as it
  came, untyped, instead of failing the whole answer: the typed attribute is then None;
- `data()` gives the record back as the API sent it (its own key order, extras included), which is
  what results relay.

An answer that is not even an object where a record belongs is an `UnexpectedResponseError` (raised
by the resource that asked for it): there is no record to tolerate.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator
from pydantic_core import PydanticCustomError

IN_PROGRESS = "call_in_progress"
COMPLETED = "call_completed"

# An int stays an int: 38 must read back as 38, not 38.0.
Number = int | float


class Record(BaseModel):
    """A lenient API record; see the module docstring."""

    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True)

    _keys: tuple[str, ...] = PrivateAttr(default=())

    @model_validator(mode="wrap")
    @classmethod
    def _tolerant(cls, data: Any, handler: Any) -> Any:
        data = cls._shaped(data)
        if not isinstance(data, dict):
            raise PydanticCustomError("not_a_record", "expected a JSON object, got {kind}", {"kind": _kind(data)})
        try:
            record = handler(data)
        except ValidationError as error:
            # The fields whose values do not fit are kept as they came, as untyped extras.
            misfits = {str(detail["loc"][0]) for detail in error.errors() if detail["loc"]}
            record = handler({key: value for key, value in data.items() if key not in misfits})
            extra = record.__pydantic_extra__
            if extra is not None:
                extra.update((key, data[key]) for key in data if key in misfits)
        record._keys = tuple(data)
        return record

    @classmethod
    def _shaped(cls, data: Any) -> Any:
        """The answer in the form this record reads (a page takes a bare list as its items)."""
        return data

    def data(self) -> dict[str, Any]:
        """The record as the API sent it: its keys, in its order, nested records too."""
        by_key = {(info.alias or name): name for name, info in type(self).model_fields.items()}
        extra = self.__pydantic_extra__ or {}
        shown: dict[str, Any] = {}
        for key in self._keys:
            if key in extra:  # an addition of the API's, or a misfit kept as it came
                shown[key] = extra[key]
            elif key in by_key:
                shown[key] = _plain(getattr(self, by_key[key]))
        return shown

    def get(self, name: str) -> Any:
        """A field by its API name, typed or extra (None when absent), for code given a field's name."""
        extra = self.__pydantic_extra__ or {}
        if name in extra:
            return extra[name]
        return getattr(self, name, None) if name in type(self).model_fields else None


def _plain(value: Any) -> Any:
    if isinstance(value, Record):
        return value.data()
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _kind(value: Any) -> str:
    return {list: "a list", str: "text", bool: "a boolean", int: "a number", float: "a number"}.get(
        type(value), "null" if value is None else type(value).__name__
    )


class Job(Record):
    id: str | None = None
    title: str | None = None
    client_name: str | None = None
    industry: str | None = None
    job_code: str | None = None
    address: str | None = None
    workplace_type: str | None = None
    city: str | None = None
    state_name: str | None = None
    zip_code: str | None = None
    country: str | None = None
    employment_type: str | None = None
    duration: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    posting_date: str | None = None
    pay_frequency: str | None = None
    min_pay_rate: Number | None = None
    max_pay_rate: Number | None = None
    pay_rate_currency: str | None = None
    recruiter_name: str | None = None
    recruiter_email: str | None = None
    recruiter_work_phone_no: str | None = None
    status: str | None = None
    desc: str | None = None
    source_id: str | None = None


class Candidate(Record):
    id: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone_no: str | None = None
    city: str | None = None
    state_name: str | None = None
    country: str | None = None
    source: str | None = None
    source_id: str | None = None
    file: str | None = None

    @property
    def name(self) -> str:
        """First and last name, as a person would write them; empty when neither is known."""
        return " ".join(part for part in (self.first_name, self.last_name) if part).strip()


class Application(Record):
    id: str | None = None
    candidate_id: str | None = None
    job_id: str | None = None
    candidate_source_id: str | None = None
    job_source_id: str | None = None
    source_id: str | None = None
    source_application_status: str | None = None
    application_stage: str | None = None
    screening_status: str | None = None
    file: str | None = None
    # GET /v1/applications/{id} nests the candidate and the job.
    candidate: Candidate | None = None
    job: Job | None = None

    @property
    def for_job(self) -> str | None:
        """The job's id, from the record or its nested job."""
        return self.job_id or (self.job.id if self.job else None)


class Call(Record):
    call_id: str | None = None
    application_id: str | None = None
    job_id: str | None = None
    candidate_id: str | None = None
    call_status: str | None = None
    ninjahire_intelligence: str | None = None
    call_direction: str | None = None
    recording_url: str | None = None
    call_score: Number | None = None
    call_summary: Any = None  # documented as an object by category; relayed whatever it is
    call_digest: str | None = None
    transcript: str | None = None
    questions_response: Any = None  # documented as a JSON string; views/ read it tolerantly
    created_at: str | None = None
    ended_at: str | None = None

    @property
    def in_progress(self) -> bool:
        return self.call_status == IN_PROGRESS

    @property
    def completed(self) -> bool:
        return self.call_status == COMPLETED


class Question(Record):
    id: str | None = None
    job_id: str | None = None
    application_id: str | None = None
    question_text: str | None = None
    source_id: str | None = None


class Webhook(Record):
    id: str | None = None
    tenant_id: str | None = None
    triggered_event: str | None = None
    type: str | None = None
    fields: list[str] | None = None
    url: str | None = None
    http_method: str | None = None
    content_type: str | None = None
    secret: str | None = None
    is_active: bool | None = None
    is_deleted: bool | None = None


class JobScheduling(Record):
    job_id: str | None = None
    scheduling: bool | None = None


class ScheduleSettings(Record):
    window_start_time: str | None = None
    window_end_time: str | None = None
    daily_attempts: int | None = None
    total_attempts: int | None = None
    retry_interval: int | None = None
    days_of_week: list[int] | None = None
    email_enabled: bool | None = None
    email_notify_minutes: int | None = None
    email_repeat: bool | None = None
    sms_enabled: bool | None = None
    sms_notify_minutes: int | None = None
    sms_repeat: bool | None = None
    voicemail_enabled: bool | None = None
    repeat_calling: bool | None = None
    call_schedule_minutes: int | None = None
    default: bool | None = None
    name: str | None = None


class CallStarted(Record):
    """The answer to an instant call."""

    status: str | None = None
    call_id: str | None = None


Item = TypeVar("Item", bound=Record)


class Page(Record, Generic[Item]):
    """One page of a list: its items (`data` on the wire) and `count`, the total the API matched.

    A body without a `data` list of records is not the documented shape: `documented` is then
    False, and the body is relayed as it came (`data()`) rather than guessed at.
    """

    items: list[Item] = Field(default_factory=list, alias="data")
    count: int | None = None

    @classmethod
    def _shaped(cls, data: Any) -> Any:
        # Read as a page without a count: a list endpoint that answers with its items alone.
        return {"data": data} if isinstance(data, list) else data

    @property
    def documented(self) -> bool:
        return "items" in self.model_fields_set
