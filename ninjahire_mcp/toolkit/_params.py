"""Parameter types shared by many tools: one wording for paging, for every kind of id, and for common values.

An alias is written once and used as `x: Alias` (required) or `x: Alias | None = None` (optional);
the schema compaction in `_schema.py` makes the optional form read the same on the wire. Each id type
is its own alias, so that a signature says which id it takes and a refusal says where that id comes from.
"""

from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field

from . import _checks

PageNumber = Annotated[int, Field(ge=1)]
PageSize = Annotated[int, Field(ge=1, le=100)]
Text = Annotated[str, Field(min_length=1)]

JobId = Annotated[
    str,
    AfterValidator(_checks.uuid_check("job_id", "`id` from get_jobs", "get_jobs(source_id='{value}')")),
]
CandidateId = Annotated[
    str,
    AfterValidator(
        _checks.uuid_check("candidate_id", "`id` from get_candidates", "get_candidates(source_id='{value}')")
    ),
]
ApplicationId = Annotated[
    str,
    AfterValidator(
        _checks.uuid_check("application_id", "`id` from get_applications", "get_applications(source_id='{value}')")
    ),
]
CallId = Annotated[
    str,
    AfterValidator(_checks.uuid_check("call_id", "`call_id` from get_screening_results or instant_call", None)),
]
QuestionId = Annotated[
    str,
    AfterValidator(_checks.opaque_id("question_id")),
    Field(min_length=1),
]
TenantWebhookId = Annotated[
    str,
    AfterValidator(_checks.opaque_id("tenant_webhook_id")),
    Field(min_length=1, description="Webhook `id` from get_webhook."),
]

# The customer's own ids (from their ATS), as opposed to Ninjahire's UUIDs.
SourceId = Annotated[str, BeforeValidator(_checks.stripped), Field(min_length=1)]

Email = Annotated[str, AfterValidator(_checks.email)]  # the check bounds it at 254 characters
Phone = Annotated[str, AfterValidator(_checks.phone)]
IsoDate = Annotated[str, AfterValidator(_checks.iso_date)]
ClockTime = Annotated[str, AfterValidator(_checks.clock_time)]
HttpUrl = Annotated[str, AfterValidator(_checks.http_url)]
Base64Content = Annotated[str, AfterValidator(_checks.base64_content)]
