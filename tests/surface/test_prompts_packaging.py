"""Prompt files as shipped: the front-matter reader, its errors for a malformed file, and the wheel."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import textwrap
import venv
from pathlib import Path

import pytest

from ninjahire_mcp.config import Settings
from ninjahire_mcp.server import build_server
from ninjahire_mcp.surface.prompts import (
    PromptFileError,
    load_prompt_files,
    parse_prompt_file,
    prompts_dir,
    register_prompts,
)

ROOT = Path(__file__).resolve().parents[2]

GOOD = """\
+++
# a comment
name = "sample"
title = "It's a sample"
description = "Quoted: with a colon and \\u00e9"

[[arguments]]
name = "job_id"
description = 'The job.'
required = true

[[arguments]]
name = "top"
description = "How many."
default = "5"  # a trailing comment
+++
Rank ${job_id}, top ${top}, for $$0.
"""


def test_the_front_matter_reads_as_toml_with_comments_escapes_defaults_and_dollars() -> None:
    prompt = parse_prompt_file(GOOD, source="sample.md")
    assert (prompt.name, prompt.title, prompt.description) == ("sample", "It's a sample", "Quoted: with a colon and é")
    assert [(a.name, a.description, a.required) for a in prompt.arguments] == [
        ("job_id", "The job.", True),
        ("top", "How many.", False),
    ]
    assert prompt.requires == ()
    assert prompt.render(job_id="J1") == "Rank J1, top 5, for $0."
    assert prompt.render(job_id="J1", top="2") == "Rank J1, top 2, for $0."


def _replace(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


def _arguments(toml: str) -> str:
    """GOOD with its arguments written as `toml` instead."""
    return GOOD[: GOOD.index("[[arguments]]")] + toml + GOOD[GOOD.index("+++\nRank") :]


def test_required_tools_and_inline_arguments_read_like_the_long_form() -> None:
    requires = _replace("# a comment", 'requires = ["get_jobs", "get_job"]')
    inline = (
        requires[: requires.index("[[arguments]]")]
        + (
            'arguments = [\n  { name = "job_id", description = "The job.", required = true },\n'
            '  { name = "top", description = "How many.", default = "5" },\n]\n'
        )
        + requires[requires.index("+++\nRank") :]
    )
    assert parse_prompt_file(requires).requires == ("get_jobs", "get_job")
    assert parse_prompt_file(inline) == parse_prompt_file(requires)


MALFORMED = [
    ("no opening line", GOOD.removeprefix("+++\n"), "line 1: a prompt file starts with a '+++' line"),
    ("yaml front matter", "---" + GOOD.removeprefix("+++"), "(the '---' YAML front matter is no longer read)"),
    ("no closing line", _replace("+++\nRank", "Rank"), "line 1: the front matter has no closing '+++' line"),
    ("missing title", _replace('title = "It\'s a sample"\n', ""), "line 1: the front matter has no 'title'"),
    ("misspelt key", _replace("title =", "titel ="), "line 4: unknown key 'titel' in the front matter; the keys"),
    ("unknown table", _replace("\n[[arguments]]", "[meta]\nx = 1\n\n[[arguments]]"), "line 6: unknown key 'meta'"),
    ("key twice", _replace('name = "sample"\n', 'name = "sample"\nname = "other"\n'), "line 4: not valid TOML"),
    ("unquoted text", _replace('title = "It\'s a sample"', "title = It's a sample"), "line 4: not valid TOML"),
    ("yaml key", _replace('title = "It\'s a sample"', "title: sample"), "line 4: not valid TOML (column 6)"),
    (
        "unterminated",
        _replace('description = "Quoted', 'description = """Quoted'),
        "line 16: not valid TOML: Unterminated string",
    ),
    ("number for text", _replace('default = "5"', "default = 5"), "line 15: 'default' is text in double quotes, not 5"),
    (
        "yes for true",
        _replace("required = true", "required = yes"),
        "line 10: not valid TOML (column 12): Invalid value; text goes in double quotes",
    ),
    ("quoted boolean", _replace("required = true", 'required = "true"'), "line 10: 'required' is true or false"),
    (
        "requires as text",
        _replace("# a comment", 'requires = "get_jobs, get_job"'),
        "line 2: 'requires' is a list in brackets, not 'get_jobs, get_job'",
    ),
    ("requires a number", _replace("# a comment", "requires = [1]"), "line 2: 'requires' lists tool names, each in"),
    (
        "arguments as one table",
        _arguments('[arguments]\nname = "job_id"\ndescription = "The job."\nrequired = true\n'),
        "line 7: 'arguments' is one [[arguments]] table per argument",
    ),
    (
        "prompt key below the arguments",
        _replace('default = "5"', 'default = "5"\nrequires = ["get_jobs"]'),
        "line 16: unknown key 'requires' in argument 2; the keys are name, description, required, default (the",
    ),
    (
        "an inline argument",
        _arguments('arguments = [{ name = 1, description = "The job.", required = true }]\n'),
        "line 7: 'name' is text in double quotes, not 1",
    ),
    ("optional, no default", _replace('default = "5"  # a trailing comment\n', ""), "line 12: optional argument 'top'"),
    (
        "required with default",
        _replace("required = true", 'required = true\ndefault = "x"'),
        "line 11: argument 'job_id' is required, so it takes no default",
    ),
    ("argument unnamed", _replace('name = "top"\n', ""), "line 12: argument 2 has no 'name'"),
    ("argument twice", _replace('name = "top"', 'name = "job_id"'), "line 13: argument 'job_id' is declared twice"),
    ("bad prompt name", _replace('name = "sample"', 'name = "Sample-Prompt"'), "line 3: name 'Sample-Prompt' must be"),
    ("bad argument name", _replace('name = "top"', 'name = "Top"'), "line 13: argument name 'Top' must be lower_snake"),
    ("unknown placeholder", _replace("top ${top}", "top ${top} ${limit}"), "line 17: ${limit} is not an argument"),
    ("stray dollar", _replace("$$0", "$0"), "line 17: stray '$'"),
    ("unused argument", _replace(", top ${top}", ""), "line 13: argument 'top' never appears in the template"),
    ("empty template", GOOD.split("Rank")[0], "line 17: the template after the front matter is empty"),
]


