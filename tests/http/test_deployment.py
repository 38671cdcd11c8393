"""The README's deployment example (tests/support/deployment.py), reached by MCP clients of both protocol eras.
Skipped where nginx is not installed."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.types import ElicitResult

from ..support.deployment import HAS_NGINX, TOKEN, Deployment, deployment

# Skipped on a machine without them; never in CI, which installs them (.ci/run): there it fails instead.
pytestmark = [
    pytest.mark.subprocess,
    pytest.mark.skipif(not HAS_NGINX and not os.environ.get("CI"), reason="needs nginx and openssl"),
]


@dataclass
class Asked:
    questions: list[str] = field(default_factory=list)

    async def decline(self, _ctx: object, params: object) -> ElicitResult:
        self.questions.append(getattr(params, "message", ""))
        return ElicitResult(action="decline")


async def scenario(deployment: Deployment, mode: str, *, elicit: bool) -> dict[str, Any]:
    """Reads, a paged read with progress, then one gated action: what the agent and the person saw."""
    asked, progress = Asked(), []

    async def on_progress(done: float, total: float | None, message: str | None) -> None:
        progress.append(message)

    verify = deployment.verify()
    headers = {"authorization": f"Bearer {TOKEN}"}
    async with (
        httpx2.AsyncClient(verify=verify, trust_env=False, timeout=30, headers=headers) as http,
        Client(streamable_http_client(deployment.url, http_client=http), mode=mode,
               elicitation_callback=asked.decline if elicit else None) as client,
    ):  # fmt: skip
        for size in (1, 2, 3, 4):
            page = await client.call_tool("get_jobs", {"size": size})
            assert not page.is_error and len(json.loads(page.content[0].text)["rows"]) == size
        job = json.loads((await client.call_tool("find_jobs", {"query": "engineer"})).content[0].text)["matches"][0]
        ranked = await client.call_tool("rank_applicants", {"job_id": job["id"]}, progress_callback=on_progress)
        assert not ranked.is_error
        question = json.loads((await client.call_tool("get_questions", {"job_id": job["id"]})).content[0].text)["data"][
            0
        ]
        arguments = {"job_id": question["job_id"], "question_id": question["id"]}
        first = json.loads((await client.call_tool("delete_question", arguments)).content[0].text)
        confirmed = None
        if "confirm_token" in first:
            again = await client.call_tool("delete_question", {**arguments, "confirm_token": first["confirm_token"]})
            confirmed = not again.is_error
    return {"asked": asked.questions, "progress": progress, "preview": first, "confirmed": confirmed}


@pytest.mark.parametrize("mode", ["legacy", "auto"])
def test_stateless_replicas_behind_tls_round_robin(tmp_path: Path, mode: str) -> None:
    with deployment(tmp_path, sticky=False) as deployed:
        seen = anyio.run(lambda: scenario(deployed, mode, elicit=True))
        used = deployed.upstreams_used()
    assert used == set(deployed.replica_ports)  # round robin: both replicas served this one client
    assert seen["progress"]  # progress needs no session
    if mode == "auto":  # 2026 era: asked, the answer taken by whichever replica, through the shared state key
        assert len(seen["asked"]) == 1 and seen["preview"]["status"] == "not_done"
    else:  # 2025 era, stateless: nothing to ask over, so a preview whose token is good on its replica only
        assert seen["asked"] == [] and "confirm_token" in seen["preview"]


def test_stateful_replicas_behind_tls_sticky(tmp_path: Path) -> None:
    with deployment(tmp_path, sticky=True) as deployed:
        asked_directly = anyio.run(lambda: scenario(deployed, "legacy", elicit=True))
        previewed = anyio.run(lambda: scenario(deployed, "legacy", elicit=False))
        used = deployed.upstreams_used()
    assert len(used) == 1  # one client address, one replica
    assert asked_directly["progress"] and len(asked_directly["asked"]) == 1
    assert previewed["confirmed"] is True  # the token went back to the replica that issued it
