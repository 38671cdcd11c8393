"""Configuration, read in one place from the environment and the command line.

Every setting is one `Declared` entry in SETTINGS: its field of `Settings`, its environment variable,
its flag, how its text is read, and its help. `Settings.from_env`, the CLI's flags (cli.py) and
`--help` are all made from that list, so a new setting is one entry (and one field).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .defaults import DEFAULT_BASE_URL, DEFAULT_MAX_CONNECTIONS, DEFAULT_TIMEOUT, default_share

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
ALL_TOOLSETS = ("jobs", "candidates", "applications", "questions", "calls", "webhooks", "research")
# Webhooks are tenant administration: where candidate data is sent; research is search/fetch for research
# clients (ChatGPT's deep research), which the calls toolset's search_screening covers. Opt in with --toolsets.
DEFAULT_TOOLSETS = frozenset(ALL_TOOLSETS) - {"webhooks", "research"}
DEFAULT_CONFIRM_TTL = 300.0
DEFAULT_SCAN_PAGES = 20  # of 100 records each
DEFAULT_INDEX_MAX_PAGES = 500  # of 100 records each: a list of 50,000
DEFAULT_INDEX_TTL = 300.0  # seconds: the screening index's copy of a job is read again after five minutes
# Seconds one wait_for_call may last: hosts (Claude Desktop, claude.ai connectors) end a tool call after about 60 s.
DEFAULT_WAIT_LIMIT = 45.0
MAX_WAIT_LIMIT = 600
TRANSPORTS = ("stdio", "streamable-http", "sse")
TRANSPORT_CHOICES = ("stdio", "streamable-http", "http", "sse")  # http: an alias of streamable-http
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
DEFAULT_WEBHOOK_MAX_AGE = 300.0
APP_FOLDER = "ninjahire-mcp"
MAX_SANDBOX_SCALE = 1000  # the emulator's own limit, sandbox/copies.py's MAX_SCALE (fictional phone numbers)


class ConfigError(ValueError):
    """A setting that cannot be used; the message names it and how to fix it."""


@dataclass(frozen=True)
class Settings:
    api_key: str | None = field(default=None, repr=False)
    base_url: str = DEFAULT_BASE_URL
    timeout: float = DEFAULT_TIMEOUT
    # Upstream connections: this many in all, and at most max_connections_per_key of them for any one
    # caller's key (None: a quarter), so that one tenant's slow requests cannot hold all of them.
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    max_connections_per_key: int | None = None
    sandbox: bool = False
    log_level: str = "WARNING"
    # Which tools are served: toolsets, or an explicit list instead; exclusions win; read-only last.
    toolsets: frozenset[str] = DEFAULT_TOOLSETS
    tools: frozenset[str] | None = None
    exclude_tools: frozenset[str] = frozenset()
    read_only: bool = False
    # Real-world actions (a phone call, where candidate data goes) wait for a person's yes.
    confirm: bool = True
    confirm_ttl: float = DEFAULT_CONFIRM_TTL
    max_calls_per_day: int | None = None
    redact_pii: bool = False
    resume_dir: str | None = None
    # The call ledger and confirm tokens' file; None: guards.sqlite3 in the data folder (memory in the sandbox).
    guard_db: str | None = None
    # How far the tools that read a whole list (find_*, rank_applicants, screening_funnel) may go.
    scan_pages: int = DEFAULT_SCAN_PAGES
    # The longest one wait_for_call lasts, whatever timeout_s asks: a long call is followed in short waits.
    wait_limit: float = DEFAULT_WAIT_LIMIT
    # The screening index: a folder of one file per tenant, "memory" or "off"; None: the data folder's.
    index: str | None = None
    index_ttl: float = DEFAULT_INDEX_TTL
    index_retention_days: float = 30.0
    index_max_pages: int = DEFAULT_INDEX_MAX_PAGES
    # Serving over the network: transport, where, who may call, and how replicas agree.
    transport: str = "stdio"
    host: str = "127.0.0.1"
    port: int = 8000
    allowed_hosts: tuple[str, ...] = ()
    allowed_origins: tuple[str, ...] = ()
    # Browser origins answered with CORS headers (each must also pass the Origin allow-list).
    cors_origins: tuple[str, ...] = ()
    auth_token: str | None = field(default=None, repr=False)
    stateless: bool = False
    state_key: str | None = field(default=None, repr=False)
    shutdown_timeout: float = 10.0
    # A connection's request head, then its body, must arrive within these (slow senders hold sockets).
    http_header_timeout: float = 10.0
    http_body_timeout: float = 30.0
    max_sse_sessions: int = 1000
    # The webhook inbox: on when a secret is set.
    webhook_secret: str | None = field(default=None, repr=False)
    webhook_db: str | None = None
    webhook_max_age: float = DEFAULT_WEBHOOK_MAX_AGE
    webhook_retention_days: float = 30.0
    # set_webhook may point Ninjahire at plain http:// (local testing only).
    webhook_allow_http: bool = False
    sandbox_webhook_url: str | None = None
    # The emulator's initial fault plan (sandbox/faults.py spec), for --sandbox and `ninjahire-mcp sandbox`.
    sandbox_faults: str | None = None
    # How many copies of the default tenant the emulator seeds (about 130 calls each), for tests at size.
    sandbox_scale: int = 1
    # Where files are kept when no path is given (the webhook inbox): the user's data folder, from the
    # environment (XDG_DATA_HOME, HOME, LOCALAPPDATA); None: the home folder's, as the platform has it.
    data_dir: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str], *, platform: str = sys.platform) -> Settings:
        values: dict[str, Any] = {
            setting.field: setting.read(env[setting.env].strip(), setting.env)
            for setting in SETTINGS
            if setting.env is not None and env.get(setting.env, "").strip()
        }
        values["data_dir"] = str(user_data_dir(env, platform=platform))
        return cls(**values)

    def check(self) -> None:
        """Settings that cannot work together or at all, refused before anything starts."""
        if self.transport not in TRANSPORTS:
            raise ConfigError(f"transport must be one of {', '.join(TRANSPORTS)} (or http), got {self.transport!r}.")
        if self.state_key is not None and len(self.state_key.encode()) < 32:
            raise ConfigError(
                "NINJAHIRE_MCP_STATE_KEY must be at least 32 bytes; make one with "
                "python -c 'import secrets; print(secrets.token_hex(32))'."
            )
        if self.stateless and self.transport != "streamable-http":
            raise ConfigError("--stateless applies to the streamable-http transport only.")
        if self.connections_per_key > self.max_connections:
            raise ConfigError(
                f"NINJAHIRE_MAX_CONNECTIONS_PER_KEY ({self.connections_per_key}) cannot exceed "
                f"NINJAHIRE_MAX_CONNECTIONS ({self.max_connections}): lower the first or raise the second."
            )

    @property
    def connections_per_key(self) -> int:
        """The upstream connections one caller's key may hold at once."""
        return self.max_connections_per_key or default_share(self.max_connections)

    @property
    def inbox_enabled(self) -> bool:
        return self.webhook_secret is not None

    def require_credentials(self) -> None:
        """Live mode on stdio needs a key; the sandbox needs none, and over HTTP each request may bring one."""
        if not self.sandbox and not self.api_key and self.transport == "stdio":
            raise ConfigError(
                "No Ninjahire API key. Set NINJAHIRE_API_KEY (in your MCP host's server config, under "
                '"env"), or run with --sandbox to try the server on simulated data.'
            )


