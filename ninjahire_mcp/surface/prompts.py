"""MCP prompts, loaded from the `prompts/*.md` data files: TOML front matter, then a `${name}` template.

The front matter is TOML, read by the standard library's tomllib, between two `+++` lines (Hugo's
marker for TOML front matter; `---` would tell editors and GitHub to expect YAML):

    +++
    name = "triage_job"                  # the file's name without .md
    title = "Triage a job's applicants"
    description = "One line for the prompt picker."
    requires = ["get_questions"]         # optional: offered only where all these tools are served

    [[arguments]]                        # one table per argument, in the order clients show them
    name = "job_id"
    description = "What to pass."
    required = true                      # or a `default = "..."` the template shows when it is left out
    +++
    The template: `${job_id}` is an argument, `$$` a dollar sign.

Text goes in quotes (`default = "5"`, not `5`) and `required` is a bare true or false. Invalid TOML,
unknown or missing keys, a value of the wrong type, a name that is not lower_snake_case, an optional
argument without a default, a placeholder that is not an argument or an argument the template never
uses fails when the server is built, naming file and line, so a malformed prompt never reaches a client.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from functools import partial
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from string import Template
from typing import Any

from mcp import MCPError
from mcp.server import MCPServer
from mcp.server.mcpserver.prompts.base import Prompt, PromptArgument
from mcp.types import INVALID_PARAMS
from pydantic import Field

# A wheel carries the prompts inside the package (pyproject's force-include); a checkout or an
# editable install reads them from the repository.
_PACKAGED_DIR = "_prompts"
_SOURCE_DIR = Path(__file__).resolve().parents[2] / "prompts"

_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
_DELIMITER = "+++"
# Where keys and tables start, to name the line of a problem (tomllib reports no positions).
_KEY_LINE = re.compile(r"""\s*["']?([A-Za-z0-9_-]+)["']?\s*[=.]""")
_TABLE_LINE = re.compile(r"""\s*\[(\[?)\s*["']?([A-Za-z0-9_-]+)""")
# What to do about tomllib's commonest complaints in a prompt file.
_TOML_HINTS = {
    "Invalid value": "text goes in double quotes, true and false without",
    "Cannot overwrite a value": "a key is given twice",
    "Expected '=' after a key": "write key = value",
}
# The keys of the front matter and of an [[arguments]] table, each with the type of its value.
_KEYS: dict[str, type] = {"name": str, "title": str, "description": str, "requires": list, "arguments": list}
_ARGUMENT_KEYS: dict[str, type] = {"name": str, "description": str, "required": bool, "default": str}
_KINDS = {str: "text in double quotes", bool: "true or false, without quotes", list: "a list in brackets"}


class PromptFileError(ValueError):
    """A prompt file the server cannot serve; the message names the file and line."""


_Fail = Callable[[int, str], PromptFileError]
_LineOf = Callable[..., int]


@dataclass(frozen=True)
class PromptFile:
    name: str
    title: str
    description: str
    arguments: tuple[PromptArgument, ...]
    defaults: dict[str, str]
    template: str
    # Tools the prompt cannot do without: it is offered only where all of them are served.
    requires: tuple[str, ...] = ()

    def check_arguments(self, values: Mapping[str, Any] | None) -> None:
        """Refuse missing, empty or unknown arguments with a message the caller can act on."""
        given = _given(values or {})
        known = [argument.name for argument in self.arguments]
        problems = [f"unknown argument {key!r}" for key in (values or {}) if key not in known]
        problems += [
            f"{argument.name!r} is required ({argument.description})"
            for argument in self.arguments
            if argument.required and argument.name not in given
        ]
        if problems:
            raise MCPError(
                INVALID_PARAMS,
                f"Prompt {self.name}: {'; '.join(problems)}. Its arguments: {', '.join(known) or 'none'}.",
            )

    def render(self, **values: Any) -> str:
        return Template(self.template).substitute({**self.defaults, **_given(values)})


def _given(values: Mapping[str, Any]) -> dict[str, str]:
    """The arguments that carry a value: an empty one counts as left out."""
    texts = {key: "" if value is None else str(value).strip() for key, value in values.items()}
    return {key: text for key, text in texts.items() if text}


class FilePrompt(Prompt):
    """A prompt from a data file: refuses bad arguments as INVALID_PARAMS instead of an opaque error."""

    file: Any = Field(default=None, exclude=True)

    async def render(self, arguments: dict[str, Any] | None, context: Any) -> Any:
        self.file.check_arguments(arguments)
        return await super().render(arguments, context)


def prompts_dir() -> Traversable:
    packaged = resources.files("ninjahire_mcp") / _PACKAGED_DIR
    if packaged.is_dir():
        return packaged
    if _SOURCE_DIR.is_dir() and (_SOURCE_DIR.parent / "pyproject.toml").is_file():
        return _SOURCE_DIR
    raise PromptFileError(
        f"No prompts found: neither the package's {_PACKAGED_DIR}/ (a wheel) nor {_SOURCE_DIR} (a checkout) exists."
    )


def load_prompt_files(directory: Traversable | None = None) -> list[PromptFile]:
    """Every `*.md` prompt in `directory` (default: the packaged or checkout prompts), by file name."""
    files = sorted(
        (entry for entry in (directory or prompts_dir()).iterdir() if entry.name.endswith(".md") and entry.is_file()),
        key=lambda entry: entry.name,
    )
    prompts = []
    for entry in files:
        prompt = parse_prompt_file(entry.read_text(encoding="utf-8-sig"), source=entry.name)
        if prompt.name != entry.name.removesuffix(".md"):
            raise PromptFileError(f"{entry.name}: declares name {prompt.name!r}; a prompt's file is named after it.")
        prompts.append(prompt)
    return prompts


def parse_prompt_file(text: str, source: str = "<prompt>") -> PromptFile:
    lines = text.splitlines()

    def fail(line: int, message: str) -> PromptFileError:
        return PromptFileError(f"{source}, line {line}: {message}")

    if not lines or lines[0].rstrip() != _DELIMITER:
        was_yaml = " (the '---' YAML front matter is no longer read)" if lines and lines[0].rstrip() == "---" else ""
        raise fail(1, f"a prompt file starts with a '+++' line, then its TOML front matter{was_yaml}.")
    end = next((index for index in range(1, len(lines)) if lines[index].rstrip() == _DELIMITER), None)
    if end is None:
        raise fail(1, "the front matter has no closing '+++' line.")
    front, line_of = _read_front_matter(lines[1:end], fail)
    _check(front, _KEYS, "the front matter", line_of, fail)
    if not _NAME.match(front["name"]):
        raise fail(line_of("name"), f"name {front['name']!r} must be lower_snake_case.")
    if not all(isinstance(tool, str) for tool in front.get("requires", [])):
        raise fail(line_of("requires"), "'requires' lists tool names, each in double quotes.")
    arguments: list[PromptArgument] = []
    defaults: dict[str, str] = {}
    names: dict[str, int] = {}  # each argument, and the line declaring it
    for index, argument in enumerate(front.get("arguments", [])):
        at = partial(line_of, index)
        if not isinstance(argument, dict):
            raise fail(line_of("arguments"), "write each argument as an [[arguments]] table.")
        _check(argument, _ARGUMENT_KEYS, f"argument {index + 1}", at, fail)
        name, required = argument["name"], argument.get("required", False)
        if not _NAME.match(name):
            raise fail(at("name"), f"argument name {name!r} must be lower_snake_case.")
        if name in names:
            raise fail(at("name"), f"argument {name!r} is declared twice.")
        if required and "default" in argument:
            raise fail(at("default"), f"argument {name!r} is required, so it takes no default.")
        if not required:
            if "default" not in argument:
                raise fail(at(), f"optional argument {name!r} needs a 'default' for the template to show.")
            defaults[name] = argument["default"]
        arguments.append(PromptArgument(name=name, description=argument["description"], required=required))
        names[name] = at("name")
    return PromptFile(
        name=front["name"],
        title=front["title"],
        description=front["description"],
        arguments=tuple(arguments),
        defaults=defaults,
        template=_template(lines, end, names, fail),
        requires=tuple(front.get("requires", ())),
    )


def _read_front_matter(lines: list[str], fail: _Fail) -> tuple[dict[str, Any], _LineOf]:
    """The front matter (the file's lines 2 to the closing '+++'), and where each of its keys is."""
    try:
        return tomllib.loads("\n".join(lines)), _key_lines(lines)
    except tomllib.TOMLDecodeError as exc:
        raise _toml_error(exc, len(lines), fail) from None


def _check(table: dict[str, Any], keys: dict[str, type], where: str, line_of: _LineOf, fail: _Fail) -> None:
    """Refuse unknown keys, values of the wrong type and missing keys (all are needed but these four)."""
    for key, value in table.items():
        if key not in keys:
            above = " (the prompt's own keys go above the first [[arguments]])" if key in _KEYS else ""
            raise fail(line_of(key), f"unknown key {key!r} in {where}; the keys are {', '.join(keys)}{above}.")
        if type(value) is not keys[key]:
            expected = "one [[arguments]] table per argument" if key == "arguments" else _KINDS[keys[key]]
            raise fail(line_of(key), f"{key!r} is {expected}, not {value!r}.")
    for key in keys:
        if key not in table and key not in ("requires", "arguments", "required", "default"):
            raise fail(line_of(), f"{where} has no {key!r}.")


def _toml_error(exc: tomllib.TOMLDecodeError, count: int, fail: _Fail) -> PromptFileError:
    """tomllib's message, at the file's line: its own line numbers start at the front matter's first."""
    match = re.fullmatch(r"(.*) \(at (?:line (\d+), column (\d+)|end of document)\)", str(exc), re.S)
    if match is None:
        return fail(2, f"not valid TOML: {exc}.")
    reason, row, column = match.groups()
    line = int(row) + 1 if row else count + 2  # the end of the document is the closing '+++'
    hint = next((f"; {hint}" for start, hint in _TOML_HINTS.items() if reason.startswith(start)), "")
    return fail(line, f"not valid TOML{f' (column {column})' if column else ''}: {reason}{hint}.")


def _key_lines(lines: list[str]) -> _LineOf:
    """Where each key of the front matter is: tomllib reports no positions."""
    top: dict[str, int] = {}
    tables: list[tuple[int, dict[str, int]]] = []  # each [[arguments]]: its header's line, its keys' lines
    keys = top
    for number, line in enumerate(lines, start=2):
        if table := _TABLE_LINE.match(line):
            top.setdefault(table[2], number)
            keys = {}  # another table is an unknown key, found at its header
            if table[1] and table[2] == "arguments":
                tables.append((number, keys))
        elif key := _KEY_LINE.match(line):
            keys.setdefault(key[1], number)

    def line_of(*path: str | int) -> int:
        """(key) or (argument index, key): the line of that key, else of its table, else line 1."""
        if path and isinstance(path[0], int):
            if path[0] >= len(tables):
                return top.get("arguments", 1)  # arguments written inline
            header, keys = tables[path[0]]
            return keys.get(str(path[1]), header) if len(path) > 1 else header
        return top.get(str(path[0]), 1) if path else 1

    return line_of


def _template(lines: list[str], end: int, names: dict[str, int], fail: _Fail) -> str:
    """The body after the front matter; `names` maps each argument to the line declaring it."""
    body = "\n".join(lines[end + 1 :])
    first_line = end + 2  # 1-based number of the body's first line

    def line_of(position: int) -> int:
        return first_line + body.count("\n", 0, position)

    if not body.strip():
        raise fail(first_line, "the template after the front matter is empty.")
    for match in Template.pattern.finditer(body):
        if match["invalid"] is not None:
            raise fail(line_of(match.start()), "stray '$': write '$$' for a dollar sign, '${name}' for an argument.")
        used = match["named"] or match["braced"]
        if used is not None and used not in names:
            raise fail(line_of(match.start()), f"${{{used}}} is not an argument of this prompt.")
    used_names = Template(body).get_identifiers()
    for name, line in names.items():
        if name not in used_names:
            raise fail(line, f"argument {name!r} never appears in the template as ${{{name}}}.")
    return body.strip()


def register_prompts(
    server: MCPServer[Any], directory: Traversable | None = None, *, served: Collection[str] | None = None
) -> list[PromptFile]:
    """Register the prompts whose required tools are all among `served` (all of them when None)."""
    prompts = [
        prompt for prompt in load_prompt_files(directory) if served is None or set(prompt.requires) <= set(served)
    ]
    for prompt in prompts:
        server.add_prompt(
            FilePrompt(
                name=prompt.name,
                title=prompt.title,
                description=prompt.description,
                arguments=list(prompt.arguments),
                fn=prompt.render,
                context_kwarg=None,
                file=prompt,
            )
        )
    return prompts
