"""Job id completion for prompt arguments and the job resource template, in both protocol eras."""

from __future__ import annotations

from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.types import PromptReference, ResourceTemplateReference

from ninjahire_mcp.client import NinjahireClient
from ninjahire_mcp.config import Settings
from ninjahire_mcp.sandbox import SANDBOX_API_KEY, create_app
from ninjahire_mcp.server import SANDBOX_BASE_URL, build_server
from ninjahire_mcp.surface import completions
from ninjahire_mcp.toolkit import Timing

from ..support.api import INSTANT_RETRY, RecordingAPI

MODES = ["auto", "legacy"]
JOB_TEMPLATE = ResourceTemplateReference(uri="ninjahire://jobs/{job_id}")


def job_argument(value: str) -> dict[str, str]:
    return {"name": "job_id", "value": value}


async def sandbox_jobs() -> dict[str, str]:
    """Title -> id of every sandbox job, from an emulator of its own (the seeded ids are the same)."""
    transport = httpx2.ASGITransport(app=create_app())
    async with NinjahireClient(api_key=SANDBOX_API_KEY, base_url=SANDBOX_BASE_URL, transport=transport) as api:
        listed = await api.jobs.list(page=1, size=100)
    assert listed.count == len(listed.items)
    return {str(job.title): str(job.id) for job in listed.items}


def mocked_server(api: RecordingAPI) -> Any:
    return build_server(
        Settings(api_key="k", base_url="https://api.ninjahire.test"), transport=api.transport, retry=INSTANT_RETRY
    )


def jobs_page(request: httpx2.Request, *, count: int) -> httpx2.Response:
    page, size = int(request.url.params["page"]), int(request.url.params["size"])
    numbers = range((page - 1) * size, min(page * size, count))
    data = [{"id": f"00000000-0000-4000-8000-{n:012d}", "title": f"Job {n}"} for n in numbers]
    return httpx2.Response(200, json={"data": data, "count": count})


@pytest.mark.parametrize("mode", MODES)
async def test_typing_part_of_a_title_suggests_that_job_s_id(mode: str) -> None:
    async with Client(build_server(Settings(sandbox=True)), mode=mode) as client:
        assert client.server_capabilities is not None and client.server_capabilities.completions is not None
        ids = await sandbox_jobs()
        for prompt in ("triage_job", "prepare_job_screening", "weekly_pipeline_report", "review_screening_call"):
            answer = await client.complete(PromptReference(name=prompt), job_argument("LLM"))
            assert answer.completion.values == [ids["LLM Engineer"]], prompt
        template = await client.complete(JOB_TEMPLATE, job_argument("llm eng"))
    assert template.completion.values == [ids["LLM Engineer"]]
    assert template.completion.total == 1 and template.completion.has_more is False


@pytest.mark.parametrize("mode", MODES)
async def test_an_empty_value_lists_every_job_by_title_and_an_id_prefix_finds_its_job(mode: str) -> None:
    async with Client(build_server(Settings(sandbox=True)), mode=mode) as client:
        ids = await sandbox_jobs()
        everything = await client.complete(JOB_TEMPLATE, job_argument(""))
        engineers = await client.complete(JOB_TEMPLATE, job_argument("ENGINEER"))
        llm_id = ids["LLM Engineer"]
        by_id = await client.complete(PromptReference(name="triage_job"), job_argument(llm_id[:8].upper()))
    assert everything.completion.values == [ids[title] for title in sorted(ids, key=str.casefold)]
    assert everything.completion.total == len(ids)
    assert set(engineers.completion.values) == {job_id for title, job_id in ids.items() if "Engineer" in title}
    assert by_id.completion.values[0] == llm_id


@pytest.mark.parametrize("mode", MODES)
async def test_other_arguments_prompts_and_templates_complete_to_nothing(mode: str) -> None:
    async with Client(build_server(Settings(sandbox=True)), mode=mode) as client:
        answers = [
            await client.complete(PromptReference(name="triage_job"), {"name": "top", "value": ""}),
            await client.complete(PromptReference(name="no_such_prompt"), job_argument("")),
            await client.complete(ResourceTemplateReference(uri="ninjahire://calls/{job_id}"), job_argument("")),
            await client.complete(PromptReference(name="review_screening_call"), {"name": "candidate", "value": "D"}),
        ]
    assert [answer.completion.values for answer in answers] == [[], [], [], []]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "failure",
    [
        httpx2.Response(401, json={"detail": "Invalid API key"}),
        httpx2.Response(503, json={"detail": "down"}),
        httpx2.ConnectError("connection refused"),
        httpx2.Response(200, json={"unexpected": "shape"}),
    ],
    ids=["401", "503", "no connection", "odd body"],
)
async def test_an_api_failure_completes_to_nothing_instead_of_an_error(
    mode: str, failure: httpx2.Response | Exception
) -> None:
    def fail(request: httpx2.Request) -> httpx2.Response:
        if isinstance(failure, Exception):
            raise failure
        return failure

    api = RecordingAPI(default=fail)
    async with Client(mocked_server(api), mode=mode) as client:
        answer = await client.complete(PromptReference(name="triage_job"), job_argument("LLM"))
    assert api.requests and api.requests[0].url.path == "/v1/jobs"
    assert answer.completion.values == []
    assert not answer.completion.has_more


async def test_a_large_tenant_is_read_a_few_pages_at_most_and_answers_at_most_100_values() -> None:
    api = RecordingAPI(default=lambda request: jobs_page(request, count=10_000))
    async with Client(mocked_server(api)) as client:
        answer = await client.complete(JOB_TEMPLATE, job_argument(""))
        again = await client.complete(JOB_TEMPLATE, job_argument("Job 7"))
    assert len(api.requests) == completions.MAX_PAGES  # the second answer reused the first listing
    assert {request.url.params["size"] for request in api.requests} == {"100"}
    assert len(answer.completion.values) == 100 and answer.completion.has_more is True
    assert answer.completion.total is None  # only part of the tenant was read
    assert again.completion.values and again.completion.has_more is True


async def test_a_slow_api_is_given_up_on_within_the_time_limit() -> None:
    async def slow(request: httpx2.Request) -> httpx2.Response:
        await anyio.sleep(30)
        return jobs_page(request, count=1)

    server = build_server(
        Settings(api_key="k", base_url="https://api.ninjahire.test"),
        transport=httpx2.MockTransport(slow),
        timing=Timing(completion_limit=0.2),
    )
    async with Client(server) as client:
        with anyio.fail_after(5):
            answer = await client.complete(JOB_TEMPLATE, job_argument(""))
    assert answer.completion.values == []
