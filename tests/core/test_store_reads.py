"""Read-only operations read beside the writer: on a read-only connection of their own, a
snapshot of the last commit, so a long report holds up no write; they cannot write."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from core.runtime import Core
from core.store import db as store_db
from core.store.db import Database

BIG = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) SELECT i FROM n"
HANG_GUARD_S = 30  # only against a wedged writer: a hang fails the test instead of stalling it


@pytest.fixture
async def db(tmp_path: Path):
    db = await Database.open(tmp_path / "ws")
    async with db.transaction() as tx:
        await tx.execute("CREATE TABLE probe (name TEXT PRIMARY KEY)")
    yield db
    await db.close()


async def insert(db: Database, name: str) -> None:
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO probe (name) VALUES (?)", (name,))


async def names(db: Database) -> set[str]:
    async with db.read() as tx:
        return {r[0] for r in await tx.fetchall("SELECT name FROM probe")}


async def test_a_read_sees_every_commit_that_returned_and_nothing_uncommitted(db):
    await insert(db, "a")
    assert await names(db) == {"a"}
    await insert(db, "b")  # the same read-only connection, a new snapshot
    assert await names(db) == {"a", "b"}
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO probe (name) VALUES ('open')")
        assert await names(db) == {"a", "b"}  # the writer's open transaction is not in it
    assert await names(db) == {"a", "b", "open"}


async def test_a_read_cannot_write(db):
    async with db.read() as tx:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            await tx.execute("INSERT INTO probe (name) VALUES ('sneaky')")
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            await tx.fetchall("INSERT INTO probe (name) VALUES ('returning') RETURNING name")
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            await tx.fetchall("DELETE FROM probe RETURNING name", off_loop=True)
    await insert(db, "after")  # the writer is untouched
    assert await names(db) == {"after"}


async def test_a_read_cancelled_off_the_loop_leaves_its_connection_clean(db):
    started = asyncio.Event()

    async def reader() -> None:
        async with db.read() as tx:
            started.set()
            await tx.fetchall(BIG, (300_000,), off_loop=True)

    task = asyncio.create_task(reader())
    await started.wait()
    await asyncio.sleep(0)  # the read is on the thread now
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await insert(db, "after")
    assert await names(db) == {"after"}  # the same connection, its read transaction ended


def gate_a_read(monkeypatch: pytest.MonkeyPatch) -> tuple[asyncio.Event, threading.Event]:
    """Hold the next read off the loop (not a COMMIT), in its connection's thread, until the
    returned threading.Event is set; the asyncio.Event is set once the thread holds it."""
    loop = asyncio.get_running_loop()
    entered, release = asyncio.Event(), threading.Event()
    trip = store_db._off_loop

    async def gated(conn: Any, fn: Any, *args: Any) -> Any:
        if fn is not store_db._statement or args[1] == "COMMIT" or entered.is_set():
            return await trip(conn, fn, *args)

        def held(*a: Any) -> Any:
            loop.call_soon_threadsafe(entered.set)
            release.wait(HANG_GUARD_S)
            return fn(*a)

        return await trip(conn, held, *args)

    monkeypatch.setattr(store_db, "_off_loop", gated)
    return entered, release


async def test_a_write_commits_while_a_long_read_runs(db, monkeypatch):
    await insert(db, "before")
    entered, release = gate_a_read(monkeypatch)

    async def long_read() -> set[str]:
        async with db.read() as tx:
            return {r[0] for r in await tx.fetchall("SELECT name FROM probe", off_loop=True)}

    reading = asyncio.create_task(long_read())
    try:
        await entered.wait()
        await asyncio.wait_for(insert(db, "during"), HANG_GUARD_S)  # committed, the read still held
        assert not reading.done()
    finally:
        release.set()
    assert await reading == {"before"}  # its snapshot began before the write
    assert await names(db) == {"before", "during"}


def _incidents(report: dict[str, Any]) -> int:
    return sum(week["incidents"] for week in report["incidentsPerWeek"])


async def test_start_incident_returns_while_a_report_reads(core: Core, ready, monkeypatch):
    client, plan = ready
    await client.call("StartIncident", {"responsePlanArn": plan, "title": "first"})
    window = {"startTime": core.clock.now() - timedelta(days=1), "endTime": core.clock.now() + timedelta(days=1)}
    entered, release = gate_a_read(monkeypatch)
    report = asyncio.create_task(client.call("GetIncidentReport", window))
    try:
        await entered.wait()
        started = await asyncio.wait_for(
            client.call("StartIncident", {"responsePlanArn": plan, "title": "second"}), HANG_GUARD_S
        )
        assert started["incidentRecordArn"]
        assert not report.done()
    finally:
        release.set()
    assert _incidents((await report)["report"]) == 1  # its snapshot: before the second start
    after = await client.call("GetIncidentReport", window)
    assert _incidents(after["report"]) == 2  # read-your-writes
    audit = await client.call("LookupAuditEvents", {"operation": "GetIncidentReport"})
    assert [e["result"] for e in audit["events"]] == ["OK", "OK"]  # reads are still audited
