"""Where the inbox keeps its events when NINJAHIRE_WEBHOOK_DB does not say: the user's data folder."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

APP_FOLDER = "ninjahire-mcp"
DB_NAME = "webhooks.sqlite3"


def default_db_path(env: Mapping[str, str] = os.environ, *, platform: str = sys.platform) -> Path:
    """`$XDG_DATA_HOME/ninjahire-mcp/webhooks.sqlite3` (~/.local/share by default) on Linux and the
    like; ~/Library/Application Support on macOS; %LOCALAPPDATA% on Windows."""
    home = Path(env.get("HOME") or Path.home())
    if platform == "darwin":
        base = home / "Library" / "Application Support"
    elif platform.startswith(("win", "cygwin")):
        base = Path(env.get("LOCALAPPDATA") or env.get("APPDATA") or home / "AppData" / "Local")
    else:
        # The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
        xdg = env.get("XDG_DATA_HOME", "")
        base = Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".local" / "share"
    return base / APP_FOLDER / DB_NAME
