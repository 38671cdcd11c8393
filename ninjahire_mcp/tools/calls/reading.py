"""Reading what AI phone-screening calls revealed: one call, waiting for one to end, a page of them.

Results are screening reports (views): verdict first, answers parsed, the transcript only on
request and in chunks, candidate content marked as untrusted.
"""

from typing import Annotated, Any

from pydantic import Field

from ...config import MAX_WAIT_LIMIT
from ...toolkit import (
    READ,
    Api,
    ApplicationId,
    CallId,
    CandidateId,
    JobId,
    PageSize,
    Polling,
    SourceId,
    tool,
)
from ...views import (
    REPORT,
    STRING,
    TRANSCRIPT_CHUNK,
    call_report,
    hoisted,
    marker,
    page_of,
    page_schema,
    screening_report,
    transcript_chunk,
    untrusted_fields,
)

# Fields of a report that are often the same on every call of a page (all of one job, all outgoing):
# said once under `common` then. The verdict fields are never hoisted: each call's own comes first.
HOISTABLE = ("job_id", "candidate_id", "application_id", "call_direction", "call_status")

# timeout_s may ask for as much as the wait limit can be raised to; the server's limit caps it (wait_for_call).
MAX_WAIT = MAX_WAIT_LIMIT


@tool("Get call", READ, output=REPORT, view="scorecard")
async def get_call(
    api: Api,
    call_id: CallId,
    include_transcript: bool = False,
    offset: Annotated[int, Field(ge=0, description="Transcript line to start at.")] = 0,
    limit: Annotated[int, Field(ge=1, le=1000, description="Transcript lines.")] = TRANSCRIPT_CHUNK,
) -> Any:
    """One screening call's report: call_score, ninjahire_intelligence, call_summary by category, call_digest, answers
    and scores per question, recording_url. include_transcript=true adds the transcript in chunks; `next` gives the
    offset."""
    call = await api.calls.get(call_id)
    report = call_report(call)
    if call.in_progress:
        report["next"] = (
            f"in progress: wait_for_call(call_id='{call_id}') returns when it ends or within a short wait; call it "
            "again while in progress"
        )
    if include_transcript:
        report["transcript"] = transcript_chunk(call, offset, limit).as_json(
            lambda start: f"call again with include_transcript=true, offset={start}"
        )
    return report


@tool("Wait for call", READ, output=REPORT, view="scorecard")
async def wait_for_call(
    api: Api,
    polling: Polling,
    call_id: CallId,
    timeout_s: Annotated[int, Field(ge=1, le=MAX_WAIT)] | None = None,
) -> Any:
    """After instant_call: wait, with progress, for the call to end (completed or failed) and return its report. Waits
    at most 45 s by default; still running: call again."""
    # Hosts end a tool call after about a minute, so one wait never outlasts the server's limit, however long
    # timeout_s asks for: the agent follows a call of any length in short waits, each saying what to call next.
    outcome = await polling.poll(
        lambda: api.calls.get(call_id), lambda call: not call.in_progress, timeout_s, what="call in progress"
    )
    if outcome.done and outcome.last is not None:
        return call_report(outcome.last)
    again = f"call wait_for_call(call_id='{call_id}') again"
    # Why it returned before the timeout_s asked for, so that the agent calls again rather than wonders.
    cut = f" (one wait lasts at most {outcome.bound:g}s: NINJAHIRE_WAIT_LIMIT)" if outcome.capped else ""
    if outcome.last is None:
        return {"call_id": call_id, "next": f"no answer from Ninjahire within {outcome.bound:g}s{cut}: {again}"}
    return {**call_report(outcome.last), "next": f"still in progress after {outcome.waited:.0f}s{cut}: {again}"}


@tool("Get screening results", READ, output=page_schema(REPORT, untrusted=STRING), view="scorecard")
async def get_screening_results(
    api: Api,
    page: Annotated[int, Field(ge=1, description="Page number. MUST start at 1, never 0.")] = 1,
    size: PageSize = 10,
    application_id: Annotated[ApplicationId, Field(description="PRIMARY filter: use it when you have it.")]
    | None = None,
    job_id: JobId | None = None,
    candidate_id: CandidateId | None = None,
    application_source_id: Annotated[SourceId, Field(description="Do NOT use it when you have application_id.")]
    | None = None,
    job_source_id: SourceId | None = None,
    candidate_source_id: SourceId | None = None,
) -> Any:
    """Screening call reports, as get_call gives them. Use after get_applications, for applications whose
    screening_status is 'completed': pass the `id` as application_id (the PRIMARY filter). Transcripts: get_call."""
    response = await api.calls.list(
        page=page,
        size=size,
        application_id=application_id,
        job_id=job_id,
        candidate_id=candidate_id,
        application_source_id=application_source_id,
        job_source_id=job_source_id,
        candidate_source_id=candidate_source_id,
    )
    if not response.documented:
        return page_of(response, page, size)
    result = page_of(response, page, size)
    del result["data"]
    reports = [screening_report(call) for call in response.items]
    # Said once for the page, not on each report: which fields of the reports hold candidate words.
    fields = dict.fromkeys(field for report in reports for field in untrusted_fields(report.pop("untrusted", None)))
    if fields:
        result["untrusted"] = marker(*(f"data[].{field}" for field in fields))
    result.update(hoisted(reports, HOISTABLE))
    return result
