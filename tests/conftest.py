"""Shared fixtures: a recording mock of the Ninjahire API, and servers built around any transport."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from ninjahire_mcp.client import NinjahireClient, RetryPolicy
from ninjahire_mcp.config import ALL_TOOLSETS, Settings
from ninjahire_mcp.inbox import Inbox
from ninjahire_mcp.server import build_server
from ninjahire_mcp.toolkit import Timing

from .support.api import API_KEY, INSTANT_RETRY, RecordingAPI, no_sleep
from .support.clock import Clock
from .support.webhooks import NOW, make_inbox

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def own_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's own user data folder, for itself and the processes it starts: nothing is written to the
    real home, and one test's call ledger or inbox never refuses another's call."""
    folder = tmp_path / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    return folder


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package's wheel, built once per test session by whichever test needs it first."""
    folder = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--quiet", "-w", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    (built,) = folder.glob("ninjahire_mcp-*.whl")
    return built


@pytest.fixture
def api() -> RecordingAPI:
    return RecordingAPI()


@pytest.fixture
def client(api: RecordingAPI) -> NinjahireClient:
    return NinjahireClient(
        api_key=API_KEY,
        base_url="https://api.ninjahire.test",
        transport=api.transport,
        retry=RetryPolicy(jitter=lambda: 0.0),
        sleep=no_sleep,
    )


@pytest.fixture
def server_for(api: RecordingAPI) -> Callable[..., Any]:
    """A server whose API is the recording mock (retries without waiting)."""

    def make(*, timing: Timing | None = None, **settings: Any) -> Any:
        settings = {"toolsets": frozenset(ALL_TOOLSETS), **settings}
        return build_server(
            Settings(api_key=API_KEY, base_url="https://api.ninjahire.test", **settings),
            transport=api.transport,
            retry=INSTANT_RETRY,
            timing=timing,
        )

    return make


@pytest.fixture
def sandbox_server() -> Any:
    return build_server(Settings(sandbox=True))


@pytest.fixture
def clock() -> Clock:
    """The webhook inbox's clock, fixed until a test moves it."""
    return Clock(NOW)


@pytest.fixture
async def inbox(tmp_path: Path, clock: Clock) -> AsyncIterator[Inbox]:
    """A webhook inbox on a temporary SQLite file."""
    inbox = make_inbox(tmp_path / "events.sqlite3", clock=clock)
    yield inbox
    await inbox.close()
