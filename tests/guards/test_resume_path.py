"""resume_path: a local file from the user's resume folder, attached as base64 and never echoed back."""

from __future__ import annotations

import base64
import json
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2
import pytest
from mcp import Client

from ninjahire_mcp.config import ALL_TOOLSETS, Settings
from ninjahire_mcp.guards import MAX_BYTES, ResumeFolder
from ninjahire_mcp.sandbox import create_app
from ninjahire_mcp.server import build_server
from ninjahire_mcp.toolkit import InputError

from ..support.api import RecordingAPI

MODES = ["auto", "legacy"]
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" * 40
ENCODED = base64.b64encode(PDF).decode()
MARKER = f"[resume attached: {len(PDF)} bytes]"

CANDIDATE = {
    "first_name": "Dana",
    "email": "dana@example.com",
    "phone_no": "+12025550123",
    "source": "LinkedIn",
    "source_id": "CAND-1",
}
APPLICATION = {
    "candidate_source_id": "CAND-1",
    "job_source_id": "JOB-1",
    "source_application_status": "Applied",
    "application_stage": "ACTIVE",
}
QUESTIONS = [{"question_text": "Why us?", "source_id": "q1"}]
# Each tool, its arguments without a resume, and the body field the resume goes into.
TOOLS = [
    ("create_candidate", CANDIDATE, "file"),
    ("create_application", APPLICATION, "base64file"),
    ("create_application_with_questions", {**APPLICATION, "questions": QUESTIONS}, "base64file"),
]
TOOL_IDS = [tool for tool, _, _ in TOOLS]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    resumes = tmp_path / "resumes"
    (resumes / "2024").mkdir(parents=True)
    (resumes / "dana.pdf").write_bytes(PDF)
    (resumes / "2024" / "ivo.DOCX").write_bytes(PDF)
    (tmp_path / "secret.pdf").write_bytes(b"not for the agent")
    return resumes


@pytest.fixture
def echoing(api: RecordingAPI) -> RecordingAPI:
    """An API that echoes the body it was sent, as a create does."""
    api.default = lambda request: httpx2.Response(201, json={"id": "new-1", **json.loads(request.content)})
    return api


async def attach(server: Any, tool: str, arguments: dict[str, Any], mode: str = "auto") -> tuple[bool, str]:
    async with Client(server, mode=mode) as client:
        result = await client.call_tool(tool, arguments)
    return bool(result.is_error), result.content[0].text


# ---- what is sent, and what comes back ----------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("tool", "arguments", "field"), TOOLS, ids=TOOL_IDS)
async def test_the_resume_goes_out_as_base64_and_does_not_come_back(
    server_for: Callable[..., Any],
    echoing: RecordingAPI,
    folder: Path,
    mode: str,
    tool: str,
    arguments: dict[str, Any],
    field: str,
) -> None:
    error, text = await attach(server_for(resume_dir=str(folder)), tool, {**arguments, "resume_path": "dana.pdf"}, mode)

    assert not error, text
    body = echoing.body()
    assert body[field] == ENCODED and "resume_path" not in body
    assert {key: value for key, value in body.items() if key != field} == arguments
    assert ENCODED not in text and ENCODED[:40] not in text
    assert json.loads(text)[field] == MARKER


@pytest.mark.parametrize(
    "given", ["2024/ivo.DOCX", "./2024/../dana.pdf", "{folder}/dana.pdf"], ids=["nested", "dots-inside", "absolute"]
)
async def test_paths_inside_the_folder_are_accepted(
    server_for: Callable[..., Any], echoing: RecordingAPI, folder: Path, given: str
) -> None:
    error, text = await attach(
        server_for(resume_dir=str(folder)),
        "create_application",
        {**APPLICATION, "resume_path": given.format(folder=folder)},
    )
    assert not error, text
    assert echoing.body()["base64file"] == ENCODED


async def test_a_symlink_to_a_file_inside_the_folder_is_followed(
    server_for: Callable[..., Any], echoing: RecordingAPI, folder: Path
) -> None:
    (folder / "latest.pdf").symlink_to(folder / "dana.pdf")
    error, text = await attach(
        server_for(resume_dir=str(folder)), "create_candidate", {**CANDIDATE, "resume_path": "latest.pdf"}
    )
    assert not error, text
    assert echoing.body()["file"] == ENCODED


async def test_the_folder_may_be_given_through_a_symlink(
    server_for: Callable[..., Any], echoing: RecordingAPI, folder: Path, tmp_path: Path
) -> None:
    (tmp_path / "link").symlink_to(folder)
    error, text = await attach(
        server_for(resume_dir=str(tmp_path / "link")), "create_candidate", {**CANDIDATE, "resume_path": "dana.pdf"}
    )
    assert not error, text
    assert echoing.body()["file"] == ENCODED  # the file behind the link is what was sent
    assert json.loads(text)["file"] == MARKER  # and the agent reads a marker, not the content


