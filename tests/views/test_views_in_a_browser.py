"""The views in a real browser: headless Chromium loads each one in tests/views/host.html, a host that speaks
the MCP Apps protocol and proxies tools/call to a real server (the sandbox, through an MCP client, in both
protocol eras). What is checked is what a person sees.

Playwright drives the system's Chromium (the Debian package), never a downloaded one. Skipped where that is
missing; under CI (which installs it, .ci/run) it fails instead. UPDATE_SCREENSHOTS=1 writes
docs/screenshots/{view}-{theme}.png.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
import pytest
from mcp import Client
from mcp.client.extension import advertise
from mcp.server.apps import APP_MIME_TYPE, EXTENSION_ID
from playwright.async_api import Browser, Frame, Page, async_playwright

from ninjahire_mcp.config import Settings
from ninjahire_mcp.sandbox import SANDBOX_API_KEY, create_app
from ninjahire_mcp.server import build_server
from ninjahire_mcp.surface.apps import view_html

from ..support.api import call, records

CHROMIUM = shutil.which("chromium")
pytestmark = [
    pytest.mark.subprocess,
    pytest.mark.skipif(not CHROMIUM and not os.environ.get("CI"), reason="needs the chromium package"),
]

ROOT = Path(__file__).resolve().parents[2]
HOST = (Path(__file__).parent / "host.html").as_uri()
SCREENSHOTS = ROOT / "docs" / "screenshots"
UPDATE_SCREENSHOTS = os.environ.get("UPDATE_SCREENSHOTS") == "1"
SCRIPT_NAME = "<script>document.title='pwned'</script>"


@dataclass
class Session:
    client: Client
    api: httpx2.AsyncClient  # the same emulator, straight: to plant a candidate's words
    browser: Browser
    era: str
    app: Any  # the emulator: its request log says what reached the API


@pytest.fixture(params=["legacy", "auto"], ids=["2025-era", "2026-era"])
def era(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@asynccontextmanager
async def open_session(era: str) -> AsyncIterator[Session]:
    """In the test's own task (not a fixture's): the MCP client's task group must end where it began."""
    app = create_app()
    server = build_server(Settings(sandbox=True, index="memory"), transport=httpx2.ASGITransport(app=app))
    api = httpx2.AsyncClient(
        transport=httpx2.ASGITransport(app=app),
        base_url="http://sandbox",
        headers={"Authorization": f"Bearer {SANDBOX_API_KEY}"},
    )
    # The test host renders views: it says so, as Claude, ChatGPT or VS Code do, so gated tools answer with a card.
    renders_views = advertise(EXTENSION_ID, {"mimeTypes": [APP_MIME_TYPE]})
    async with (
        api,
        Client(server, mode=era, extensions=[renders_views]) as client,
        async_playwright() as playwright,
    ):
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield Session(client, api, browser, era, app)
        finally:
            await browser.close()


async def wire_result(client: Client, tool: str, arguments: dict[str, Any]) -> dict[str, Any]:
    result = await client.call_tool(tool, arguments)
    wire: dict[str, Any] = result.model_dump(mode="json", by_alias=True, exclude_none=True)
    return wire


@dataclass
class Opened:
    page: Page
    frame: Frame
    errors: list[str]
    requests: list[str]


async def open_view(
    session: Session, view: str, tool: str, arguments: dict[str, Any], *, theme: str = "light", width: int = 720
) -> Opened:
    """The view in the test host, given the real result of `tool(arguments)`."""
    page = await session.browser.new_page(viewport={"width": width, "height": 700})
    page.set_default_timeout(10_000)
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))

    async def mcp_call(name: str, args: dict[str, Any]) -> dict[str, Any]:
        return await wire_result(session.client, name, args)

    await page.expose_function("mcpCall", mcp_call)
    await page.goto(HOST)
    result = await wire_result(session.client, tool, arguments)
    await page.evaluate(
        "([html, input, result, theme]) => startView(html, input, result, theme)",
        [view_html(view), arguments, result, theme],
    )
    frame = page.frame_locator("#view")
    await frame.locator("html[data-first-render]").wait_for(state="attached")
    handle = await page.query_selector("#view")
    assert handle is not None
    content = await handle.content_frame()
    assert content is not None
    return Opened(page, content, errors, requests)


