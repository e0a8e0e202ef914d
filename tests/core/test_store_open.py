"""Opening a data directory: migrations, a newer schema refused, damage reported clearly."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import aiosqlite
import pytest

from core import open_core
from core.errors import StoreError
from core.store.lock import DataDirLock
from core.store.migrations import LATEST_VERSION
from tests.support.core_state import setup_workspace

ROOT = Path(__file__).resolve().parents[2]


async def test_a_new_workspace_is_at_the_latest_schema(data_dir):
    async with open_core(data_dir):
        pass
    conn = sqlite3.connect(data_dir / "cockpit.db")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


async def test_reopening_keeps_the_data_and_the_account(data_dir, clock):
    async with open_core(data_dir, clock=clock) as core:
        plan = await setup_workspace(core)
        account = core.account_id
        arn = (await core.client().call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
    async with open_core(data_dir, clock=clock) as core:
        assert core.account_id == account
        assert (await core.client().call("GetIncidentRecord", {"arn": arn}))["incidentRecord"]["arn"] == arn


async def test_a_newer_database_is_refused(data_dir):
    async with open_core(data_dir):
        pass
    conn = sqlite3.connect(data_dir / "cockpit.db")
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 7}")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError) as info:
        async with open_core(data_dir):
            pass
    message = str(info.value)
    assert f"schema version {LATEST_VERSION + 7}" in message
    assert "newer" in message and f"up to {LATEST_VERSION}" in message
    # refused without touching it
    conn = sqlite3.connect(data_dir / "cockpit.db")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION + 7
    conn.close()


async def test_a_file_that_is_not_a_database_is_refused(data_dir):
    data_dir.mkdir(parents=True)
    (data_dir / "cockpit.db").write_bytes(b"this is not SQLite, " * 500)
    with pytest.raises(StoreError) as info:
        async with open_core(data_dir):
            pass
    assert "cockpit.db" in str(info.value) and "not a database" in str(info.value)


def _damage_incident_pages(db: Path) -> None:
    """The header and schema survive; the incidents table's root page does not."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'incidents'").fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(db, "r+b") as fh:
        fh.seek((root - 1) * size)
        fh.write(b"\xff" * size)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cockpit.cli", *args], cwd=ROOT, capture_output=True, text=True, timeout=60,
    )


def _drop_event_log(db: Path) -> None:
    """The schema version says latest; a table the core reads while starting is gone."""
    conn = sqlite3.connect(db)
    conn.execute("DROP TABLE event_log")
    conn.commit()
    conn.close()


def _worker_threads() -> list[threading.Thread]:
    """The live threads of aiosqlite connections (one per open connection)."""
    return [t for t in threading.enumerate() if getattr(t, "_target", None) is aiosqlite.core._connection_worker_thread]


async def test_a_core_that_fails_to_start_closes_its_connection_and_lock(data_dir):
    async with open_core(data_dir):
        pass
    _drop_event_log(data_dir / "cockpit.db")
    before = set(_worker_threads())
    with pytest.raises(sqlite3.OperationalError, match="no such table: event_log"):
        async with open_core(data_dir):
            pass
    assert set(_worker_threads()) <= before  # no aiosqlite thread left to keep the process alive
    lock = DataDirLock(data_dir)
    lock.acquire()  # released: would raise StoreError "in use by another core process"
    lock.release()


@pytest.mark.parametrize("damage", ["garbage", "newer", "pages", "table"])
async def test_the_cli_reports_a_bad_database_without_a_traceback(data_dir, damage):
    async with open_core(data_dir) as core:
        plan = await setup_workspace(core)
        for _ in range(40):
            await core.client().call("StartIncident", {"responsePlanArn": plan, "title": "x" * 150})
    db = data_dir / "cockpit.db"
    if damage == "garbage":
        db.write_bytes(b"\x00garbage" * 4096)
    elif damage == "newer":
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA user_version = 999")
        conn.commit()
        conn.close()
    elif damage == "table":
        _drop_event_log(db)
    else:
        _damage_incident_pages(db)
    # a process that does not exit (a connection's thread left running) fails on the timeout
    out = _cli("--data-dir", str(data_dir), "call", "ListIncidentRecords")
    assert out.returncode == 1, out
    assert "Traceback" not in out.stderr
    assert out.stderr.startswith("cockpit: ")
    if damage == "newer":
        assert "schema version 999" in out.stderr
    elif damage == "table":
        assert "cannot be read (no such table: event_log)" in out.stderr and "cockpit restore" in out.stderr
    else:
        assert "cockpit.db" in out.stderr or "cockpit restore" in out.stderr
