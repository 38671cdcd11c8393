"""Every setting is declared once (config.SETTINGS), and the environment, the flags and --help all
follow from that one entry."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from ninjahire_mcp.cli import build_parser, settings_from
from ninjahire_mcp.config import DERIVED, SETTINGS, ConfigError, Declared, Settings

# A valid value for each setting's text, and the value it must become.
SAMPLES: dict[str, tuple[str, Any]] = {
    "api_key": ("nh_live_1", "nh_live_1"),
    "base_url": ("https://api.example.test", "https://api.example.test"),
    "timeout": ("12.5", 12.5),
    "max_connections": ("40", 40),
    "max_connections_per_key": ("10", 10),
    "sandbox": ("1", True),
    "log_level": ("debug", "DEBUG"),
    "toolsets": ("jobs,calls", frozenset({"jobs", "calls"})),
    "tools": ("get_jobs, get_job", frozenset({"get_jobs", "get_job"})),
    "exclude_tools": ("instant_call", frozenset({"instant_call"})),
    "read_only": ("yes", True),
    "confirm": ("true", False),  # NINJAHIRE_NO_CONFIRM / --no-confirm
    "confirm_ttl": ("60", 60.0),
    "max_calls_per_day": ("3", 3),
    "redact_pii": ("on", True),
    "resume_dir": ("/srv/resumes", "/srv/resumes"),
    "guard_db": ("/var/lib/ninjahire/guards.sqlite3", "/var/lib/ninjahire/guards.sqlite3"),
    "scan_pages": ("5", 5),
    "wait_limit": ("30", 30.0),
    "index": ("/var/lib/ninjahire/index", "/var/lib/ninjahire/index"),
    "index_ttl": ("60", 60.0),
    "index_retention_days": ("7", 7.0),
    "index_max_pages": ("50", 50),
    "transport": ("http", "streamable-http"),
    "host": ("0.0.0.0", "0.0.0.0"),
    "port": ("9000", 9000),
    "allowed_hosts": ("mcp.example.com,a.example.com", ("a.example.com", "mcp.example.com")),
    "allowed_origins": ("https://app.example.com", ("https://app.example.com",)),
    "cors_origins": ("https://app.example.com", ("https://app.example.com",)),
    "auth_token": ("tok", "tok"),
    "stateless": ("1", True),
    "state_key": ("k" * 32, "k" * 32),
    "shutdown_timeout": ("3", 3.0),
    "http_header_timeout": ("5", 5.0),
    "http_body_timeout": ("20", 20.0),
    "max_sse_sessions": ("50", 50),
    "webhook_secret": ("whsec", "whsec"),
    "webhook_db": ("/var/lib/ninjahire/events.sqlite3", "/var/lib/ninjahire/events.sqlite3"),
    "webhook_max_age": ("120", 120.0),
    "webhook_allow_http": ("1", True),
    "webhook_retention_days": ("7", 7.0),
    "sandbox_webhook_url": ("http://127.0.0.1:9/hook", "http://127.0.0.1:9/hook"),
    "sandbox_faults": ("503 GET /v1/jobs", "503 GET /v1/jobs"),
    "sandbox_scale": ("20", 20),
}
# Another valid text, for the variables whose flag is tested over them.
OTHER = {"timeout": "7", "log_level": "ERROR", "toolsets": "jobs", "tools": "get_job", "exclude_tools": "get_job"}
OTHER["sandbox_scale"] = "5"  # a scale is a number too
WITH_ENV = [setting for setting in SETTINGS if setting.env]
WITH_FLAG = [setting for setting in SETTINGS if setting.flag]


def test_every_field_is_declared_once_or_derived() -> None:
    declared = [setting.field for setting in SETTINGS]
    assert len(declared) == len(set(declared))
    assert set(declared) | DERIVED == {field.name for field in dataclasses.fields(Settings)}
    assert set(SAMPLES) == set(declared)  # a new setting gets a sample below


def test_help_documents_every_variable_and_every_flag() -> None:
    shown = build_parser().format_help()
    missing = [setting.env for setting in WITH_ENV if setting.env not in shown]
    missing += [setting.flag for setting in WITH_FLAG if setting.flag not in shown]
    assert not missing


@pytest.mark.parametrize("setting", WITH_ENV, ids=lambda setting: setting.env)
def test_each_variable_sets_its_field(setting: Declared) -> None:
    text, expected = SAMPLES[setting.field]
    assert getattr(Settings.from_env({str(setting.env): text}), setting.field) == expected


@pytest.mark.parametrize("setting", WITH_FLAG, ids=lambda setting: setting.flag)
def test_each_flag_sets_its_field_over_the_environment(setting: Declared) -> None:
    text, expected = SAMPLES[setting.field]
    argv = [str(setting.flag)] if setting.switch else [str(setting.flag), text]
    if setting.field == "stateless":
        argv += ["--transport", "http"]  # stateless needs streamable HTTP
    # The environment says something else valid (a switch's variable stays unset: its flag can only say yes).
    env = (
        {str(setting.env): OTHER.get(setting.field, "from-the-environment")}
        if setting.env and not setting.switch
        else {}
    )
    assert getattr(settings_from(build_parser().parse_args(argv), env), setting.field) == expected


def test_a_flag_before_the_command_is_kept() -> None:
    settings = settings_from(build_parser().parse_args(["--read-only", "tools"]), {})
    assert settings.read_only


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"NINJAHIRE_TIMEOUT": "soon"}, "NINJAHIRE_TIMEOUT must be a number of seconds, got 'soon'."),
        ({"NINJAHIRE_CONFIRM_TTL": "-1"}, "NINJAHIRE_CONFIRM_TTL must be between 0 and 86400 seconds"),
        ({"NINJAHIRE_MAX_CALLS_PER_DAY": "many"}, "NINJAHIRE_MAX_CALLS_PER_DAY must be a whole number"),
        ({"NINJAHIRE_LOG_LEVEL": "loud"}, "NINJAHIRE_LOG_LEVEL must be one of DEBUG"),
        ({"NINJAHIRE_TOOLSETS": "payroll"}, "NINJAHIRE_TOOLSETS: unknown toolset(s) payroll"),
    ],
)
def test_a_bad_value_names_its_variable(env: dict[str, str], says: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env(env)
    assert says in str(caught.value)


def test_a_bad_flag_value_names_its_flag() -> None:
    with pytest.raises(ConfigError) as caught:
        settings_from(build_parser().parse_args(["--timeout", "soon"]), {})
    assert "--timeout must be a number of seconds" in str(caught.value)
