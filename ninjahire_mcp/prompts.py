"""MCP prompts, loaded from the `prompts/*.md` data files: front matter, then a `${name}` template."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Any

from mcp.server import MCPServer
from mcp.server.mcpserver.prompts.base import Prompt, PromptArgument

_PACKAGED = Path(__file__).parent / "_prompts"  # where a wheel carries them
_SOURCE = Path(__file__).parent.parent / "prompts"  # a source checkout or editable install


@dataclass(frozen=True)
class PromptFile:
    name: str
    title: str
    description: str
    arguments: tuple[PromptArgument, ...]
    defaults: dict[str, str]
    template: str

    def render(self, **values: Any) -> str:
        given = {name: value for name, value in values.items() if value not in (None, "")}
        return Template(self.template).safe_substitute({**self.defaults, **given}).strip()


def prompts_dir() -> Path:
    return _PACKAGED if _PACKAGED.is_dir() else _SOURCE


def load_prompt_files(directory: Path | None = None) -> list[PromptFile]:
    return [parse_prompt_file(path.read_text("utf-8")) for path in sorted((directory or prompts_dir()).glob("*.md"))]


def parse_prompt_file(text: str) -> PromptFile:
    """Read the restricted front matter these files use: `key: value` lines and an `arguments` list."""
    _, front, template = text.split("---\n", 2)
    fields: dict[str, str] = {}
    arguments: list[dict[str, str]] = []
    for line in front.splitlines():
        if not line.strip() or line.strip() == "arguments:":
            continue
        key, _, value = line.strip().removeprefix("- ").partition(":")
        if line.lstrip().startswith("- "):
            arguments.append({})
        if line.startswith(" "):
            arguments[-1][key.strip()] = value.strip()
        else:
            fields[key.strip()] = value.strip()
    return PromptFile(
        name=fields["name"],
        title=fields["title"],
        description=fields["description"],
        arguments=tuple(
            PromptArgument(name=a["name"], description=a.get("description"), required=a.get("required") == "true")
            for a in arguments
        ),
        defaults={a["name"]: a.get("default", "") for a in arguments},
        template=template,
    )


def register_prompts(server: MCPServer[Any], directory: Path | None = None) -> None:
    for prompt in load_prompt_files(directory):
        server.add_prompt(
            Prompt(
                name=prompt.name,
                title=prompt.title,
                description=prompt.description,
                arguments=list(prompt.arguments),
                fn=prompt.render,
                context_kwarg=None,
            )
        )