async def llm_job(client: Client) -> str:
    found = json.loads((await client.call_tool("find_jobs", {"query": "LLM Engineer"})).content[0].text)
    return str(found["matches"][0]["id"])


async def row_names(frame: Frame) -> list[str]:
    return [text.strip() for text in await frame.locator("#rows .name").all_text_contents()]


async def row_scores(frame: Frame) -> list[int]:
    return [int(text) for text in await frame.locator("#rows .row > .meter .value").all_text_contents()]


def assert_clean(opened: Opened) -> None:
    assert opened.errors == [], opened.errors
    # Only the host page itself was fetched: the view asked the network for nothing.
    assert opened.requests == [HOST], opened.requests


async def test_the_shortlist_shows_a_real_ranking_sorts_filters_and_opens_a_scorecard(era: str) -> None:
    async with open_session(era) as session:
        job_id = await llm_job(session.client)
        ranking = json.loads((await session.client.call_tool("rank_applicants", {"job_id": job_id})).content[0].text)
        opened = await open_view(session, "shortlist", "rank_applicants", {"job_id": job_id})
        frame = opened.frame
        # Completed from shortlist_data: every screened applicant, with category bars and stage.
        await frame.locator("#rows .cats").first.wait_for()
        names = await row_names(frame)
        assert names[: len(ranking["rows"])] == [row[1] for row in ranking["rows"]]
        assert len(names) == ranking["applications_screened"]
        scores = await row_scores(frame)
        assert scores == sorted(scores, reverse=True)
        assert await frame.locator("#funnel .legend li").count() >= 2
        assert "never called" in (await frame.locator("#funnel").inner_text())

        await frame.select_option("#sort", "score-asc")
        assert await row_scores(frame) == sorted(scores)
        await frame.select_option("#sort", "name")
        assert await row_names(frame) == sorted(names)
        await frame.select_option("#sort", "score-desc")
        await frame.select_option("#outcome", "call_failed")
        outcomes = await frame.locator("#rows .badge").all_text_contents()
        assert outcomes and set(outcomes) == {"failed"}
        await frame.select_option("#outcome", "")
        await frame.select_option("#category", "communication")
        await frame.fill("#min-score", "90")
        shown = await frame.locator("#rows li").count()
        assert 0 < shown < len(names)
        assert f"{shown} of {len(names)}" in await frame.locator("#count").inner_text()
        await frame.fill("#min-score", "0")
        await frame.select_option("#category", "")

        # Selecting a row (by keyboard) opens that applicant's scorecard, read through get_call.
        first = frame.locator("#rows button.row").first
        await first.focus()
        await opened.page.keyboard.press("Enter")
        scorecard = frame.locator("#detail .scorecard")
        await scorecard.wait_for()
        assert (await scorecard.locator(".who").inner_text()).strip() == names[0]
        assert (await scorecard.locator(".big-score").inner_text()).strip() == str(scores[0])
        await frame.locator("#back").click()
        await frame.locator("#rows").wait_for()
        assert_clean(opened)


async def test_the_scorecard_pages_the_transcript_in_its_drawer(era: str) -> None:
    async with open_session(era) as session:
        job_id = await llm_job(session.client)
        ranking = json.loads((await session.client.call_tool("rank_applicants", {"job_id": job_id})).content[0].text)
        call_id = ranking["rows"][0][5]
        report = json.loads((await session.client.call_tool("get_call", {"call_id": call_id})).content[0].text)
        opened = await open_view(session, "scorecard", "get_call", {"call_id": call_id})
        frame = opened.frame
        card = frame.locator(".scorecard")
        assert (await card.locator(".big-score").inner_text()).strip() == str(report["call_score"])
        assert await card.locator(".category").count() == len(report["call_summary"])
        assert await card.locator(".question").count() == len(report["questions"])
        assert report["questions"][0]["answer"] in await card.locator(".answer").first.inner_text()
        assert report["call_digest"] in await card.locator(".digest").inner_text()
        # The transcript is not in the result: the drawer reads it, a page at a time, through call_transcript.
        toggle = card.locator(".drawer-toggle")
        assert await toggle.get_attribute("aria-expanded") == "false"
        await toggle.click()
        total = report["transcript_lines"]
        await card.locator(".span", has_text=f"1-20 of {total}").wait_for()
        assert await card.locator(".transcript .line").count() == 20
        await card.locator(".drawer .next").click()
        await card.locator(".span", has_text=f"21-{total} of {total}").wait_for()
        assert await card.locator(".drawer .next").is_disabled()
        await card.locator(".drawer .previous").click()
        await card.locator(".span", has_text=f"1-20 of {total}").wait_for()
        calls = await opened.page.evaluate("hostLog.calls")
        assert [call["name"] for call in calls] == ["call_transcript"] * 3
        assert_clean(opened)


