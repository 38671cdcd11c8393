"""Configuration, read in one place from the environment and the command line."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .defaults import DEFAULT_BASE_URL, DEFAULT_TIMEOUT

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})


class ConfigError(ValueError):
    """A setting that cannot be used; the message names it and how to fix it."""


@dataclass(frozen=True)
class Settings:
    api_key: str | None = field(default=None, repr=False)
    base_url: str = DEFAULT_BASE_URL
    timeout: float = DEFAULT_TIMEOUT
    sandbox: bool = False
    log_level: str = "WARNING"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        return cls(
            api_key=env.get("NINJAHIRE_API_KEY", "").strip() or None,
            base_url=env.get("NINJAHIRE_BASE_URL", "").strip() or DEFAULT_BASE_URL,
            timeout=parse_timeout(env.get("NINJAHIRE_TIMEOUT", ""), "NINJAHIRE_TIMEOUT"),
            sandbox=env.get("NINJAHIRE_SANDBOX", "").strip().lower() in TRUE_WORDS,
            log_level=(env.get("NINJAHIRE_LOG_LEVEL", "").strip() or "WARNING").upper(),
        )

    def require_credentials(self) -> None:
        """Live mode needs a key; the sandbox needs none."""
        if not self.sandbox and not self.api_key:
            raise ConfigError(
                "No Ninjahire API key. Set NINJAHIRE_API_KEY (in your MCP host's server config, under "
                '"env"), or run with --sandbox to try the server on simulated data.'
            )


def parse_timeout(text: str, name: str) -> float:
    if not text.strip():
        return DEFAULT_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, got {text!r}.") from None
    if not 0 < value <= 600:
        raise ConfigError(f"{name} must be between 0 and 600 seconds, got {text!r}.")
    return value
