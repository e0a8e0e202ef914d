"""The cockpit leaves when its terminal goes away without a SIGHUP (the other side of its
pseudo-terminal closes and the cockpit is not the terminal's controlling process, as here:
the Terminal starts it in a session of its own): reads then only say end of file, which
Textual's input thread took for piped input, selecting again, ready at once, forever, a CPU
core spent until someone killed it. It now leaves as on a hang-up: cleanly, removing the demo
workspace."""

from __future__ import annotations

import os
import signal
import subprocess

from tests.support.terminal import Terminal, cockpit

TILE = "Checkout payments failing for EU cards"


def test_the_cockpit_leaves_when_its_terminal_reaches_end_of_file(tmp_path):
    term = Terminal(cockpit("demo"), env={"TMPDIR": str(tmp_path)})
    try:
        term.wait_for(lambda shown: TILE in shown, timeout=60)
        assert [p.name[:12] for p in tmp_path.iterdir()] == ["cockpit-demo"]
        os.close(term.master)  # the terminal is gone; no signal is sent
        try:
            code = term.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            raise AssertionError("the cockpit kept running after its terminal closed") from None
    finally:
        if term.process.poll() is None:
            os.killpg(term.process.pid, signal.SIGKILL)
            term.process.wait()
    assert code == 0
    assert list(tmp_path.iterdir()) == []  # left through the app's own exit: the demo cleaned up
