"""A tenant of real size: `--scale N` seeds N copies of the default tenant, the same on every run, each copy
with its own clients, people, answers and scores, and no id, e-mail address or phone number twice."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx2
import pytest
from mcp import Client

from ninjahire_mcp.cli import build_parser, main, settings_from
from ninjahire_mcp.config import MAX_SANDBOX_SCALE, ConfigError, Settings
from ninjahire_mcp.sandbox import Emulator, create_app
from ninjahire_mcp.sandbox.copies import MAX_SCALE, capacity
from ninjahire_mcp.sandbox.job_catalog import GENERIC_ANSWERS
from ninjahire_mcp.server import build_server

from ..support.api import call, records
from ..support.clock import Clock
from ..support.serving import emulator_process

# Past the fictional numbers of the candidates' own cities (15 area codes x 100, about scale 22), so that
# the spare area codes are drawn on too.
LARGE = 30
FICTIONAL_PHONE = re.compile(r"\+1[2-9]\d\d55501\d\d")  # 555-0100..0199, in any area code
FICTIONAL_EMAIL = re.compile(r"[a-z]+\.[a-z]+\d*@example\.(com|org)")


def tenant(emulator: Emulator) -> dict[str, Any]:
    """Everything the emulator serves, as the API shows it, in the order it lists it."""
    return {
        "tenant_id": emulator.tenant_id,
        "jobs": list(emulator.jobs.values()),
        "scheduling": emulator.scheduling,
        "schedules": emulator.schedule_settings,
        "candidates": list(emulator.candidates.values()),
        "applications": [emulator.render_application(application) for application in emulator.applications.values()],
        "questions": list(emulator.questions.values()),
        "calls": [emulator.render_call(record) for record in emulator.calls.values()],
        "webhooks": list(emulator.webhooks.values()),
    }


def digest(scale: int, seed: int = 7) -> str:
    """A fingerprint of the tenant at this scale (also run in another process)."""
    text = json.dumps(tenant(create_app(seed=seed, scale=scale).state.emulator), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture(scope="module")
def large() -> Emulator:
    return create_app(scale=LARGE).state.emulator


def completed(emulator: Emulator) -> list[dict[str, Any]]:
    return [emulator.render_call(record) for record in emulator.calls.values() if record.result]


def test_scale_one_is_the_default_tenant() -> None:
    assert tenant(create_app(scale=1).state.emulator) == tenant(create_app().state.emulator)


def test_a_scaled_tenant_begins_with_the_default_tenant() -> None:
    default = tenant(create_app().state.emulator)
    scaled = tenant(create_app(scale=3).state.emulator)
    for kind in ("jobs", "candidates", "applications", "questions", "calls"):
        assert scaled[kind][: len(default[kind])] == default[kind], kind
    assert scaled["webhooks"] == default["webhooks"]
    assert scaled["tenant_id"] == default["tenant_id"]


def test_the_same_seed_and_scale_give_the_same_tenant_and_another_seed_another() -> None:
    assert digest(3) == digest(3)
    assert digest(3, seed=8) != digest(3)


@pytest.mark.subprocess
def test_a_scaled_tenant_is_the_same_in_another_process() -> None:
    # Another hash seed too: nothing may depend on the order of a set or on str hashes.
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    other = subprocess.run(
        [sys.executable, "-c", "from tests.sandbox.test_scale import digest; print(digest(3))"],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parents[2],
        env=env,
    ).stdout.strip()
    assert other == digest(3)


def test_a_copy_is_the_same_whatever_the_scale() -> None:
    smaller, larger = (tenant(create_app(scale=scale).state.emulator) for scale in (2, 4))
    for kind in ("jobs", "candidates", "applications", "questions", "calls"):
        assert larger[kind][: len(smaller[kind])] == smaller[kind], kind


@pytest.mark.parametrize("scale", [2, 5])
def test_counts_grow_with_the_scale(scale: int) -> None:
    one, many = (create_app(scale=n).state.emulator for n in (1, scale))
    assert len(many.jobs) == scale * len(one.jobs)
    assert len(many.candidates) == scale * len(one.candidates)
    assert len(many.schedule_settings) == len(many.jobs)
    # Applications and calls are drawn per copy, as in the default tenant: about as many per copy.
    for kind in ("applications", "calls", "questions"):
        per_copy = len(getattr(many, kind)) / scale
        assert 0.85 * len(getattr(one, kind)) <= per_copy <= 1.15 * len(getattr(one, kind)), kind


def test_the_large_tenant_has_thousands_of_calls(large: Emulator) -> None:
    assert len(large.calls) >= 100 * LARGE
    assert len(completed(large)) >= 75 * LARGE


def test_ids_source_ids_emails_and_phones_are_unique_and_fictional(large: Emulator) -> None:
    shown = tenant(large)
    ids = [record["id"] for kind in ("jobs", "candidates", "applications", "questions") for record in shown[kind]]
    ids += [record["call_id"] for record in shown["calls"]] + [record["id"] for record in shown["schedules"].values()]
    assert len(ids) == len(set(ids))
    for kind in ("jobs", "candidates", "applications", "questions"):
        source_ids = [record["source_id"] for record in shown[kind]]
        assert len(source_ids) == len(set(source_ids)), kind
    candidates = shown["candidates"]
    emails = [candidate["email"] for candidate in candidates]
    phones = [candidate["phone_no"] for candidate in candidates]
    assert len(set(emails)) == len(emails)
    assert len(set(phones)) == len(phones)
    assert all(FICTIONAL_EMAIL.fullmatch(email) for email in emails)
    assert all(FICTIONAL_PHONE.fullmatch(phone) for phone in phones)
    recruiters = {job["recruiter_work_phone_no"] for job in shown["jobs"]}
    assert all(FICTIONAL_PHONE.fullmatch(phone) for phone in recruiters)
    assert not recruiters & set(phones[len(create_app().state.emulator.candidates) :])


def test_copies_do_not_read_alike(large: Emulator) -> None:
    calls = completed(large)
    for field in ("call_digest", "transcript", "questions_response"):
        assert len({record[field] for record in calls}) >= 0.95 * len(calls), field
    summaries = {json.dumps(record["call_summary"], sort_keys=True) for record in calls}
    assert len(summaries) >= 0.9 * len(calls)
    answers = [answer["response"] for record in calls for answer in json.loads(record["questions_response"])]
    assert len(set(answers)) >= 0.3 * len(answers)
    assert len({record["call_score"] for record in calls}) >= 60
    names = {(candidate["first_name"], candidate["last_name"]) for candidate in large.candidates.values()}
    assert len(names) == len(large.candidates)
    places = {(job["client_name"], job["city"]) for job in large.jobs.values()}
    assert len(places) >= 0.9 * len(large.jobs)
    assert len({job["status"] for job in large.jobs.values()}) >= 3


def test_a_copys_questions_name_its_own_client_and_city_and_are_answered_as_prepared(large: Emulator) -> None:
    copy_jobs = list(large.jobs.values())[7:]
    llm = next(job for job in copy_jobs if job["title"] == "LLM Engineer" and job["city"] != "San Jose")
    assert f"our {llm['city']} office" in llm["desc"]
    texts = [question["question_text"] for question in large.questions_of_job(llm["id"])]
    assert any(llm["city"] in text for text in texts)
    generic = (GENERIC_ANSWERS.strong, GENERIC_ANSWERS.fair, GENERIC_ANSWERS.weak)
    for record in completed(large):
        for answer in json.loads(record["questions_response"]):
            assert not any(text in answer["response"] for text in generic), answer["question"]


async def test_an_instant_call_in_a_copy_answers_its_questions_as_prepared() -> None:
    clock = Clock(50.0)
    app = create_app(scale=2, clock=clock, call_duration=1.0)
    emulator = app.state.emulator
    job = next(job for job in list(emulator.jobs.values())[7:] if job["title"] == "LLM Engineer")
    application = next(a for a in emulator.applications.values() if a["job_id"] == job["id"])
    async with httpx2.AsyncClient(
        transport=httpx2.ASGITransport(app=app), base_url="http://sandbox", headers={"Authorization": "Bearer k"}
    ) as sandbox:
        started = await sandbox.post(f"/v1/applications/{application['id']}/instant-call")
        clock.now += 1.0
        for _ in range(10):  # an instant call goes unanswered now and then; the next attempt differs
            record = (await sandbox.get(f"/v1/calls/{started.json()['call_id']}")).json()
            if record["call_status"] == "call_completed":
                break
            started = await sandbox.post(f"/v1/applications/{application['id']}/instant-call")
            clock.now += 1.0
    assert record["call_status"] == "call_completed"
    generic = (GENERIC_ANSWERS.strong, GENERIC_ANSWERS.fair, GENERIC_ANSWERS.weak)
    assert not any(answer["response"] in generic for answer in json.loads(record["questions_response"]))


async def test_the_tools_page_through_a_scaled_tenant() -> None:
    scale = 10
    truth = create_app(scale=scale).state.emulator  # the same tenant as the server's: same seed and scale
    async with Client(build_server(Settings(sandbox=True, sandbox_scale=scale))) as client:
        seen: list[str] = []
        page = 1
        while True:
            listed = await call(client, "get_applications", page=page, size=100)
            assert listed["count"] == len(truth.applications)
            seen += [row["id"] for row in records(listed)]
            if not listed["has_more"]:
                break
            page += 1
        assert page == -(-len(truth.applications) // 100)
        assert seen == list(truth.applications)
        screened = [app_id for app_id, call_ids in truth.calls_by_application.items() if call_ids]
        for application_id in screened[:: len(screened) // 8]:
            results = await call(client, "get_screening_results", application_id=application_id, size=100)
            rows = records(results)
            assert [row["call_id"] for row in rows] == truth.calls_by_application[application_id][::-1]  # newest first
            assert {row["application_id"] for row in rows} == {application_id}


async def test_the_scale_setting_reaches_the_embedded_emulator() -> None:
    async with Client(build_server(Settings(sandbox=True, sandbox_scale=2))) as client:
        assert (await call(client, "get_jobs", size=1))["count"] == 14
        assert (await call(client, "get_candidates", size=1))["count"] == 132


def test_the_scale_flag_reaches_the_settings_on_each_command() -> None:
    for argv in (
        ["--sandbox", "--scale", "3"],
        ["call", "get_jobs", "--sandbox", "--scale", "3"],
        ["sandbox", "--scale", "3"],
    ):
        assert settings_from(build_parser().parse_args(argv), {}).sandbox_scale == 3, argv
    assert settings_from(build_parser().parse_args(["sandbox"]), {"NINJAHIRE_SANDBOX_SCALE": "4"}).sandbox_scale == 4


@pytest.mark.subprocess
def test_the_sandbox_command_serves_a_scaled_tenant() -> None:
    with emulator_process("--scale", "2") as url:
        response = httpx2.get(f"{url}/v1/jobs?page=1&size=1", headers={"Authorization": "Bearer k"})
        assert response.json()["count"] == 14


@pytest.mark.parametrize("text", ["0", "-2", "1001", "lots", "2.5", ""])
def test_a_bad_scale_is_refused_naming_the_flag_and_the_fix(text: str) -> None:
    for argv in (["--sandbox", "--scale", text], ["sandbox", "--scale", text]):
        with pytest.raises(ConfigError) as caught:
            settings_from(build_parser().parse_args(argv), {})
        assert (
            f"--scale must be a whole number from 1 to 1000 (copies of the sandbox's tenant, about 130 calls "
            f"each), got {text!r}: e.g. --scale 100" in str(caught.value)
        )


def test_a_bad_scale_variable_is_refused_naming_it() -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"NINJAHIRE_SANDBOX_SCALE": "0"})
    assert str(caught.value).startswith("NINJAHIRE_SANDBOX_SCALE must be a whole number from 1 to 1000")
    assert "e.g. NINJAHIRE_SANDBOX_SCALE=100" in str(caught.value)


def test_the_sandbox_command_exits_with_the_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sandbox", "--scale", "0"]) == 2
    assert "ninjahire-mcp: --scale must be a whole number from 1 to 1000" in capsys.readouterr().err


def test_the_emulator_refuses_a_scale_it_cannot_seed() -> None:
    for scale in (0, MAX_SCALE + 1):
        with pytest.raises(ValueError, match="scale must be a whole number from 1 to 1000"):
            create_app(scale=scale)


def test_the_largest_scale_has_enough_fictional_phone_numbers() -> None:
    assert MAX_SANDBOX_SCALE == MAX_SCALE  # the setting's limit is the emulator's
    assert capacity() >= MAX_SCALE * len(create_app().state.emulator.candidates)