@pytest.mark.parametrize(("text", "message"), [case[1:] for case in MALFORMED], ids=[case[0] for case in MALFORMED])
def test_a_malformed_prompt_file_is_refused_naming_file_line_and_fix(text: str, message: str) -> None:
    with pytest.raises(PromptFileError) as refused:
        parse_prompt_file(text, source="sample.md")
    assert str(refused.value).startswith("sample.md, line ")
    assert message in str(refused.value)


def test_a_bad_prompt_file_stops_the_server_from_being_built(tmp_path: Path) -> None:
    (tmp_path / "sample.md").write_text(GOOD.replace("required = true", 'required = "maybe"'), encoding="utf-8")
    with pytest.raises(PromptFileError, match=r"sample\.md, line 10: \'required\' is true or false"):
        register_prompts(build_server(Settings(api_key="k")), tmp_path)


def test_a_prompt_file_is_named_after_its_prompt(tmp_path: Path) -> None:
    (tmp_path / "other.md").write_text(GOOD, encoding="utf-8")
    with pytest.raises(PromptFileError, match=r"other\.md: declares name 'sample'"):
        load_prompt_files(tmp_path)


def test_a_checkout_serves_the_prompts_from_its_prompts_directory() -> None:
    assert Path(str(prompts_dir())) == ROOT / "prompts"
    assert [p.name for p in load_prompt_files()] == sorted(path.stem for path in (ROOT / "prompts").glob("*.md"))


# Run inside the fresh virtualenv, from a directory without the checkout on sys.path.
_IN_WHEEL = textwrap.dedent(
    """
    import json, sys
    import anyio
    from mcp import Client
    import ninjahire_mcp
    from ninjahire_mcp.config import Settings
    from ninjahire_mcp.surface.prompts import prompts_dir
    from ninjahire_mcp.server import build_server

    async def main():
        async with Client(build_server(Settings(sandbox=True))) as client:
            listed = (await client.list_prompts()).prompts
            rendered = await client.get_prompt("triage_job", {"job_id": "LLM Engineer"})
        print(json.dumps({
            "package": ninjahire_mcp.__file__,
            "prompts_dir": str(prompts_dir()),
            "prompts": sorted(p.name for p in listed),
            "triage": rendered.messages[0].content.text,
        }))

    anyio.run(main)
    """
)


@pytest.mark.subprocess
def test_the_wheel_carries_the_prompts_and_serves_them_from_a_fresh_virtualenv(tmp_path: Path, wheel: Path) -> None:
    def run(*command: str | Path, cwd: Path = tmp_path) -> str:
        done = subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
        return done.stdout

    venv.create(tmp_path / "venv", with_pip=False)
    python = tmp_path / "venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "--quiet", wheel)
    # Dependencies come from the test's environment rather than the network; a path added by a .pth
    # file has its own .pth files ignored, so the checkout's editable install stays out of sight.
    purelib = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip())
    (purelib / "zz_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")

    shown = json.loads(run(python, "-c", _IN_WHEEL))

    assert Path(shown["package"]).is_relative_to(tmp_path / "venv"), shown["package"]
    assert Path(shown["prompts_dir"]) == Path(shown["package"]).parent / "_prompts"
    assert shown["prompts"] == sorted(path.stem for path in (ROOT / "prompts").glob("*.md"))
    assert "candidates for job LLM Engineer? Present at most 5" in shown["triage"]
