"""Where each tenant's screening index is kept: one file per tenant key, named by a hash of the key (never
the key), in the index folder; or in memory; or nowhere (the index off).

One tenant's key never opens another's file, with per-request keys over HTTP too: the file is chosen by
the key the request brought. Open indexes are kept for reuse, a bounded number of them.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Settings
from ..private_files import MEMORY
from ._store import ScreeningIndex

OFF, IN_MEMORY = "off", "memory"
FOLDER = "index"  # in the user's data folder, beside the inbox and the guards' file
SUFFIX = ".sqlite3"
KEPT_OPEN = 32  # tenants whose index stays open at once; the least recently used is closed first


def tenant_name(key: str | None) -> str:
    """The tenant's file name stem: a hash of its key ("" for the server's own key, in the sandbox)."""
    return hashlib.sha256((key or "").encode()).hexdigest()[:24]


@dataclass
class IndexShelf:
    """The open indexes, one per tenant key; `folder` None keeps them in memory."""

    folder: Path | None
    enabled: bool = True
    _open: OrderedDict[str, ScreeningIndex] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def for_settings(cls, settings: Settings) -> IndexShelf:
        choice = (settings.index or "").strip()
        if choice.lower() == OFF:
            return cls(None, enabled=False)
        if choice.lower() == IN_MEMORY or (not choice and (settings.sandbox or not settings.data_dir)):
            # The sandbox's tenant lives and dies with its process: so does its index.
            return cls(None)
        return cls(Path(choice).expanduser() if choice else Path(str(settings.data_dir)) / FOLDER)

    def for_key(self, key: str | None) -> ScreeningIndex:
        name = tenant_name(key)
        with self._lock:
            index = self._open.get(name)
            if index is None:
                path = MEMORY if self.folder is None else str(self.folder / f"{name}{SUFFIX}")
                index = self._open[name] = ScreeningIndex(path)
                # In memory, closing would forget: only files are closed to stay within the bound.
                while self.folder is not None and len(self._open) > KEPT_OPEN:
                    _name, oldest = self._open.popitem(last=False)
                    oldest.close()
            self._open.move_to_end(name)
            return index

    def opened(self) -> list[ScreeningIndex]:
        """The indexes open now; with files, every tenant's whose file is in the folder."""
        with self._lock:
            opened = list(self._open.values())
        if self.folder is None:
            return opened
        return [*opened, *(self.open_file(file) for file in self.files() if file.stem not in self._open)]

    def files(self) -> list[Path]:
        """Every tenant's index file in the folder (for `index status` and `index purge --all`)."""
        if self.folder is None or not self.folder.is_dir():
            return []
        return sorted(self.folder.glob(f"*{SUFFIX}"))

    def open_file(self, file: Path) -> ScreeningIndex:
        with self._lock:
            index = self._open.get(file.stem)
            if index is None:
                index = self._open[file.stem] = ScreeningIndex(str(file))
            return index

    def close(self) -> None:
        with self._lock:
            for index in self._open.values():
                index.close()
            self._open.clear()
