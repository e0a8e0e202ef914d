"""`cockpit` (the TUI) on a workspace whose database cannot be read: the user is told why and
what to do, and the process ends with status 1 (it used to paint an empty list and never exit)."""

from __future__ import annotations

import sqlite3

from core import open_core
from tests.support.core_state import setup_workspace
from tests.support.terminal import Terminal, cockpit


async def test_the_cockpit_on_a_damaged_workspace_says_so_and_exits_1(tmp_path):
    data_dir = tmp_path / "ws"
    async with open_core(data_dir) as core:
        await setup_workspace(core)
    conn = sqlite3.connect(data_dir / "cockpit.db")
    conn.execute("DROP TABLE event_log")  # the schema version still says latest
    conn.commit()
    conn.close()
    with Terminal(cockpit("--data-dir", str(data_dir)), env={"HOME": str(tmp_path)}) as term:
        assert term.wait_exit() == 1  # a process that never exits fails on the timeout
        out = " ".join(term.raw.decode(errors="replace").split())
    assert f"the database in {data_dir} cannot be read (no such table: event_log)" in out
    assert "cockpit restore --from REGION" in out
    assert "Traceback" not in out
