"""`search` and `fetch` in the shape research agents expect (ChatGPT's deep research and clients like it):
one string argument each; `search` gives ids, titles and snippets of screening calls, `fetch` one report.
Built on the screening index, as search_screening is; opt in with the `research` toolset."""

import json
from typing import Annotated, Any

from pydantic import Field

from ..index import Filters
from ..toolkit import READ, Api, CallId, tool
from ..views import FRESHNESS, STRING, array, call_report, marker, obj, without_nulls
from ._screening_index import Freshness, Index

# The shapes deep-research hosts expect of `search` and `fetch` (views/_schemas.py for the helpers).
RESULT = obj({"id": STRING, "title": STRING, "text": STRING, "url": STRING})
FOUND_CALLS = obj({"results": array(RESULT), "untrusted": STRING, **FRESHNESS}, required=("results",))
DOCUMENT = obj({**RESULT["properties"], "metadata": {"type": "object"}}, required=("id", "text"))

RESULTS = 10


def call_url(call_id: str) -> str:
    return f"ninjahire://calls/{call_id}"


@tool("Search", READ, output=FOUND_CALLS)
async def search(index: Index, query: Annotated[str, Field(min_length=1, max_length=500)]) -> Any:
    """Search every screening call (answers, summaries, digests): results with id, title, text (a snippet) and url.
    Pass an id to fetch for the whole report."""
    coverages, extra = await index.tenant()
    found = await index.find(query, Filters(), RESULTS)
    titles = await index.run(index.index.job_titles, [match.job_id for match in found.matches if match.job_id])
    results = [
        {
            "id": match.call_id,
            "title": f"{match.candidate or 'unknown'}: screening call for {titles.get(match.job_id or '', 'a job')}"
            + (f", score {match.score:g}" if match.score is not None else ""),
            "text": match.snippet or "",
            "url": call_url(match.call_id),
        }
        for match in found.matches
    ]
    fenced = {"untrusted": marker("results[].text")} if results else {}
    return {"results": results, **fenced, **Freshness.of(coverages, extra=extra).shown()}


@tool("Fetch", READ, output=DOCUMENT)
async def fetch(api: Api, id: Annotated[CallId, Field(description="A call_id from search.")]) -> Any:
    """One screening call's whole report, by an id from search: id, title, text (the report as JSON), url."""
    call = await api.calls.get(id)
    report = call_report(call)
    return {
        "id": id,
        "title": f"Screening call {id}" + (f", score {call.call_score:g}" if call.call_score is not None else ""),
        # As compact as every result: the pipeline drops nulls from results, not from text within them.
        "text": json.dumps(without_nulls(report), ensure_ascii=False, separators=(",", ":")),
        "url": call_url(id),
        "metadata": {key: report[key] for key in ("application_id", "job_id", "call_status") if key in report},
    }