def parse_flag(text: str) -> bool:
    return text.lower() in TRUE_WORDS


def parse_names(text: str) -> frozenset[str]:
    """A comma-separated list of names; blanks and spaces ignored."""
    return frozenset(name.strip() for name in text.split(",") if name.strip())


def parse_toolsets(text: str, name: str) -> frozenset[str]:
    names = parse_names(text)
    if not names:
        return DEFAULT_TOOLSETS
    if "all" in names:
        return frozenset(ALL_TOOLSETS)
    unknown = sorted(names - set(ALL_TOOLSETS))
    if unknown:
        raise ConfigError(
            f"{name}: unknown toolset(s) {', '.join(unknown)}; choose from {', '.join(ALL_TOOLSETS)}, all."
        )
    return names


def parse_timeout(text: str, name: str) -> float:
    return parse_seconds(text, name, DEFAULT_TIMEOUT, upper=600)


def parse_seconds(text: str, name: str, default: float, *, upper: float = 86_400) -> float:
    if not text.strip():
        return default
    try:
        value = float(text)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, got {text!r}.") from None
    if not 0 < value <= upper:
        raise ConfigError(f"{name} must be between 0 and {upper:g} seconds, got {text!r}.")
    return value


def parse_count(text: str, name: str) -> int | None:
    if not text.strip():
        return None
    try:
        value = int(text)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {text!r}.") from None
    if value < 0:
        raise ConfigError(f"{name} must be 0 or more, got {text!r}.")
    return value


