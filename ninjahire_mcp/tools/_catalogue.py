"""The tool catalogue: every tool, in the order it is served, with its toolset; and which of them to serve.

One list, read top to bottom: adding a tool is writing its handler in its area's module and naming
it here (then `UPDATE_SNAPSHOTS=1 pytest tests/tools/test_catalogue.py` records its surface and the
README table). Nothing is registered by importing a module.
"""

from collections.abc import Iterable
from functools import cache

from ..config import ConfigError, Settings
from ..toolkit import NinjahireTool, ToolSpec, build_tool, toolset
from . import applications, approving, candidates, events, jobs, questions, research, webhooks
from .calls import for_views, insights, placing, reading, searching

CATALOGUE: tuple[ToolSpec, ...] = (
    *toolset(
        "jobs",
        (
            jobs.get_jobs,
            jobs.create_job,
            jobs.get_job,
            jobs.update_job,
            jobs.get_job_scheduling,
            jobs.set_job_scheduling,
            jobs.get_schedule_settings,
            jobs.update_schedule_settings,
            jobs.find_jobs,
        ),
    ),
    *toolset(
        "candidates",
        (
            candidates.get_candidates,
            candidates.create_candidate,
            candidates.get_candidate,
            candidates.update_candidate,
            candidates.find_candidates,
        ),
    ),
    *toolset(
        "applications",
        (
            applications.get_applications,
            applications.create_application,
            applications.get_application,
            applications.update_application,
            applications.create_application_with_questions,
        ),
    ),
    *toolset(
        "questions",
        (
            questions.get_questions,
            questions.add_question,
            questions.update_question,
            questions.delete_question,
            questions.generate_questions,
        ),
    ),
    *toolset(
        "calls",
        (
            reading.get_call,
            reading.wait_for_call,
            reading.get_screening_results,
            placing.instant_call,
            insights.rank_applicants,
            insights.screening_funnel,
            searching.search_screening,
        ),
    ),
    *toolset(
        "webhooks",
        (
            webhooks.get_webhook,
            webhooks.set_webhook,
            webhooks.subscribe_webhook,
            webhooks.unsubscribe_webhook,
        ),
    ),
    *toolset("events", (events.get_webhook_events,)),
    *toolset("research", (research.search, research.fetch)),
)
TOOLSETS: tuple[str, ...] = tuple(dict.fromkeys(spec.toolset for spec in CATALOGUE))
# What the views (MCP Apps, surface/apps.py) call for themselves: never offered to the model, and not
# chosen by --toolsets or --tools. Each is served whenever a tool whose result opens its view is.
APP_ONLY: tuple[ToolSpec, ...] = (
    *toolset("calls", (for_views.shortlist_data, for_views.call_transcript)),
    *toolset("approvals", (approving.approve,)),
)
# Served whenever the webhook inbox is on (and never without it), whatever --toolsets says.
INBOX_TOOLSETS = frozenset({"events"})


def select_specs(settings: Settings) -> tuple[ToolSpec, ...]:
    """The tools to serve: the toolsets (or an explicit list), minus exclusions, then read-only last."""
    known = {spec.name for spec in CATALOGUE}
    for option, names in (("--tools", settings.tools or frozenset()), ("--exclude-tools", settings.exclude_tools)):
        unknown = sorted(names - known)
        if unknown:
            raise ConfigError(
                f"{option}: unknown tool(s) {', '.join(unknown)}; `ninjahire-mcp tools --toolsets all` lists them."
            )
    if settings.tools is not None:
        inbox_only = sorted(
            spec.name for spec in CATALOGUE if spec.name in settings.tools and not _available(spec, settings)
        )
        if inbox_only:
            raise ConfigError(
                f"--tools: {', '.join(inbox_only)} reads the webhook inbox, which is off: set NINJAHIRE_WEBHOOK_SECRET."
            )
        chosen = [spec for spec in CATALOGUE if spec.name in settings.tools]
    else:
        chosen = [
            spec
            for spec in CATALOGUE
            if _available(spec, settings) and (spec.toolset in settings.toolsets or spec.toolset in INBOX_TOOLSETS)
        ]
    chosen = [spec for spec in chosen if spec.name not in settings.exclude_tools]
    if settings.read_only:
        chosen = [spec for spec in chosen if spec.effect.read_only]
    return tuple(chosen)


def with_app_tools(specs: Iterable[ToolSpec]) -> tuple[ToolSpec, ...]:
    """`specs` and the app-only tools their views need. Read-only mode keeps the readers; the approval card's
    button comes only with a tool it can approve, so never in read-only mode."""
    served = tuple(specs)
    views = {spec.view for spec in served if spec.view is not None}
    return served + tuple(spec for spec in APP_ONLY if spec.view in views and spec not in served)


def _available(spec: ToolSpec, settings: Settings) -> bool:
    return spec.toolset not in INBOX_TOOLSETS or settings.inbox_enabled


def build_tools(specs: Iterable[ToolSpec] = CATALOGUE) -> list[NinjahireTool]:
    return [_built(spec) for spec in specs]


@cache
def _built(spec: ToolSpec) -> NinjahireTool:
    # A built tool holds no per-server state, and building one (its pydantic models) is the costly
    # part of starting a server: build each once per process.
    return build_tool(spec)
