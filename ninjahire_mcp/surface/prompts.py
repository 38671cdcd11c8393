"""MCP prompts, loaded from the `prompts/*.md` data files: front matter, then a `${name}` template.

The front matter is a small, strict subset of YAML read here without a YAML library:

    ---
    name: triage_job                  # the file's name without .md
    title: Triage a job's applicants
    description: One line for the prompt picker.
    arguments:
      - name: job_id
        description: What to pass.
        required: true                # or a `default:` the template shows when it is left out
    ---
    The template: `${job_id}` is an argument, `$$` a dollar sign.

Anything outside that subset (nesting, multi-line values, flow syntax, tabs, unknown or repeated
keys, a placeholder that is not an argument) fails when the server is built, naming file and line,
so a malformed prompt never reaches a client.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
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
_KEY_VALUE = re.compile(r"(?P<key>[A-Za-z_][A-Za-z0-9_-]*):(?:[ ]+(?P<value>.*))?\Z")
_TOP_KEYS = ("name", "title", "description", "requires", "arguments")
_ARGUMENT_KEYS = ("name", "description", "required", "default")
# A plain YAML value starting with one of these means something else (a list, a block, an alias...).
_YAML_INDICATORS = (*"[]{}>|&*!%@`,#", "- ", "? ", ": ")


class PromptFileError(ValueError):
    """A prompt file the server cannot serve; the message names the file and line."""


_Fail = Callable[[int, str], PromptFileError]


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

    if not lines or lines[0].rstrip() != "---":
        raise fail(1, "a prompt file starts with a '---' line, then its front matter.")
    end = next((index for index in range(1, len(lines)) if lines[index].rstrip() == "---"), None)
    if end is None:
        raise fail(1, "the front matter has no closing '---' line.")
    fields, arguments = _read_front_matter(lines[1:end], fail)
    for key in ("name", "title", "description"):
        if key not in fields:
            raise fail(1, f"the front matter has no {key!r}.")
    if not _NAME.match(fields["name"]):
        raise fail(fields.line("name"), f"name {fields['name']!r} must be lower_snake_case.")
    prompt_arguments, defaults = _arguments(arguments, fail)
    template = _template(lines, end, {item["name"]: item.line("name") for item in arguments}, fail)
    return PromptFile(
        name=fields["name"],
        title=fields["title"],
        description=fields["description"],
        arguments=prompt_arguments,
        defaults=defaults,
        template=template,
        requires=tuple(name.strip() for name in fields.get("requires", "").split(",") if name.strip()),
    )


class _Fields(dict[str, str]):
    """Keys and values of one mapping in the front matter, remembering the line of each key."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[str, int] = {}

    def line(self, key: str) -> int:
        return self.lines[key]


def _read_front_matter(lines: list[str], fail: _Fail) -> tuple[_Fields, list[_Fields]]:
    fields = _Fields()
    arguments: list[_Fields] = []
    in_arguments = False
    item_indent: int | None = None
    for number, line in enumerate(lines, start=2):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        if line[indent] == "\t":
            raise fail(number, "indent with spaces, not tabs.")
        if indent == 0:
            key, value = _key_value(stripped, number, fail)
            _put(fields, key, value, number, _TOP_KEYS, "the front matter", fail)
            in_arguments = key == "arguments"
            if in_arguments and value:
                raise fail(number, "list the arguments on the lines below 'arguments:', one '- name: ...' each.")
            if not in_arguments and not value:
                raise fail(number, f"{key!r} needs a value on the same line.")
            continue
        if not in_arguments:
            raise fail(number, "unexpected indented line: only 'arguments' has nested items.")
        if stripped.startswith("- ") or stripped == "-":
            arguments.append(_Fields())
            item_indent = indent + 2
            stripped = stripped[2:].strip()
            if not stripped:
                raise fail(number, "start each argument with '- name: ...' on the same line.")
        elif not arguments or indent != item_indent:
            raise fail(number, "line up an argument's fields under its '- name: ...'.")
        key, value = _key_value(stripped, number, fail)
        if not value:
            raise fail(number, f"{key!r} needs a value on the same line.")
        _put(arguments[-1], key, value, number, _ARGUMENT_KEYS, "an argument", fail)
    return fields, arguments


def _key_value(text: str, number: int, fail: _Fail) -> tuple[str, str]:
    match = _KEY_VALUE.match(text)
    if not match:
        raise fail(number, f"expected 'key: value', got {text!r}.")
    return match["key"], _scalar(match["value"] or "", number, fail)


def _scalar(raw: str, number: int, fail: _Fail) -> str:
    """One value on one line, read as YAML would read it (or refused)."""
    value = raw.strip()
    if " #" in value and not value.startswith(("'", '"')):
        value = value.split(" #", 1)[0].rstrip()  # a YAML comment
    if value.startswith('"'):
        try:
            decoded = json.loads(value)  # YAML double quotes take JSON's escapes
        except json.JSONDecodeError as exc:
            raise fail(number, f"unreadable double-quoted value {value!r}: {exc.msg}.") from None
        if not isinstance(decoded, str):
            raise fail(number, f"unreadable double-quoted value {value!r}.")
        return decoded
    if value.startswith("'"):
        if len(value) < 2 or not value.endswith("'") or "'" in value[1:-1].replace("''", ""):
            raise fail(number, f"unreadable single-quoted value {value!r} (write '' for a quote inside).")
        return value[1:-1].replace("''", "'")
    if value.startswith(_YAML_INDICATORS) or value in ("-", "?"):
        raise fail(
            number,
            f"{value!r} would not read as plain text in YAML; quote it, and keep every value on one line.",
        )
    if ": " in value or value.endswith(":"):
        raise fail(number, f"{value!r} contains ': ' or ends with ':', which YAML reads as a mapping; quote it.")
    return value


def _put(into: _Fields, key: str, value: str, number: int, allowed: tuple[str, ...], where: str, fail: _Fail) -> None:
    if key not in allowed:
        raise fail(number, f"unknown key {key!r} in {where}; the keys are {', '.join(allowed)}.")
    if key in into:
        raise fail(number, f"{key!r} is given twice in {where} (first on line {into.line(key)}).")
    into[key] = value
    into.lines[key] = number


def _arguments(items: list[_Fields], fail: _Fail) -> tuple[tuple[PromptArgument, ...], dict[str, str]]:
    arguments: list[PromptArgument] = []
    defaults: dict[str, str] = {}
    for item in items:
        first = min(item.lines.values())
        name = item.get("name")
        if name is None:
            raise fail(first, "an argument has no 'name'.")
        if not _NAME.match(name):
            raise fail(item.line("name"), f"argument name {name!r} must be lower_snake_case.")
        if name in defaults or any(argument.name == name for argument in arguments):
            raise fail(item.line("name"), f"argument {name!r} is declared twice.")
        if "description" not in item:
            raise fail(first, f"argument {name!r} has no 'description'.")
        required_text = item.get("required", "false")
        if required_text not in ("true", "false"):
            raise fail(item.line("required"), f"'required' is true or false, not {required_text!r}.")
        required = required_text == "true"
        if required and "default" in item:
            raise fail(item.line("default"), f"argument {name!r} is required, so it takes no default.")
        if not required:
            if "default" not in item:
                raise fail(first, f"optional argument {name!r} needs a 'default' for the template to show.")
            defaults[name] = item["default"]
        arguments.append(PromptArgument(name=name, description=item["description"], required=required))
    return tuple(arguments), defaults


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