async def test_a_file_at_the_size_limit_is_attached(
    server_for: Callable[..., Any], echoing: RecordingAPI, folder: Path
) -> None:
    with (folder / "long.txt").open("wb") as file:
        file.truncate(MAX_BYTES)
    error, text = await attach(
        server_for(resume_dir=str(folder)), "create_application", {**APPLICATION, "resume_path": "long.txt"}
    )
    assert not error, text
    assert len(echoing.body()["base64file"]) == len(base64.b64encode(bytes(MAX_BYTES)))
    assert json.loads(text)["base64file"] == f"[resume attached: {MAX_BYTES} bytes]"


async def test_resume_content_is_hidden_wherever_the_api_echoes_it(
    server_for: Callable[..., Any], api: RecordingAPI, folder: Path
) -> None:
    api.default = lambda _request: httpx2.Response(
        201, json={"id": "c-1", "file": f"data:application/pdf;base64,{ENCODED}", "copies": [{"resume": ENCODED}]}
    )
    error, text = await attach(
        server_for(resume_dir=str(folder)), "create_candidate", {**CANDIDATE, "resume_path": "dana.pdf"}
    )
    assert not error, text
    assert json.loads(text) == {"id": "c-1", "file": MARKER, "copies": [{"resume": MARKER}]}


async def test_base64_given_directly_is_not_echoed_either(
    server_for: Callable[..., Any], echoing: RecordingAPI
) -> None:
    error, text = await attach(server_for(), "create_application", {**APPLICATION, "base64file": ENCODED})
    assert not error, text
    assert json.loads(text)["base64file"] == MARKER


async def test_a_file_reference_stays_visible(server_for: Callable[..., Any], echoing: RecordingAPI) -> None:
    url = "https://files.example.com/dana.pdf"
    error, text = await attach(server_for(), "create_candidate", {**CANDIDATE, "file": url})
    assert not error, text
    assert json.loads(text)["file"] == url


# ---- refusals: each says why, and nothing is sent ------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("tool", "arguments", "field"), TOOLS, ids=TOOL_IDS)
async def test_without_a_resume_folder_resume_path_is_refused(
    server_for: Callable[..., Any], api: RecordingAPI, mode: str, tool: str, arguments: dict[str, Any], field: str
) -> None:
    error, text = await attach(server_for(), tool, {**arguments, "resume_path": "dana.pdf"}, mode)
    assert error and text.startswith(f"Invalid arguments for {tool}; nothing was sent:")
    assert "no resume folder is configured" in text and "NINJAHIRE_RESUME_DIR" in text
    assert f"give the resume as {'file' if field == 'file' else 'file or base64file'}" in text
    assert api.requests == []


REFUSED = [
    ("../secret.pdf", "is outside the resume folder"),
    ("2024/../../secret.pdf", "is outside the resume folder"),
    ("{outside}/secret.pdf", "is outside the resume folder"),
    ("{outside}/missing.pdf", "is outside the resume folder"),  # not even probed: no "no such file"
    ("escape.pdf", "is outside the resume folder"),  # a symlink leading out
    ("cv.exe", "must be a .pdf, .doc, .docx or .txt file (got .exe)"),
    ("notes", "(got no extension)"),
    ("missing.pdf", "'missing.pdf': no such file in the resume folder"),
    ("2024", "must be a .pdf"),
    ("folder.pdf", "is not a regular file"),
    ("empty.txt", "is an empty file"),
    ("huge.pdf", "is 10.0 MB; resumes may be at most 10 MB"),
    ("bad\x00name.pdf", "is not a usable file path"),
]


@pytest.mark.parametrize(("given", "expected"), REFUSED, ids=[given for given, _ in REFUSED])
async def test_paths_outside_odd_or_unreadable_are_refused_before_sending(
    server_for: Callable[..., Any], api: RecordingAPI, folder: Path, tmp_path: Path, given: str, expected: str
) -> None:
    (folder / "escape.pdf").symlink_to(tmp_path / "secret.pdf")
    (folder / "cv.exe").write_bytes(PDF)
    (folder / "notes").write_bytes(PDF)
    (folder / "folder.pdf").mkdir()
    (folder / "empty.txt").touch()
    with (folder / "huge.pdf").open("wb") as file:
        file.truncate(MAX_BYTES + 1)
    arguments = {**APPLICATION, "resume_path": given.format(outside=tmp_path)}

    error, text = await attach(server_for(resume_dir=str(folder)), "create_application", arguments)

    assert error and text.startswith("Invalid arguments for create_application; nothing was sent:")
    assert expected in text
    assert "not for the agent" not in text and "secret" not in text.replace(given.format(outside=tmp_path), "")
    assert api.requests == []


@pytest.mark.skipif(sys.platform == "win32" or not hasattr(os, "mkfifo"), reason="needs named pipes")
async def test_a_named_pipe_is_refused_without_blocking(
    server_for: Callable[..., Any], api: RecordingAPI, folder: Path
) -> None:
    os.mkfifo(folder / "pipe.pdf")
    error, text = await attach(
        server_for(resume_dir=str(folder)), "create_candidate", {**CANDIDATE, "resume_path": "pipe.pdf"}
    )
    assert error and "is not a regular file" in text
    assert api.requests == []


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads anything")
async def test_an_unreadable_file_is_reported(server_for: Callable[..., Any], api: RecordingAPI, folder: Path) -> None:
    (folder / "locked.pdf").write_bytes(PDF)
    (folder / "locked.pdf").chmod(0)
    error, text = await attach(
        server_for(resume_dir=str(folder)), "create_candidate", {**CANDIDATE, "resume_path": "locked.pdf"}
    )
    assert error and "'locked.pdf' could not be read: Permission denied." in text
    assert api.requests == []