async def test_a_candidate_s_script_is_shown_as_text(era: str) -> None:
    async with open_session(era) as session:
        job_id = await llm_job(session.client)
        # Planted in the API before any tool reads the names (the screening index keeps what it read).
        listed = await session.api.get("/v1/calls", params={"page": 1, "size": 100, "job_id": job_id})
        completed = [call for call in listed.json()["data"] if call.get("call_status") == "call_completed"]
        candidate_id = max(completed, key=lambda call: call.get("call_score") or 0)["candidate_id"]
        candidate = (await session.api.get(f"/v1/candidates/{candidate_id}")).json()
        candidate = candidate.get("data", candidate)
        keep = ("first_name", "last_name", "email", "phone_no", "source", "source_id")
        planted = await session.api.patch(
            f"/v1/candidates/{candidate_id}", json={**{k: candidate.get(k) for k in keep}, "first_name": SCRIPT_NAME}
        )
        assert planted.status_code < 300, planted.text
        opened = await open_view(session, "shortlist", "rank_applicants", {"job_id": job_id})
        frame = opened.frame
        await frame.locator("#rows .cats").first.wait_for()
        assert any(SCRIPT_NAME in name for name in await row_names(frame))
        assert await frame.locator("#rows script").count() == 0
        assert await frame.evaluate("document.title") == "Shortlist"
        assert_clean(opened)


async def subject_of(session: Session, view: str) -> tuple[str, dict[str, Any]]:
    """The tool call whose real result a view is opened with: the LLM Engineer ranking, its best call's
    report, or a call to a pending applicant (which, for a host that renders views, answers with the card)."""
    job_id = await llm_job(session.client)
    if view == "shortlist":
        return "rank_applicants", {"job_id": job_id}
    if view == "scorecard":
        ranking = json.loads((await session.client.call_tool("rank_applicants", {"job_id": job_id})).content[0].text)
        return "get_call", {"call_id": ranking["rows"][0][5]}
    rows = records(await call(session.client, "get_applications", size=50))
    return "instant_call", {"application_id": next(row["id"] for row in rows if row["screening_status"] == "pending")}


async def open_subject(session: Session, view: str, *, theme: str = "light", width: int = 720) -> Opened:
    """The view, opened with its subject and rendered in full (the shortlist completes itself, the card
    shows its facts)."""
    tool, arguments = await subject_of(session, view)
    opened = await open_view(session, view, tool, arguments, theme=theme, width=width)
    await opened.frame.locator(
        {"shortlist": "#rows .cats", "scorecard": ".scorecard", "approval": ".card .facts"}[view]
    ).first.wait_for()
    return opened


VIEWS = ["shortlist", "scorecard", "approval"]


