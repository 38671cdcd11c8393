"""Configuration, read in one place from the environment and the command line."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .defaults import DEFAULT_BASE_URL, DEFAULT_TIMEOUT

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
ALL_TOOLSETS = ("jobs", "candidates", "applications", "questions", "calls", "webhooks")
# Webhooks are tenant administration: where candidate data is sent. Opt in with --toolsets.
DEFAULT_TOOLSETS = frozenset(ALL_TOOLSETS) - {"webhooks"}
DEFAULT_CONFIRM_TTL = 300.0
DEFAULT_SCAN_PAGES = 20  # of 100 records each
TRANSPORTS = ("stdio", "streamable-http", "sse")
DEFAULT_WEBHOOK_MAX_AGE = 300.0


class ConfigError(ValueError):
    """A setting that cannot be used; the message names it and how to fix it."""


@dataclass(frozen=True)
class Settings:
    api_key: str | None = field(default=None, repr=False)
    base_url: str = DEFAULT_BASE_URL
    timeout: float = DEFAULT_TIMEOUT
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
    # How far the tools that read a whole list (find_*, rank_applicants, screening_funnel) may go.
    scan_pages: int = DEFAULT_SCAN_PAGES
    # Serving over the network: transport, where, who may call, and how replicas agree.
    transport: str = "stdio"
    host: str = "127.0.0.1"
    port: int = 8000
    allowed_hosts: tuple[str, ...] = ()
    allowed_origins: tuple[str, ...] = ()
    auth_token: str | None = field(default=None, repr=False)
    stateless: bool = False
    state_key: str | None = field(default=None, repr=False)
    shutdown_timeout: float = 10.0
    # The webhook inbox: on when a secret is set.
    webhook_secret: str | None = field(default=None, repr=False)
    webhook_db: str | None = None
    webhook_max_age: float = DEFAULT_WEBHOOK_MAX_AGE
    sandbox_webhook_url: str | None = None
    # The emulator's initial fault plan (sandbox/faults.py spec), for --sandbox and `ninjahire-mcp sandbox`.
    sandbox_faults: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        def text(name: str) -> str:
            return env.get(name, "").strip()

        return cls(
            api_key=text("NINJAHIRE_API_KEY") or None,
            base_url=text("NINJAHIRE_BASE_URL") or DEFAULT_BASE_URL,
            timeout=parse_timeout(text("NINJAHIRE_TIMEOUT"), "NINJAHIRE_TIMEOUT"),
            sandbox=parse_flag(text("NINJAHIRE_SANDBOX")),
            log_level=(text("NINJAHIRE_LOG_LEVEL") or "WARNING").upper(),
            toolsets=parse_toolsets(text("NINJAHIRE_TOOLSETS"), "NINJAHIRE_TOOLSETS"),
            tools=parse_names(text("NINJAHIRE_TOOLS")) or None,
            exclude_tools=parse_names(text("NINJAHIRE_EXCLUDE_TOOLS")),
            read_only=parse_flag(text("NINJAHIRE_READ_ONLY")),
            confirm=not parse_flag(text("NINJAHIRE_NO_CONFIRM")),
            confirm_ttl=parse_seconds(text("NINJAHIRE_CONFIRM_TTL"), "NINJAHIRE_CONFIRM_TTL", DEFAULT_CONFIRM_TTL),
            max_calls_per_day=parse_count(text("NINJAHIRE_MAX_CALLS_PER_DAY"), "NINJAHIRE_MAX_CALLS_PER_DAY"),
            redact_pii=parse_flag(text("NINJAHIRE_REDACT_PII")),
            resume_dir=text("NINJAHIRE_RESUME_DIR") or None,
            scan_pages=parse_count(text("NINJAHIRE_SCAN_PAGES"), "NINJAHIRE_SCAN_PAGES") or DEFAULT_SCAN_PAGES,
            auth_token=text("NINJAHIRE_MCP_TOKEN") or None,
            state_key=text("NINJAHIRE_MCP_STATE_KEY") or None,
            webhook_secret=text("NINJAHIRE_WEBHOOK_SECRET") or None,
            webhook_db=text("NINJAHIRE_WEBHOOK_DB") or None,
            webhook_max_age=parse_seconds(
                text("NINJAHIRE_WEBHOOK_MAX_AGE"), "NINJAHIRE_WEBHOOK_MAX_AGE", DEFAULT_WEBHOOK_MAX_AGE
            ),
            sandbox_webhook_url=text("NINJAHIRE_SANDBOX_WEBHOOK_URL") or None,
            sandbox_faults=text("NINJAHIRE_SANDBOX_FAULTS") or None,
        )

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
