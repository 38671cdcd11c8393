"""Parameter types shared by many tools: one wording for paging and for every kind of id.

An alias is written once and used as `x: Alias` (required) or `x: Alias | None = None` (optional);
the schema compaction in `_schema.py` makes the optional form read the same on the wire.
"""

from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field

from . import _checks

_UUID = {"format": "uuid"}

Page = Annotated[int, Field(ge=1, description="Page, from 1.")]
Size = Annotated[int, Field(ge=1, le=100, description="Per page, 1-100.")]

JobId = Annotated[
    str,
    AfterValidator(_checks.uuid_check("job_id", "`id` from get_jobs", "get_jobs(source_id='{value}')")),
    Field(json_schema_extra=_UUID, description="Job UUID from get_jobs."),
]
CandidateId = Annotated[
    str,
    AfterValidator(
        _checks.uuid_check("candidate_id", "`id` from get_candidates", "get_candidates(source_id='{value}')")
    ),
    Field(json_schema_extra=_UUID, description="Candidate UUID from get_candidates."),
]
ApplicationId = Annotated[
    str,
    AfterValidator(
        _checks.uuid_check("application_id", "`id` from get_applications", "get_applications(source_id='{value}')")
    ),
    Field(json_schema_extra=_UUID, description="Application UUID from get_applications."),
]
CallId = Annotated[
    str,
    AfterValidator(_checks.uuid_check("call_id", "`call_id` from get_screening_results or instant_call", None)),
    Field(json_schema_extra=_UUID, description="Call UUID from get_screening_results or instant_call."),
]
QuestionId = Annotated[
    str,
    AfterValidator(_checks.opaque_id("question_id")),
    Field(min_length=1, description="Question id from get_questions."),
]
TenantWebhookId = Annotated[
    str,
    AfterValidator(_checks.opaque_id("tenant_webhook_id")),
    Field(min_length=1, description="Webhook `id` from get_webhook."),
]

# The customer's own ids (from their ATS), as opposed to Ninjahire's UUIDs.
SourceId = Annotated[str, BeforeValidator(_checks.stripped), Field(min_length=1)]
JobSourceIdFilter = Annotated[SourceId, Field(description="Your system's job id (source_id).")]
CandidateSourceIdFilter = Annotated[SourceId, Field(description="Your system's candidate id (source_id).")]
ApplicationSourceIdFilter = Annotated[
    SourceId, Field(description="Your system's application id (application source_id); exact match.")
]

Email = Annotated[str, AfterValidator(_checks.email), Field(max_length=254)]
Phone = Annotated[str, AfterValidator(_checks.phone)]