async def test_a_resume_folder_that_does_not_exist_is_the_user_s_to_fix(
    server_for: Callable[..., Any], api: RecordingAPI, tmp_path: Path
) -> None:
    error, text = await attach(
        server_for(resume_dir=str(tmp_path / "nowhere")), "create_candidate", {**CANDIDATE, "resume_path": "a.pdf"}
    )
    assert error and "NINJAHIRE_RESUME_DIR" in text and "is not an existing directory" in text
    assert api.requests == []


@pytest.mark.parametrize(
    ("tool", "arguments", "expected"),
    [
        ("create_candidate", {**CANDIDATE, "file": "cv.pdf"}, "give the resume as file or as resume_path, not both."),
        ("create_application", {**APPLICATION, "file": "cv.pdf"}, "as file or as resume_path, not both."),
        ("create_application", {**APPLICATION, "base64file": ENCODED}, "as base64file or as resume_path, not both."),
        (
            "create_application_with_questions",
            {**APPLICATION, "file": "cv.pdf", "base64file": ENCODED},
            "as file or as base64file or as resume_path, not several.",
        ),
    ],
)
async def test_resume_path_excludes_the_other_resume_fields(
    server_for: Callable[..., Any], api: RecordingAPI, folder: Path, tool: str, arguments: dict[str, Any], expected: str
) -> None:
    error, text = await attach(server_for(resume_dir=str(folder)), tool, {**arguments, "resume_path": "dana.pdf"})
    assert error and expected in text
    assert api.requests == []


# ---- against the sandbox ------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_resumes_reach_the_sandbox_and_stay_out_of_results(folder: Path, mode: str) -> None:
    app = create_app()
    settings = Settings(sandbox=True, toolsets=frozenset(ALL_TOOLSETS), resume_dir=str(folder))
    async with Client(build_server(settings, transport=httpx2.ASGITransport(app=app)), mode=mode) as client:
        job = next(iter(app.state.emulator.jobs.values()))
        candidate = await client.call_tool(
            "create_candidate", {**CANDIDATE, "source_id": "CAND-RESUME", "resume_path": "dana.pdf"}
        )
        assert not candidate.is_error, candidate.content[0].text
        created = json.loads(candidate.content[0].text)
        assert created["file"] == MARKER  # the sandbox stores and echoes the base64 it was given
        assert app.state.emulator.candidates[created["id"]]["file"] == ENCODED

        # Read back later, the stored content is still not shown.
        stored = await client.call_tool("get_candidate", {"candidate_id": created["id"]})
        assert json.loads(stored.content[0].text)["file"] == MARKER
        changed = await client.call_tool("update_candidate", {"candidate_id": created["id"], "city": "Oslo"})
        assert json.loads(changed.content[0].text)["record"]["file"] == MARKER

        application = await client.call_tool(
            "create_application",
            {**APPLICATION, "candidate_source_id": "CAND-RESUME", "job_source_id": job["source_id"],
             "resume_path": "2024/ivo.DOCX"},
        )  # fmt: skip
        assert not application.is_error, application.content[0].text
        assert json.loads(application.content[0].text)["file"].startswith("https://files.example.com/uploads/")


@pytest.mark.skipif(sys.platform == "win32", reason="opens step by step only where dir_fd is supported")
async def test_a_folder_swapped_for_a_link_while_reading_never_leads_out(tmp_path: Path) -> None:
    resumes, outside = tmp_path / "resumes", tmp_path / "outside"
    (resumes / "2024").mkdir(parents=True)
    outside.mkdir()
    (resumes / "2024" / "cv.pdf").write_bytes(PDF)
    (outside / "cv.pdf").write_bytes(b"SECRET, not for the agent")
    folder = ResumeFolder(str(resumes))
    stop = threading.Event()

    def swap() -> None:  # 2024/ becomes a link to outside/ and back, as fast as it can
        while not stop.is_set():
            (resumes / "2024").rename(resumes / "2024.real")
            (resumes / "2024").symlink_to(outside)
            (resumes / "2024").unlink()
            (resumes / "2024.real").rename(resumes / "2024")

    swapper = threading.Thread(target=swap)
    swapper.start()
    read, refused = 0, 0
    try:
        for _ in range(2000):
            try:
                content = base64.b64decode(await folder.read("2024/cv.pdf", instead="file"))
            except InputError:
                refused += 1  # found mid-swap: refused, never followed
                continue
            assert b"SECRET" not in content
            read += 1
    finally:
        stop.set()
        swapper.join()
    assert read + refused == 2000 and read > 0
