"""Resumes attached from the user's resume folder (what the agent reads back hides them: views/).

This is the one place a tool reads a local file, so it reads only regular files inside the folder
the user chose (NINJAHIRE_RESUME_DIR): no `..`, no absolute path elsewhere, no symlink leading out.
"""

from __future__ import annotations

import base64
import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import anyio
from mcp.server.mcpserver import Context, Resolve
from pydantic import Field

from ..toolkit import InputError, server_state

EXTENSIONS = (".pdf", ".doc", ".docx", ".txt")
MAX_BYTES = 10 * 1024 * 1024
MEGABYTE = 1024 * 1024

# Each tool adds its own description: which of its resume fields this stands in for.
ResumePath = Annotated[str, Field(min_length=1)]


@dataclass(frozen=True)
class ResumeFolder:
    """The user's resume folder (NINJAHIRE_RESUME_DIR), or None when none is configured."""

    folder: str | None

    async def read(self, resume_path: str, *, instead: str) -> str:
        """The file's bytes as base64, ready for the request body. `instead` names the tool's other resume fields."""
        if not self.folder:
            raise InputError(
                "resume_path cannot be used: no resume folder is configured. The user must set "
                "NINJAHIRE_RESUME_DIR in the server's environment and restart it; until then give the resume "
                f"as {instead}."
            )
        # Reading up to 10 MB (and resolving paths on a network drive) must not stall the event loop.
        return await anyio.to_thread.run_sync(_read_base64, self.folder, resume_path)


async def resume_folder(ctx: Context) -> ResumeFolder:
    return ResumeFolder(server_state(ctx).settings.resume_dir)


Resumes = Annotated[ResumeFolder, Resolve(resume_folder)]


def only_one_resume(**ways: str | None) -> None:
    given = [name for name, value in ways.items() if value is not None]
    if len(given) > 1:
        raise InputError(f"give the resume as {' or as '.join(given)}, not {'both' if len(given) == 2 else 'several'}.")


def _read_base64(folder: str, given: str) -> str:
    return base64.b64encode(_read(folder, given)).decode("ascii")


def _read(folder: str, given: str) -> bytes:
    root = _folder(folder)
    try:
        target = (root / given).resolve()  # absolute `given` replaces root; symlinks and `..` are followed
    except (OSError, ValueError, RuntimeError):
        raise InputError(f"resume_path {given!r} is not a usable file path.") from None
    if not target.is_relative_to(root):
        # Checked before the file is looked at, so nothing outside the folder is even probed.
        raise InputError(
            f"resume_path {given!r} is outside the resume folder ({root}); only files inside it can be "
            "attached. Give a path relative to that folder."
        )
    if target.suffix.lower() not in EXTENSIONS:
        raise InputError(
            f"resume_path {given!r} must be a {', '.join(EXTENSIONS[:-1])} or {EXTENSIONS[-1]} file "
            f"(got {target.suffix or 'no extension'})."
        )
    try:
        # The resolved path holds no link, so one met on the way was swapped in since resolve(): each step
        # is opened without following links, from the directory opened before it, so nothing can lead the
        # read out of the folder between the check above and the read. O_NONBLOCK: a FIFO does not block.
        fd = _open_without_links(target)
        try:
            _check_file(given, os.fstat(fd))
        except InputError:
            os.close(fd)
            raise
        with os.fdopen(fd, "rb") as file:
            content = file.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError(
            f"resume_path {given!r}: no such file in the resume folder ({root}). Check the name with the user."
        ) from None
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            raise InputError(
                f"resume_path {given!r} changed while it was being read (a link appeared on its way); nothing was "
                "sent. Try again once the resume folder is left alone."
            ) from None
        raise InputError(f"resume_path {given!r} could not be read: {exc.strerror or exc}.") from None
    _check_size(given, len(content))  # the file may have grown since it was measured
    return content


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


def _open_without_links(target: Path) -> int:
    """A read-only descriptor of `target` (a resolved path), opened step by step from the root, no link followed."""
    if os.open not in os.supports_dir_fd or not _NOFOLLOW:  # Windows: no dir_fd; resolve() is all there is
        return os.open(target, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    *folders, name = target.parts[1:]
    current = os.open(target.anchor, os.O_RDONLY | _DIRECTORY)
    try:
        for part in folders:
            step = os.open(part, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=current)
            os.close(current)
            current = step
        return os.open(name, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0), dir_fd=current)
    finally:
        os.close(current)


def _folder(folder: str) -> Path:
    try:
        root = Path(folder).expanduser().resolve(strict=True)
    except (OSError, RuntimeError):
        root = None
    if root is None or not root.is_dir():
        raise InputError(
            f"the resume folder NINJAHIRE_RESUME_DIR ({folder}) is not an existing directory; the user must "
            "correct the setting and restart the server."
        )
    return root


def _check_file(given: str, status: os.stat_result) -> None:
    if not stat.S_ISREG(status.st_mode):
        raise InputError(f"resume_path {given!r} is not a regular file.")
    _check_size(given, status.st_size)


def _check_size(given: str, size: int) -> None:
    if size > MAX_BYTES:
        raise InputError(
            f"resume_path {given!r} is {size / MEGABYTE:.1f} MB; resumes may be at most {MAX_BYTES // MEGABYTE} MB."
        )
    if size == 0:
        raise InputError(f"resume_path {given!r} is an empty file.")
