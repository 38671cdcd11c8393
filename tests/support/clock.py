"""A clock moved by hand: the emulator's, the inbox's or the server's, for tests that must not wait."""

from __future__ import annotations


class Clock:
    """Reads `now`; a test moves it (`clock.now += 60`) when it says time has passed."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now
