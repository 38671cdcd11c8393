"""The client's records tolerate what the API documentation does not promise, and say so when there is
no record at all."""

from __future__ import annotations

import httpx2
import pytest
from mcp import Client

from ninjahire_mcp.client import NinjahireClient, UnexpectedResponseError

from ..support.api import CALL, JOB, RecordingAPI


async def test_a_field_the_api_adds_is_kept_and_its_order_too(client: NinjahireClient, api: RecordingAPI) -> None:
    sent = {"title": "LLM Engineer", "id": JOB, "hiring_manager": {"name": "Ada"}, "min_pay_rate": 38}
    api.responses.append(httpx2.Response(200, json=sent))
    job = await client.jobs.get(JOB)
    assert job.title == "LLM Engineer" and job.min_pay_rate == 38 and isinstance(job.min_pay_rate, int)
    assert job.get("hiring_manager") == {"name": "Ada"}
    assert list(job.data().items()) == list(sent.items())  # relayed as sent, in the API's order


async def test_a_value_of_an_unexpected_type_is_kept_untyped(client: NinjahireClient, api: RecordingAPI) -> None:
    api.responses.append(
        httpx2.Response(200, json={"call_id": CALL, "call_score": "n/a", "call_status": "call_completed"})
    )
    call = await client.calls.get(CALL)
    assert call.call_score is None and call.get("call_score") == "n/a"  # not a number to rank by
    assert call.completed and call.data()["call_score"] == "n/a"


async def test_nested_records_are_typed_and_a_misfit_nested_one_is_kept(
    client: NinjahireClient, api: RecordingAPI
) -> None:
    api.responses.append(
        httpx2.Response(200, json={"id": "a", "candidate": {"first_name": "Dana", "last_name": "Kim"}, "job": "weird"})
    )
    application = await client.applications.get("a")
    assert application.candidate is not None and application.candidate.name == "Dana Kim"
    assert application.job is None and application.get("job") == "weird"


@pytest.mark.parametrize(("body", "kind"), [([1, 2], "a list"), ("text", "text"), (7, "a number")])
async def test_an_answer_that_is_no_record_is_an_unreadable_result(
    client: NinjahireClient, api: RecordingAPI, body: object, kind: str
) -> None:
    api.default = lambda _request: httpx2.Response(200, json=body)
    with pytest.raises(UnexpectedResponseError) as caught:
        await client.jobs.get(JOB)
    assert caught.value.problem == f"its body was JSON, but {kind} where a job record belongs"


async def test_a_list_that_answers_with_its_items_alone_is_a_page(client: NinjahireClient, api: RecordingAPI) -> None:
    api.responses.append(httpx2.Response(200, json=[{"id": "q1", "question_text": "Why us?"}]))
    page = await client.questions.list(JOB)
    assert page.documented and page.count is None and [q.question_text for q in page.items] == ["Why us?"]


async def test_a_tool_says_what_it_could_not_read(server_for: object, api: RecordingAPI) -> None:
    api.default = lambda _request: httpx2.Response(200, json=["not", "a", "job"])
    async with Client(server_for()) as client:  # type: ignore[operator]
        result = await client.call_tool("get_job", {"job_id": JOB})
    assert result.is_error
    assert result.content[0].text.startswith(
        "Ninjahire answered HTTP 200 but its body was JSON, but a list where a job record belongs; "
        "the result could not be read. Repeating it is harmless"
    )
