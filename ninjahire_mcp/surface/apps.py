"""The MCP Apps extension (`io.modelcontextprotocol/ui`): the views a host renders beside a tool's result.

Three views, each one self-contained HTML document served as a `ui://` resource: the shortlist (a job's
applicants ranked, with the funnel; rank_applicants, screening_funnel, search_screening), the scorecard
(one call; get_call, wait_for_call, get_screening_results) and the approval card (the gated tools'
previews, with the button only a person presses: guards/_confirmation.py, tools/approving.py). The tools
that open them say so in their catalogue entries (`view=`), and the app-only tools that feed them are in
the catalogue too (tools/_catalogue.py, `with_app_tools`): this module only serves the documents, with the
SDK's `Apps`.

The documents are written as files in views/ with shared parts (`/* @include _name */`) inlined when the
server starts: no build step, nothing fetched, and the host's default content-security policy suffices
(no `csp` is declared, so the view may reach nothing outside itself).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from mcp.server.apps import Apps

from ..toolkit import view_uri

_INCLUDE = re.compile(r"/\* @include (_[a-z_]+\.(?:css|js)) \*/")


@dataclass(frozen=True)
class View:
    name: str
    title: str
    description: str


VIEWS = (
    View(
        "shortlist",
        "Shortlist",
        "A job's applicants ranked by their best screening call, with category scores, stage and the funnel; "
        "select one to open their scorecard.",
    ),
    View(
        "scorecard",
        "Scorecard",
        "One screening call: the verdict, category bars, each question's score and answer, the digest, and "
        "the transcript in a drawer.",
    ),
    View(
        "approval",
        "Approval",
        "What a real-world action would do and to whom (a phone call, calling switched on, a webhook, a deletion), "
        "with a button only a person can press.",
    ),
)


@cache
def view_html(name: str) -> str:
    """The view's document, its shared parts inlined (read once per process)."""
    folder = files(__package__).joinpath("views")
    document = folder.joinpath(f"{name}.html").read_text("utf-8")
    return _INCLUDE.sub(lambda found: folder.joinpath(found.group(1)).read_text("utf-8"), document)


def apps_extension() -> Apps:
    """The extension to pass to `MCPServer(extensions=[...])`: the views' resources. A client that does not
    negotiate MCP Apps still gets every tool's complete text result, so nothing depends on it."""
    apps = Apps()
    for view in VIEWS:
        apps.add_html_resource(
            view_uri(view.name),
            view_html(view.name),
            name=view.name,
            title=view.title,
            description=view.description,
            prefers_border=True,
        )
    return apps
