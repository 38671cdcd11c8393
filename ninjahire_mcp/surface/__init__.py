"""The MCP surface that is not tools: server instructions, prompts, resources (the workflow guide and
records by URI), argument completion, the webhook inbox's `ninjahire://events` resource, and the Tasks
extension for the calls' waits, and the MCP Apps views."""

from .apps import apps_extension
from .completions import register_completions
from .events import EVENTS_URI, EventSubscribers, recent_events, register_events
from .guide import build_guide
from .instructions import build_instructions
from .prompts import PromptFile, PromptFileError, load_prompt_files, parse_prompt_file, prompts_dir, register_prompts
from .resources import register_resources
from .tasks import CallTasks

__all__ = [
    "EVENTS_URI",
    "CallTasks",
    "EventSubscribers",
    "PromptFile",
    "PromptFileError",
    "apps_extension",
    "build_guide",
    "build_instructions",
    "load_prompt_files",
    "parse_prompt_file",
    "prompts_dir",
    "recent_events",
    "register_completions",
    "register_events",
    "register_prompts",
    "register_resources",
]
