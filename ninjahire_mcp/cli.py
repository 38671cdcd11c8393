"""The `ninjahire-mcp` command: serve on stdio (default), list tools, call one tool, or serve the sandbox."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from . import __version__
from .config import SETTINGS, ConfigError, Declared, Settings
from .logs import configure_logging

EXIT_OK, EXIT_USAGE = 0, 2

_DESCRIPTION = """\
MCP server for the Ninjahire recruiting API: jobs, candidates, applications, screening questions
and AI phone-screening calls, for Claude Desktop and any other MCP host.

With no command it serves MCP on stdio (a host starts it; it then waits silently on stdin).
Live mode needs NINJAHIRE_API_KEY. --sandbox (or NINJAHIRE_SANDBOX=1) serves the same tools
against an embedded emulator with fictional data instead: SANDBOX MODE, no key, no network,
nobody is phoned."""

_COMMANDS = """\
commands:
  tools                        list the tools, one line each (no key needed)
  call TOOL key=value ...      run one tool through the MCP path and print its result
  sandbox [--port N]           serve the emulator over HTTP on 127.0.0.1 (for NINJAHIRE_BASE_URL)
  inbox purge [--all]          delete the webhook inbox's events past their retention (or all of them)

examples:
  ninjahire-mcp --sandbox
  ninjahire-mcp call get_jobs --sandbox
  ninjahire-mcp --sandbox --scale 100     (a tenant of about 12,000 screening calls)
  ninjahire-mcp call get_applications job_id=<uuid> size=20 --sandbox"""


def _epilog() -> str:
    """The commands, then every environment variable by group, with its flag and default."""
    lines = [_COMMANDS, "", "environment (flags win over it; a flag without a variable is listed under options):"]
    groups: dict[str, list[Declared]] = {}
    for setting in SETTINGS:
        if setting.env:
            groups.setdefault(setting.group, []).append(setting)
    for group, settings in groups.items():
        lines.append(f"  {group}:")
        for setting in settings:
            also = f" ({setting.flag})" if setting.flag else ""
            lines.append(f"    {setting.env}{also}: {setting.help}{_default(setting)}")
    return "\n".join(lines)


def _default(setting: Declared) -> str:
    value = setting.default
    if setting.switch or value in (None, (), frozenset()) or setting.field in ("toolsets", "api_key"):
        return ""
    return f" (default {value:g})" if isinstance(value, float) else f" (default {value})"


def _server_options() -> argparse.ArgumentParser:
    # SUPPRESS: an option given before the command must not be reset by the command's own default.
    options = argparse.ArgumentParser(add_help=False)
    groups: dict[str, Any] = {}  # argparse's argument groups (its type for them is private)
    for setting in SETTINGS:
        if setting.flag is None:
            continue
        group = groups.get(setting.group) or groups.setdefault(
            setting.group, options.add_argument_group(f"{setting.group} options")
        )
        shown = setting.help + _default(setting)
        if setting.switch:
            group.add_argument(setting.flag, action="store_true", default=argparse.SUPPRESS, help=shown)
        else:
            group.add_argument(
                setting.flag,
                default=argparse.SUPPRESS,
                metavar=setting.metavar,
                choices=setting.choices,
                type=setting.spelling,
                help=shown,
            )
    return options


def build_parser() -> argparse.ArgumentParser:
    options = _server_options()
    parser = argparse.ArgumentParser(
        prog="ninjahire-mcp",
        # No abbreviated flags: `inbox purge --all` must not read as a prefix of --allowed-hosts.
        allow_abbrev=False,
        description=_DESCRIPTION,
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[options],
    )
    parser.add_argument("--version", action="version", version=f"ninjahire-mcp {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="{tools,call,sandbox,inbox,index}")
    tools = commands.add_parser("tools", parents=[options], help="list the tools, one line each")
    tools.add_argument("--markdown", action="store_true", help="print the README's tool table instead")
    call = commands.add_parser("call", parents=[options], help="run one tool and print its result")
    call.add_argument("tool", help="tool name, as listed by `ninjahire-mcp tools`")
    call.add_argument("arguments", nargs="*", metavar="key=value", help="tool arguments")
    sandbox = commands.add_parser("sandbox", help="serve the Ninjahire API emulator over HTTP")
    sandbox.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (default 8765)")
    sandbox.add_argument("--seed", type=int, default=7, help="seed of the generated data (default 7)")
    sandbox.add_argument(
        "--call-duration", type=float, default=8.0, help="seconds an instant call stays in progress (default 8)"
    )
    sandbox.add_argument(
        "--faults",
        metavar="SPEC",
        help="inject faults, e.g. '503 GET /v1/jobs times=2; drop POST *' (or NINJAHIRE_SANDBOX_FAULTS; README)",
    )
    sandbox.add_argument(
        "--scale",
        metavar="N",
        default=argparse.SUPPRESS,  # read, and checked, as the setting (NINJAHIRE_SANDBOX_SCALE) is
        help="seed N copies of the tenant, about 130 calls each, up to 1000 (default 1; or NINJAHIRE_SANDBOX_SCALE)",
    )
    inbox = commands.add_parser("inbox", help="the webhook inbox's stored events")
    actions = inbox.add_subparsers(dest="action", metavar="{purge}", required=True)
    purge = actions.add_parser("purge", help="delete events past NINJAHIRE_WEBHOOK_RETENTION_DAYS (or --all)")
    purge.add_argument("--all", action="store_true", help="delete every stored event")
    index = commands.add_parser("index", help="the screening index: each tenant's local copy")
    steps = index.add_subparsers(dest="action", metavar="{status,purge}", required=True)
    steps.add_parser("status", help="per tenant: calls, jobs, size on disk, age")
    forget = steps.add_parser("purge", help="delete jobs not read for NINJAHIRE_INDEX_RETENTION_DAYS (or --all)")
    forget.add_argument("--all", action="store_true", help="delete every tenant's index")
    return parser


def settings_from(args: argparse.Namespace, env: Mapping[str, str]) -> Settings:
    """Environment first, flags over it; each read as its declaration says."""
    settings = Settings.from_env(env)
    overrides: dict[str, object] = {}
    for setting in SETTINGS:
        if setting.flag is None or not hasattr(args, _dest(setting.flag)):
            continue
        if args.command == "sandbox" and setting.flag == "--port":
            continue  # the sandbox command's --port is the emulator's own
        given = getattr(args, _dest(setting.flag))
        overrides[setting.field] = setting.switched if setting.switch else setting.read(given, setting.flag)
    settings = dataclasses.replace(settings, **overrides)  # type: ignore[arg-type]
    settings.check()
    return settings


def _dest(flag: str) -> str:
    return flag.removeprefix("--").replace("-", "_")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = settings_from(args, os.environ)
        configure_logging(settings.log_level, sys.stderr)
        if args.command == "tools":
            from .commands import list_tools

            return list_tools(settings, sys.stdout, markdown=args.markdown)
        if args.command == "call":
            from .commands import call_tool

            settings.require_credentials()
            return call_tool(settings, args.tool, args.arguments, sys.stdout, sys.stderr)
        if args.command == "inbox":
            from .commands import purge_inbox

            return purge_inbox(settings, sys.stderr, everything=args.all)
        if args.command == "index":
            from .commands import index_status, purge_index

            if args.action == "status":
                return index_status(settings, sys.stdout)
            return purge_index(settings, sys.stderr, everything=args.all)
        if args.command == "sandbox":
            from .commands import serve_sandbox

            faults = args.faults or settings.sandbox_faults
            return serve_sandbox(
                args.port, args.seed, args.call_duration, sys.stderr, faults=faults, scale=settings.sandbox_scale
            )
        settings.require_credentials()
        if settings.transport != "stdio":
            from .http import serve_http

            return serve_http(settings)
        from .commands import serve_stdio

        return serve_stdio(settings)
    except ConfigError as exc:
        sys.stderr.write(f"ninjahire-mcp: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
