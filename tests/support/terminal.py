"""A real process in a pseudo-terminal, read through a terminal emulator (pyte).

What a person at a terminal sees is what ``display`` holds: the tests and benchmarks that use
this drive ``cockpit`` as a user does, keys going in through the terminal driver.

The emulator answers Textual's query for synchronized output (DEC mode 2026), as modern
terminals do, so each frame arrives between ``ESC[?2026h`` and ``ESC[?2026l``: ``frames``
counts the frames seen, and the waits look at the screen only when a frame is complete.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pyte

ROOT = Path(__file__).resolve().parents[2]


def cockpit(*args: str) -> list[str]:
    """The command line that runs this tree's ``cockpit`` with ``args``."""
    return [sys.executable, "-m", "cockpit", *args]


SYNC_QUERY, SYNC_REPLY, FRAME_END = b"\x1b[?2026$p", b"\x1b[?2026;2$y", b"\x1b[?2026l"
KEYS = {"enter": b"\r", "escape": b"\x1b", "tab": b"\t", "ctrl+q": b"\x11", "down": b"\x1b[B", "up": b"\x1b[A"}


class Terminal:
    """``argv`` running on the slave side of a pty of ``columns`` x ``lines``."""

    def __init__(self, argv: Sequence[str], columns: int = 80, lines: int = 24,
                 env: dict[str, str] | None = None, cwd: Path = ROOT) -> None:
        self.screen = pyte.Screen(columns, lines)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.frames = 0
        self.frame_at = 0.0
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            list(argv), stdin=slave, stdout=slave, stderr=slave, start_new_session=True, close_fds=True, cwd=cwd,
            env={**os.environ, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(lines), **(env or {})},
        )
        os.close(slave)
        self.master = master

    @property
    def display(self) -> str:
        return "\n".join(self.screen.display)

    def cells(self) -> tuple:
        """What the screen shows, characters and their colours and attributes."""
        return tuple(tuple(line[x] for x in range(self.screen.columns)) for line in
                     (self.screen.buffer[y] for y in range(self.screen.lines)))

    def read(self, timeout: float) -> bool:
        """Feed whatever the process writes within ``timeout`` seconds; False at end of output."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # EIO: the slave side closed (the process ended)
            return False
        if not chunk:
            return False
        arrived = time.perf_counter()  # before the emulator parses it: pyte takes ~15 ms a frame
        tail = len(self.raw) - len(FRAME_END) + 1
        self.raw += chunk
        self.stream.feed(chunk)
        recent = bytes(self.raw[max(0, tail):])
        if SYNC_QUERY in recent:
            os.write(self.master, SYNC_REPLY)
        if FRAME_END in recent:
            self.frames += recent.count(FRAME_END)
            self.frame_at = arrived
        return True

    def wait_frame(self, seen: Callable[[], bool], timeout: float = 30.0) -> float:
        """Read until a frame has been completed after which ``seen()`` holds; returns the
        ``perf_counter`` time at which that frame's last bytes were read from the terminal
        (before this emulator parsed them: pyte, in Python, takes ~15 ms for a full 120x40
        frame, which a terminal does in well under a millisecond)."""
        end = time.perf_counter() + timeout
        checked = self.frames
        while True:
            if self.frames != checked:
                checked = self.frames
                if seen():
                    return self.frame_at
            left = end - time.perf_counter()
            if left <= 0 or not self.read(min(left, 0.5)):
                raise AssertionError(f"no frame showed what was awaited; the terminal shows:\n{self.display}")

    def wait_for(self, seen: Callable[[str], bool], timeout: float = 30.0) -> float:
        """Read until ``seen(display)`` holds; returns the time since start, in seconds."""
        end = time.perf_counter() + timeout
        while not seen(self.display):
            left = end - time.perf_counter()
            if left <= 0 or not self.read(min(left, 0.5)) and not seen(self.display):
                raise AssertionError(f"the terminal never showed what was awaited; it shows:\n{self.display}")
        return time.perf_counter() - self.started

    def press(self, key: str) -> None:
        os.write(self.master, KEYS.get(key, key.encode()))

    def wait_exit(self, timeout: float = 30.0) -> int:
        """Drain the output until the process ends; returns its exit status."""
        end = time.perf_counter() + timeout
        while self.read(0.2) and time.perf_counter() < end:
            pass
        return self.process.wait(timeout=max(0.1, end - time.perf_counter()))

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)
        os.close(self.master)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
