"""The `ninjahire-mcp` command: serve on stdio (default), list tools, call one tool, or serve the sandbox."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Mapping, Sequence

from . import __version__
from .config import ALL_TOOLSETS, ConfigError, Settings, parse_names, parse_timeout, parse_toolsets
from .logs import configure_logging

EXIT_OK, EXIT_USAGE = 0, 2
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

_DESCRIPTION = """\
MCP server for the Ninjahire recruiting API: jobs, candidates, applications, screening questions
and AI phone-screening calls, for Claude Desktop and any other MCP host.

With no command it serves MCP on stdio (a host starts it; it then waits silently on stdin).
Live mode needs NINJAHIRE_API_KEY. --sandbox (or NINJAHIRE_SANDBOX=1) serves the same tools
against an embedded emulator with fictional data instead: SANDBOX MODE, no key, no network,
nobody is phoned."""

_EPILOG = """\
commands:
  tools                        list the tools, one line each (no key needed)
  call TOOL key=value ...      run one tool through the MCP path and print its result
  sandbox [--port N]           serve the emulator over HTTP on 127.0.0.1 (for NINJAHIRE_BASE_URL)

examples:
  ninjahire-mcp --sandbox
  ninjahire-mcp call get_jobs --sandbox
  ninjahire-mcp call get_applications job_id=<uuid> size=20 --sandbox

environment: NINJAHIRE_API_KEY, NINJAHIRE_BASE_URL (default https://api.ninjahire.co),
NINJAHIRE_TIMEOUT (seconds per request, default 30), NINJAHIRE_SANDBOX, NINJAHIRE_LOG_LEVEL,
NINJAHIRE_TOOLSETS, NINJAHIRE_TOOLS, NINJAHIRE_EXCLUDE_TOOLS, NINJAHIRE_READ_ONLY, NINJAHIRE_NO_CONFIRM,
NINJAHIRE_CONFIRM_TTL, NINJAHIRE_MAX_CALLS_PER_DAY, NINJAHIRE_REDACT_PII, NINJAHIRE_RESUME_DIR."""


def _server_options() -> argparse.ArgumentParser:
    # SUPPRESS: an option given before the command must not be reset by the command's own default.
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument(
        "--sandbox",
        action="store_true",
        default=argparse.SUPPRESS,
        help="serve against the embedded emulator (SANDBOX MODE: fictional data, no key, no calls)",
    )
    options.add_argument("--base-url", default=argparse.SUPPRESS, help="Ninjahire API base URL")
    options.add_argument("--timeout", default=argparse.SUPPRESS, help="seconds per API request")
    options.add_argument(
        "--log-level", type=str.upper, choices=LOG_LEVELS, default=argparse.SUPPRESS, help="stderr log level"
    )
    options.add_argument(
        "--toolsets",
        default=argparse.SUPPRESS,
        metavar="LIST",
        help=f"comma-separated toolsets to serve: {', '.join(ALL_TOOLSETS)} or all (default: all but webhooks)",
    )
    options.add_argument("--tools", default=argparse.SUPPRESS, metavar="LIST", help="serve exactly these tools")
    options.add_argument(
        "--exclude-tools", default=argparse.SUPPRESS, metavar="LIST", help="never serve these tools (always wins)"
    )
    options.add_argument(
        "--read-only",
        action="store_true",
        default=argparse.SUPPRESS,
        help="serve only tools that change nothing (applied last, overrides everything)",
    )
    options.add_argument(
        "--no-confirm",
        action="store_true",
        default=argparse.SUPPRESS,
        help="act without previews or a person's confirmation: for automated pipelines only",
    )
    options.add_argument(
        "--transport",
        default=argparse.SUPPRESS,
        choices=("stdio", "streamable-http", "http", "sse"),
        help="how to serve MCP: stdio (default), streamable-http (alias http) or sse",
    )
    options.add_argument("--host", default=argparse.SUPPRESS, help="address to bind over HTTP (default 127.0.0.1)")
    options.add_argument("--port", type=int, default=argparse.SUPPRESS, help="port over HTTP (default 8000)")
    options.add_argument(
        "--allowed-hosts",
        default=argparse.SUPPRESS,
        metavar="LIST",
        help="Host headers to accept besides loopback: host[:port], ':*' for any port",
    )
    options.add_argument(
        "--allowed-origins",
        default=argparse.SUPPRESS,
        metavar="LIST",
        help="Origins to accept (default: http and https of each allowed host)",
    )
    options.add_argument(
        "--auth-token", default=argparse.SUPPRESS, help="require Authorization: Bearer <token> (NINJAHIRE_MCP_TOKEN)"
    )
    options.add_argument(
        "--stateless",
        action="store_true",
        default=argparse.SUPPRESS,
        help="streamable HTTP without server-side sessions, for replicas behind a load balancer",
    )
    options.add_argument(
        "--shutdown-timeout",
        type=float,
        default=argparse.SUPPRESS,
        help="seconds in-flight calls may take to finish on SIGTERM/SIGINT (default 10)",
    )
    options.add_argument(
        "--redact-pii",
        action="store_true",
        default=argparse.SUPPRESS,
        help="mask phone numbers and email addresses in everything the agent sees",
    )
    return options


def build_parser() -> argparse.ArgumentParser:
    options = _server_options()
    parser = argparse.ArgumentParser(
        prog="ninjahire-mcp",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[options],
    )
    parser.add_argument("--version", action="version", version=f"ninjahire-mcp {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="{tools,call,sandbox}")
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
    return parser


def settings_from(args: argparse.Namespace, env: Mapping[str, str]) -> Settings:
    """Environment first, flags over it."""
    settings = Settings.from_env(env)
    overrides: dict[str, object] = {}
    if getattr(args, "sandbox", False):
        overrides["sandbox"] = True
    if hasattr(args, "base_url"):
        overrides["base_url"] = args.base_url
    if hasattr(args, "timeout"):
        overrides["timeout"] = parse_timeout(args.timeout, "--timeout")
    if hasattr(args, "log_level"):
        overrides["log_level"] = args.log_level
    if hasattr(args, "toolsets"):
        overrides["toolsets"] = parse_toolsets(args.toolsets, "--toolsets")
    if hasattr(args, "tools"):
        overrides["tools"] = parse_names(args.tools) or None
    if hasattr(args, "exclude_tools"):
        overrides["exclude_tools"] = parse_names(args.exclude_tools)
    if hasattr(args, "transport"):
        overrides["transport"] = "streamable-http" if args.transport == "http" else args.transport
    for name in ("host", "port", "auth_token", "shutdown_timeout"):
        if hasattr(args, name):
            overrides[name] = getattr(args, name)
    for name in ("allowed_hosts", "allowed_origins"):
        if hasattr(args, name):
            overrides[name] = tuple(sorted(parse_names(getattr(args, name))))
    for flag, setting, value in (
        ("read_only", "read_only", True),
        ("no_confirm", "confirm", False),
        ("redact_pii", "redact_pii", True),
        ("stateless", "stateless", True),
    ):
        if getattr(args, flag, False):
            overrides[setting] = value
    if settings.log_level not in LOG_LEVELS and "log_level" not in overrides:
        raise ConfigError(f"NINJAHIRE_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}.")
    settings = dataclasses.replace(settings, **overrides)  # type: ignore[arg-type]
    settings.check()
    return settings


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
        if args.command == "sandbox":
            from .commands import serve_sandbox

            faults = args.faults or settings.sandbox_faults
            return serve_sandbox(args.port, args.seed, args.call_duration, sys.stderr, faults=faults)
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