@pytest.mark.parametrize("view", VIEWS)
async def test_a_view_fits_320_px_with_44_px_targets_and_a_fullscreen_mode(era: str, view: str) -> None:
    async with open_session(era) as session:
        opened = await open_subject(session, view, width=320)
        frame = opened.frame
        assert await frame.evaluate("document.documentElement.scrollWidth") <= 320
        assert await frame.evaluate("document.querySelector('.view').getBoundingClientRect().height") <= 500
        targets = frame.locator("button:visible, select:visible, input:visible")
        assert await targets.count() > 0
        for box in [await targets.nth(i).bounding_box() for i in range(await targets.count())]:
            assert box is not None and box["height"] >= 44 and box["width"] >= 44, box
        await frame.locator("button.fullscreen").click()
        await frame.locator("button.fullscreen", has_text="Exit fullscreen").wait_for()
        assert await opened.page.evaluate("hostLog.displayModes") == ["fullscreen"]
        assert_clean(opened)


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("theme", ["light", "dark"])
async def test_a_view_takes_the_host_s_theme(era: str, view: str, theme: str) -> None:
    async with open_session(era) as session:
        opened = await open_subject(session, view, theme=theme)
        frame = opened.frame
        background = await frame.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == {"light": "rgb(255, 255, 255)", "dark": "rgb(28, 28, 28)"}[theme]
        first_render = float(await frame.evaluate("document.documentElement.dataset.firstRender"))
        size = len(view_html(view).encode())
        print(f"\n{view} ({theme}): {size} bytes, first render at {first_render:.0f} ms")
        if UPDATE_SCREENSHOTS and session.era == "auto":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            await opened.page.locator("#view").screenshot(path=str(SCREENSHOTS / f"{view}-{theme}.png"))
        assert_clean(opened)


# Every visible piece of text, against the colour actually behind it: colours are read through a canvas,
# so any CSS colour form (rgb, color-mix, oklch, a host variable) is measured as painted, and translucent
# backgrounds are composited up the tree. WCAG 2.2 1.4.3: 4.5:1, or 3:1 for large text (24 px, or 18.66 px
# bold).
CONTRAST = (Path(__file__).parent / "contrast.js").read_text()


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("theme", ["light", "dark"])
async def test_every_text_in_a_view_meets_wcag_aa_contrast(era: str, view: str, theme: str) -> None:
    async with open_session(era) as session:
        opened = await open_subject(session, view, theme=theme)
        measured = await opened.frame.evaluate(CONTRAST)
        assert len(measured) >= 5  # the walk reached the view's text, not an empty page
        failing = [m for m in measured if m["ratio"] < m["needed"]]
        assert failing == [], failing
        lowest = min(measured, key=lambda m: m["ratio"] / m["needed"])
        # The instrument itself: #767676 on the light page is 4.54:1, the lightest grey AA allows on white.
        if theme == "light":
            await opened.frame.evaluate(
                "document.body.append(Object.assign(document.createElement('span'), "
                "{textContent: 'probe', style: 'color: #767676; background: #fff'}))"
            )
            probe = [m for m in await opened.frame.evaluate(CONTRAST) if m["text"] == "probe"]
            assert [round(m["ratio"], 2) for m in probe] == [4.54]
        print(f"\n{view} ({theme}): {len(measured)} texts, lowest {lowest['ratio']:.2f}:1 ({lowest['text']!r})")
        assert_clean(opened)


def calls_placed(session: Session) -> int:
    return len([r for r in session.app.state.emulator.request_log if r.method == "POST" and "instant-call" in r.path])


async def test_the_call_card_places_exactly_one_call_when_a_person_presses_it(era: str) -> None:
    async with open_session(era) as session:
        rows = records(await call(session.client, "get_applications", size=50))
        application = next(row["id"] for row in rows if row["screening_status"] == "pending")
        opened = await open_view(session, "approval", "instant_call", {"application_id": application})
        frame = opened.frame
        card = frame.locator(".card")
        await card.wait_for()
        # The model's path placed nothing: the first call answered with this card.
        assert calls_placed(session) == 0
        facts = await card.locator(".facts").inner_text()
        assert "Candidate" in facts and "Phone" in facts and "+*" in facts and "Calling window" in facts
        press = card.locator("button.primary")
        assert (await press.inner_text()).strip() == "Call now"
        await press.click()
        await card.locator(".outcome.done", has_text="Call placed").wait_for()
        assert await press.is_disabled()
        assert calls_placed(session) == 1
        host = await opened.page.evaluate("hostLog")
        assert [c["name"] for c in host["calls"]] == ["approve"]
        assert "ui/update-model-context" in host["requests"]
        assert_clean(opened)
