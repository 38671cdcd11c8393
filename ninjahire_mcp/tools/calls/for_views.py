"""App-only tools: what the views (surface/apps.py) ask for beyond the result the model got.

The shortlist needs each applicant's category scores and stage, and the scorecard pages through a
transcript; adding either to rank_applicants or get_call would cost the model tokens it has no use for.
These tools are listed with `_meta.ui.visibility: ["app"]`, so hosts keep them from the model, and they
run through the same pipeline as every tool (bounds, defusing, --redact-pii, the log line).
"""

from collections import Counter
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import Field

from ...toolkit import READ, Api, CallId, JobId, Pages, tool
from ...views import BOOLEAN, COUNTS, INTEGER, NUMBER, STRING, array, obj, transcript_chunk
from .._screening_index import IndexIfOn, names_of
from .insights import best_calls, calls_of

TRANSCRIPT_PAGE = 20  # lines per page of the scorecard's transcript drawer: a screen's worth at 320 px

SHORTLIST_DATA = obj(
    {
        "job_id": STRING,
        "applicants": array(
            obj(
                {
                    "candidate": STRING,
                    "call_score": NUMBER,
                    "ninjahire_intelligence": STRING,
                    "stage": STRING,
                    "categories": {"type": "object", "additionalProperties": NUMBER},
                    "application_id": STRING,
                    "call_id": STRING,
                }
            )
        ),
        "funnel": obj(
            {
                "applications": INTEGER,
                "screened": INTEGER,
                "by_best_outcome": COUNTS,
                "never_called": INTEGER,
            }
        ),
        "complete": BOOLEAN,
    },
    required=("applicants", "complete"),
)
TRANSCRIPT_PAGE_SHAPE = obj(
    {
        "call_id": STRING,
        "offset": INTEGER,
        "total": INTEGER,
        "lines": array(STRING),
        "next_offset": INTEGER,
        "span": STRING,
    },
    required=("lines", "total"),
)


@tool("Shortlist data", READ, output=SHORTLIST_DATA, view="shortlist", app_only=True)
async def shortlist_data(api: Api, pages: Pages, index: IndexIfOn, job_id: JobId) -> Any:
    """For the shortlist view (app-only): every screened applicant of a job, best call first, with category
    scores and stage."""
    calls = await calls_of(api, pages, job_id)
    applications = await pages.read(
        lambda page, size: api.applications.list(page=page, size=size, job_id=job_id), what="applications"
    )
    stages = {str(a.id).lower(): a.application_stage for a in applications.items}
    ranked = best_calls(calls.items)
    names = await names_of(api, index, [call.candidate_id for _, call in ranked if call.candidate_id])
    called = {str(call.application_id).lower() for call in calls.items}
    return {
        "job_id": job_id,
        "applicants": [
            {
                "candidate": names.get(str(call.candidate_id).lower(), "unknown"),
                "call_score": score,
                "ninjahire_intelligence": call.ninjahire_intelligence,
                "stage": stages.get(str(call.application_id).lower()),
                "categories": _category_scores(call.call_summary),
                "application_id": call.application_id,
                "call_id": call.call_id,
            }
            for score, call in ranked
        ],
        "funnel": {
            "applications": len(applications.items),
            "screened": len(ranked),
            "by_best_outcome": dict(
                Counter(str(call.ninjahire_intelligence or "unknown") for _, call in ranked).most_common()
            ),
            "never_called": sum(1 for key in stages if key not in called),
        },
        "complete": calls.complete and applications.complete,
    }


def _category_scores(summary: Any) -> dict[str, float]:
    """{category: score} from the API's call_summary ({category: {score, summary}}); other shapes give none."""
    if not isinstance(summary, Mapping):
        return {}
    scores: dict[str, float] = {}
    for name, value in summary.items():
        score = value.get("score") if isinstance(value, Mapping) else None
        if isinstance(score, int | float) and not isinstance(score, bool):
            scores[str(name)] = score
    return scores


@tool("Call transcript", READ, output=TRANSCRIPT_PAGE_SHAPE, view="scorecard", app_only=True)
async def call_transcript(
    api: Api,
    call_id: CallId,
    offset: Annotated[int, Field(ge=0, description="Transcript line to start at.")] = 0,
) -> Any:
    """For the scorecard view (app-only): one page of a call's transcript, lines as spoken ("BOT: ...")."""
    chunk = transcript_chunk(await api.calls.get(call_id), offset, TRANSCRIPT_PAGE)
    return {
        "call_id": call_id,
        "offset": offset,
        "total": chunk.total,
        "lines": list(chunk.lines),
        "next_offset": chunk.next_offset,
        "span": chunk.span,
    }
