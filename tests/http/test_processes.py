"""The HTTP server as operators run it: a process that stops cleanly, and stateless replicas."""

from __future__ import annotations

import itertools
import json
import signal
import time

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.types import ElicitResult

from ..support.api import records
from ..support.serving import server_process

pytestmark = pytest.mark.subprocess
STATE_KEY = "0f" * 32


def test_without_a_key_the_http_server_still_starts() -> None:
    with server_process() as (_process, url):
        health = httpx2.get(f"{url}/healthz").json()
    assert health["mode"] == "live"


def test_sigterm_lets_in_flight_calls_finish_refuses_new_ones_and_exits_0() -> None:
    with server_process("--sandbox", "--no-confirm", "--shutdown-timeout", "10") as (process, url):

        async def scenario() -> tuple[str, float]:
            async with Client(f"{url}/mcp") as client:
                application = records(json.loads((await client.call_tool("get_applications", {})).content[0].text))[0]
                started = json.loads(
                    (await client.call_tool("instant_call", {"application_id": application["id"]})).content[0].text
                )
                async with anyio.create_task_group() as group:
                    results: list[str] = []

                    async def wait() -> None:
                        waited = await client.call_tool(
                            "wait_for_call", {"call_id": started["call_id"], "timeout_s": 3}
                        )
                        results.append(waited.content[0].text)

                    group.start_soon(wait)
                    await anyio.sleep(1)
                    process.send_signal(signal.SIGTERM)
                    stopped_at = time.monotonic()
            return results[0], stopped_at

        text, stopped_at = anyio.run(scenario)
        # Stopping: the port stays open while calls drain (a load balancer is told 503), then closes.
        try:
            health = httpx2.get(f"{url}/healthz", timeout=2)
        except httpx2.TransportError:
            pass  # the drain is over and the port closed
        else:
            assert health.status_code == 503 and health.json()["status"] == "stopping"
        assert process.wait(timeout=15) == 0
        _out, err = process.communicate(timeout=5)
    assert "still in progress" in json.loads(text)["next"]  # the call in flight got its full answer
    assert time.monotonic() - stopped_at < 15
    assert "Traceback" not in err


class Alternating(httpx2.AsyncBaseTransport):
    """Sends each request to the next replica in turn, as a round-robin load balancer would."""

    def __init__(self, ports: list[int]) -> None:
        self._next = itertools.cycle(ports)
        self._inner = httpx2.AsyncHTTPTransport()
        self.served_by: list[int] = []

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        port = next(self._next)
        self.served_by.append(port)
        request.url = request.url.copy_with(port=port)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


@pytest.mark.parametrize("mode", ["auto", "legacy"])
def test_stateless_replicas_serve_one_client_with_no_sticky_routing(mode: str) -> None:
    env = {"NINJAHIRE_MCP_STATE_KEY": STATE_KEY}
    with (
        server_process("--sandbox", "--stateless", env=env) as (_a, url_a),
        server_process("--sandbox", "--stateless", env=env) as (_b, url_b),
    ):
        ports = [int(url_a.rsplit(":", 1)[1]), int(url_b.rsplit(":", 1)[1])]

        async def scenario() -> list[int]:
            balancer = Alternating(ports)
            async with (
                httpx2.AsyncClient(transport=balancer, timeout=30) as http,
                Client(streamable_http_client(f"{url_a}/mcp", http_client=http), mode=mode) as client,
            ):
                for size in (1, 2, 3, 4, 5):
                    result = await client.call_tool("get_jobs", {"size": size})
                    assert not result.is_error and len(json.loads(result.content[0].text)["rows"]) == size
            return balancer.served_by

        served_by = anyio.run(scenario)
    assert set(served_by) == set(ports) and len(served_by) >= 5


def test_a_question_to_the_person_spans_replicas_in_the_2026_era() -> None:
    # The answer to an elicitation comes back in a second request, carrying sealed state that the
    # other replica must open: the shared NINJAHIRE_MCP_STATE_KEY makes that work.
    env = {"NINJAHIRE_MCP_STATE_KEY": STATE_KEY}
    with (
        server_process("--sandbox", "--stateless", env=env) as (_a, url_a),
        server_process("--sandbox", "--stateless", env=env) as (_b, url_b),
    ):
        ports = [int(url_a.rsplit(":", 1)[1]), int(url_b.rsplit(":", 1)[1])]

        async def scenario() -> tuple[str, list[str]]:
            asked: list[str] = []

            async def on_elicit(_ctx: object, params: object) -> ElicitResult:
                asked.append(getattr(params, "message", ""))
                return ElicitResult(action="decline")

            async with (
                httpx2.AsyncClient(transport=Alternating(ports), timeout=30) as http,
                Client(streamable_http_client(f"{url_a}/mcp", http_client=http), elicitation_callback=on_elicit) as c,
            ):
                questions = json.loads(
                    (await c.call_tool("get_questions", {"job_id": await _a_job(c)})).content[0].text
                )
                question = questions["data"][0]
                result = await c.call_tool(
                    "delete_question", {"job_id": question["job_id"], "question_id": question["id"]}
                )
            return result.content[0].text, asked

        text, asked = anyio.run(scenario)
    assert len(asked) == 1 and asked[0].startswith("Delete the question")
    assert json.loads(text)["status"] == "not_done"


async def _a_job(client: Client) -> str:
    found = json.loads((await client.call_tool("find_jobs", {"query": "engineer"})).content[0].text)
    return str(found["matches"][0]["id"])


def test_exposed_without_a_token_it_warns_loudly_and_sigint_stops_it_cleanly() -> None:
    with server_process("--sandbox", "--host", "0.0.0.0") as (process, _url):
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=15) == 0
        _out, err = process.communicate(timeout=5)
    assert "serving on a non-loopback address with NO access token" in err and '"level":"warning"' in err
    assert "NINJAHIRE_MCP_TOKEN" in err