def user_data_dir(env: Mapping[str, str], *, platform: str = sys.platform) -> Path:
    """`$XDG_DATA_HOME/ninjahire-mcp` (~/.local/share by default) on Linux and the like;
    ~/Library/Application Support on macOS; %LOCALAPPDATA% on Windows."""
    home = Path(env.get("HOME") or Path.home())
    if platform == "darwin":
        base = home / "Library" / "Application Support"
    elif platform.startswith(("win", "cygwin")):
        base = Path(env.get("LOCALAPPDATA") or env.get("APPDATA") or home / "AppData" / "Local")
    else:
        # The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
        xdg = env.get("XDG_DATA_HOME", "")
        base = Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".local" / "share"
    return base / APP_FOLDER


# ---- the declarations ------------------------------------------------------------------------------

Reader = Callable[[str, str], Any]  # (text, where it came from: a variable or a flag) -> the value


def _text(text: str, _name: str) -> str:
    return text


def _switch(text: str, _name: str) -> bool:
    return parse_flag(text)


def _switched_off(text: str, _name: str) -> bool:
    return not parse_flag(text)


def _names_or_none(text: str, _name: str) -> frozenset[str] | None:
    return parse_names(text) or None


def _names(text: str, _name: str) -> frozenset[str]:
    return parse_names(text)


def _sorted_names(text: str, _name: str) -> tuple[str, ...]:
    return tuple(sorted(parse_names(text)))


def _seconds(default: float) -> Reader:
    return lambda text, name: parse_seconds(text, name, default)


def _count(text: str, name: str) -> int | None:
    return parse_count(text, name)


