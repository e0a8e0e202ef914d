"""The terminal driver: Textual's, and it notices when its terminal goes away without a SIGHUP.

A pseudo-terminal whose other side closes (a terminal emulator killed, an SSH session whose
server side ends while the cockpit is not the terminal's controlling process) sends no signal:
reads of it return end of file, which Textual's input thread takes for piped input and selects
again, ready at once, forever (a CPU core spent until someone kills the process). The terminal
reports that end as a hang-up (POLLHUP); a thread waits for it, costing nothing until then, and
raises the SIGHUP the terminal did not send, so the cockpit leaves as it does on a hang-up.
"""

from __future__ import annotations

import os
import select
import signal
import sys
import threading

from textual.driver import Driver


def with_hang_up(driver_class: type[Driver]) -> type[Driver]:
    """``driver_class`` (Textual's choice for this platform), or the one that also leaves when
    the terminal reaches its end, where that choice is Textual's POSIX driver."""
    if sys.platform == "win32":
        return driver_class
    from textual.drivers.linux_driver import LinuxDriver

    if driver_class is not LinuxDriver:
        return driver_class

    class HangUpDriver(LinuxDriver):
        _stop_watching: int | None = None

        def start_application_mode(self) -> None:
            super().start_application_mode()
            stop_read, self._stop_watching = os.pipe()
            threading.Thread(target=self._watch_terminal, args=(stop_read,), name="terminal-hang-up",
                             daemon=True).start()

        def stop_application_mode(self) -> None:
            if self._stop_watching is not None:
                os.close(self._stop_watching)  # the watching thread wakes at this end of its pipe
                self._stop_watching = None
            super().stop_application_mode()

        def _watch_terminal(self, stop_read: int) -> None:
            poller = select.poll()
            poller.register(self.fileno, 0)  # poll reports a hang-up (or error) unasked
            poller.register(stop_read, select.POLLIN)
            try:
                ready = dict(poller.poll())
            finally:
                os.close(stop_read)
            if ready.get(self.fileno, 0) & (select.POLLHUP | select.POLLERR):
                os.kill(os.getpid(), signal.SIGHUP)

    return HangUpDriver
