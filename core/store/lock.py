"""One core process per data directory: an OS lock on DATA_DIR/cockpit.lock.

``flock`` locks belong to the open file, so the OS releases them when the process exits,
however it exits (a crash or ``kill -9`` leaves no stale lock behind). Two opens in one process
conflict as well, which keeps a test from quietly running two cores on one file.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from core.errors import StoreError

LOCK_FILENAME = "cockpit.lock"


class DataDirLock:
    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / LOCK_FILENAME
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise StoreError(
                f"the data directory {self.path.parent} is in use by another core process "
                f"(pid {holder}): one core runs per data directory. Use `cockpit attach URL` "
                "to open the cockpit on a running `cockpit serve`, or `cockpit call --endpoint "
                "URL` to run an operation through it"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the file drops the lock
            self._fd = None