def _connections(text: str, name: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number of connections, got {text!r}.") from None
    if not 1 <= value <= 10_000:
        raise ConfigError(f"{name} must be between 1 and 10000 connections, got {text!r}.")
    return value


def _pages(text: str, name: str) -> int:
    return parse_count(text, name) or DEFAULT_SCAN_PAGES


def _index_pages(text: str, name: str) -> int:
    return parse_count(text, name) or DEFAULT_INDEX_MAX_PAGES


def _log_level(text: str, name: str) -> str:
    level = text.upper()
    if level not in LOG_LEVELS:
        raise ConfigError(f"{name} must be one of {', '.join(LOG_LEVELS)}.")
    return level


def _transport(text: str, name: str) -> str:
    if text not in TRANSPORT_CHOICES:
        raise ConfigError(f"{name} must be one of {', '.join(TRANSPORT_CHOICES)}, got {text!r}.")
    return "streamable-http" if text == "http" else text


def _days(text: str, name: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ConfigError(f"{name} must be a number of days, got {text!r}.") from None
    if not 0 < value <= 36_500:
        raise ConfigError(f"{name} must be between 0 and 36500 days, got {text!r}.")
    return value


def _port(text: str, name: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ConfigError(f"{name} must be a port number, got {text!r}.") from None
    if not 0 <= value <= 65_535:
        raise ConfigError(f"{name} must be a port number (0-65535), got {text!r}.")
    return value


def _positive_seconds(text: str, name: str) -> float:
    return parse_seconds(text, name, 10.0)


def _scale(text: str, name: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0  # refused below, with the same message
    if not 1 <= value <= MAX_SANDBOX_SCALE:
        raise ConfigError(
            f"{name} must be a whole number from 1 to {MAX_SANDBOX_SCALE} (copies of the sandbox's tenant, about "
            f"130 calls each), got {text!r}: e.g. {name}{' ' if name.startswith('-') else '='}100 for about "
            "12,000 calls."
        )
    return value


def _wait_limit(text: str, name: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0  # refused below, with the same message
    if not 1 <= value <= MAX_WAIT_LIMIT:
        raise ConfigError(
            f"{name} must be a number of seconds from 1 to {MAX_WAIT_LIMIT}, got {text!r}: keep it under the "
            f"tool-call limit of your MCP host (about 60 s for Claude Desktop), e.g. {name}={DEFAULT_WAIT_LIMIT:g}."
        )
    return value


def _sessions(text: str, name: str) -> int:
    value = parse_count(text, name)
    if not value:
        raise ConfigError(f"{name} must be a whole number of sessions, 1 or more, got {text!r}.")
    return value


@dataclass(frozen=True)
class Declared:
    """One setting: where it is read from, how, and what `--help` says of it."""

    field: str  # the Settings field it sets
    group: str  # the --help section it is listed under
    help: str  # what it does; the default is added from Settings
    env: str | None = None  # its environment variable, if it has one
    flag: str | None = None  # its command-line flag, if it has one
    read: Reader = _text  # text (of the variable or the flag) -> value
    switch: bool = False  # a flag that takes no value: giving it sets `switched`
    switched: Any = True
    metavar: str | None = None
    choices: tuple[str, ...] | None = None
    spelling: Callable[[str], str] | None = None  # how a flag's text is normalised before `choices` apply

    @property
    def default(self) -> Any:
        return {f.name: f.default for f in fields(Settings)}[self.field]


API, TOOLS, SAFETY, HTTP, INBOX, SANDBOX = "API", "tools", "safety", "serving over HTTP", "webhook inbox", "sandbox"
INDEX = "screening index"

SETTINGS: tuple[Declared, ...] = (
    Declared("api_key", API, "your Ninjahire API key (live mode)", env="NINJAHIRE_API_KEY"),
    Declared("base_url", API, "Ninjahire API base URL", env="NINJAHIRE_BASE_URL", flag="--base-url", metavar="URL"),
    Declared(
        "timeout", API, "seconds per API request (at most 600)", env="NINJAHIRE_TIMEOUT", flag="--timeout",
        read=parse_timeout, metavar="SECONDS",
    ),
    Declared(
        "max_connections", API, "upstream connections open at once, for all callers together",
        env="NINJAHIRE_MAX_CONNECTIONS", read=_connections,
    ),
    Declared(
        "max_connections_per_key", API, "of those, how many the requests of one caller's key "
        "(X-Ninjahire-Api-Key) may hold at once; the rest wait for its own (default: a quarter of "
        "NINJAHIRE_MAX_CONNECTIONS)", env="NINJAHIRE_MAX_CONNECTIONS_PER_KEY", read=_connections,
    ),
    Declared(
        "sandbox", SANDBOX, "serve against the embedded emulator (SANDBOX MODE: fictional data, no key, no calls)",
        env="NINJAHIRE_SANDBOX", flag="--sandbox", read=_switch, switch=True,
    ),
    Declared(
        "log_level", API, "stderr log level", env="NINJAHIRE_LOG_LEVEL", flag="--log-level", read=_log_level,
        choices=LOG_LEVELS, spelling=str.upper,
    ),
    Declared(
        "toolsets", TOOLS, f"comma-separated toolsets to serve: {', '.join(ALL_TOOLSETS)} or all (default: all but "
        "webhooks)", env="NINJAHIRE_TOOLSETS", flag="--toolsets", read=parse_toolsets, metavar="LIST",
    ),
    Declared(
        "tools", TOOLS, "serve exactly these tools", env="NINJAHIRE_TOOLS", flag="--tools", read=_names_or_none,
        metavar="LIST",
    ),
    Declared(
        "exclude_tools", TOOLS, "never serve these tools (always wins)", env="NINJAHIRE_EXCLUDE_TOOLS",
        flag="--exclude-tools", read=_names, metavar="LIST",
    ),
    Declared(
        "read_only", TOOLS, "serve only tools that change nothing (applied last, overrides everything)",
        env="NINJAHIRE_READ_ONLY", flag="--read-only", read=_switch, switch=True,
    ),
    Declared(
        "confirm", SAFETY, "act without previews or a person's confirmation: for automated pipelines only",
        env="NINJAHIRE_NO_CONFIRM", flag="--no-confirm", read=_switched_off, switch=True, switched=False,
    ),
    Declared(
        "confirm_ttl", SAFETY, "seconds a preview's confirm_token stays good", env="NINJAHIRE_CONFIRM_TTL",
        read=_seconds(DEFAULT_CONFIRM_TTL),
    ),
    Declared(
        "max_calls_per_day", SAFETY, "calls instant_call may place per UTC day (default: no budget)",
        env="NINJAHIRE_MAX_CALLS_PER_DAY", read=_count,
    ),
    Declared(
        "redact_pii", SAFETY, "mask phone numbers and email addresses in everything the agent sees",
        env="NINJAHIRE_REDACT_PII", flag="--redact-pii", read=_switch, switch=True,
    ),
    Declared(
        "resume_dir", SAFETY, "the folder resume_path may read resumes from (default: none, resume_path is refused)",
        env="NINJAHIRE_RESUME_DIR",
    ),
    Declared(
        "guard_db", SAFETY, "the guards' SQLite file: calls placed (cool-down, budget) and confirm tokens (default: "
        "guards.sqlite3 in the user's data folder; kept in memory in the sandbox)", env="NINJAHIRE_GUARD_DB",
    ),
    Declared(
        "index", INDEX, "the screening index: a folder (one file per tenant key), memory, or off (default: index/ "
        "in the user's data folder; memory in the sandbox)", env="NINJAHIRE_INDEX",
    ),
    Declared(
        "index_ttl", INDEX, "seconds the index's copy of a job is used before it is read again",
        env="NINJAHIRE_INDEX_TTL", read=_seconds(DEFAULT_INDEX_TTL),
    ),
    Declared(
        "index_retention_days", INDEX, "days a job not read again stays in the index (candidate data); "
        "`index purge` clears sooner", env="NINJAHIRE_INDEX_RETENTION_DAYS", read=_days,
    ),
    Declared(
        "index_max_pages", INDEX, "pages of 100 the index reads of one list at most (a job's calls, the candidates)",
        env="NINJAHIRE_INDEX_MAX_PAGES", read=_index_pages,
    ),
    Declared(
        "scan_pages", TOOLS, "pages of 100 that find_*, rank_applicants and screening_funnel read at most",
        env="NINJAHIRE_SCAN_PAGES", read=_pages,
    ),
    Declared(
        "wait_limit", TOOLS, f"seconds one wait_for_call lasts at most, whatever timeout_s asks (1 to "
        f"{MAX_WAIT_LIMIT}; under your host's tool-call limit, about 60 s for Claude Desktop)",
        env="NINJAHIRE_WAIT_LIMIT", read=_wait_limit,
    ),
    Declared(
        "transport", HTTP, "how to serve MCP: stdio, streamable-http (alias http) or sse", flag="--transport",
        read=_transport, choices=TRANSPORT_CHOICES,
    ),
    Declared("host", HTTP, "address to bind over HTTP", flag="--host", metavar="HOST"),
    Declared("port", HTTP, "port over HTTP", flag="--port", read=_port, metavar="PORT"),
    Declared(
        "allowed_hosts", HTTP, "Host headers to accept besides loopback: host[:port], ':*' for any port",
        flag="--allowed-hosts", read=_sorted_names, metavar="LIST",
    ),
    Declared(
        "allowed_origins", HTTP, "Origins to accept (default: http and https of each allowed host)",
        flag="--allowed-origins", read=_sorted_names, metavar="LIST",
    ),
    Declared(
        "cors_origins", HTTP, "browser origins given CORS answers, e.g. https://app.example.com (default: none, CORS "
        "off); each must also be an allowed origin", env="NINJAHIRE_MCP_CORS_ORIGINS", flag="--cors-origins",
        read=_sorted_names, metavar="LIST",
    ),
    Declared(
        "auth_token", HTTP, "require Authorization: Bearer <token> on the MCP endpoints", env="NINJAHIRE_MCP_TOKEN",
        flag="--auth-token", metavar="TOKEN",
    ),
    Declared(
        "stateless", HTTP, "streamable HTTP without server-side sessions, for replicas behind a load balancer",
        flag="--stateless", read=_switch, switch=True,
    ),
    Declared(
        "state_key", HTTP, "a shared secret (32+ bytes) that lets replicas continue each other's exchanges",
        env="NINJAHIRE_MCP_STATE_KEY",
    ),
    Declared(
        "shutdown_timeout", HTTP, "seconds in-flight calls may take to finish on SIGTERM/SIGINT",
        flag="--shutdown-timeout", read=_positive_seconds, metavar="SECONDS",
    ),
    Declared(
        "http_header_timeout", HTTP, "seconds a connection may take to send a request's line and headers",
        env="NINJAHIRE_HTTP_HEADER_TIMEOUT", read=_seconds(10.0),
    ),
    Declared(
        "http_body_timeout", HTTP, "seconds a request's body may take to arrive once its headers have",
        env="NINJAHIRE_HTTP_BODY_TIMEOUT", read=_seconds(30.0),
    ),
    Declared(
        "max_sse_sessions", HTTP, "SSE sessions open at once (each holds a connection); more get 503",
        env="NINJAHIRE_HTTP_MAX_SSE_SESSIONS", read=_sessions,
    ),
    Declared(
        "webhook_secret", INBOX, "the webhooks' signing secret; setting it turns the inbox on",
        env="NINJAHIRE_WEBHOOK_SECRET",
    ),
    Declared(
        "webhook_db", INBOX, "the inbox's SQLite file (default: webhooks.sqlite3 in the user's data folder)",
        env="NINJAHIRE_WEBHOOK_DB",
    ),
    Declared(
        "webhook_max_age", INBOX, "seconds a delivery's timestamp may differ from now", env="NINJAHIRE_WEBHOOK_MAX_AGE",
        read=_seconds(DEFAULT_WEBHOOK_MAX_AGE),
    ),
    Declared(
        "webhook_retention_days", INBOX, "days the inbox keeps an event (candidate data); `inbox purge` clears sooner",
        env="NINJAHIRE_WEBHOOK_RETENTION_DAYS", read=_days,
    ),
    Declared(
        "webhook_allow_http", SAFETY, "let set_webhook send candidate data to a plain http:// URL (local testing only)",
        env="NINJAHIRE_WEBHOOK_ALLOW_HTTP", read=_switch,
    ),
    Declared(
        "sandbox_webhook_url", SANDBOX, "where the emulator posts its signed call endings",
        env="NINJAHIRE_SANDBOX_WEBHOOK_URL",
    ),
    Declared(
        "sandbox_faults", SANDBOX, "the emulator's fault plan, e.g. '503 GET /v1/jobs times=2' (README)",
        env="NINJAHIRE_SANDBOX_FAULTS",
    ),
    Declared(
        "sandbox_scale", SANDBOX, "seed the emulator with N copies of its tenant (about 130 calls each, N up to "
        "1000): a tenant of real size", env="NINJAHIRE_SANDBOX_SCALE", flag="--scale", read=_scale, metavar="N",
    ),
)  # fmt: skip

# Settings no variable or flag sets directly: derived from the environment (see `Settings.from_env`).
DERIVED = frozenset({"data_dir"})
