"""Where the store's work runs: a body's statements on the loop's thread (it yields every
YIELD_EVERY of them), a read asked off the loop on the connection's thread; a cancelled read
off the loop leaves the connection clean."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from core.store.db import YIELD_EVERY, Database

BIG = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) SELECT i FROM n"


@pytest.fixture
async def db(tmp_path: Path):
    db = await Database.open(tmp_path / "ws")
    async with db.transaction() as tx:
        await tx.execute("CREATE TABLE probe (n INTEGER)")
    yield db
    await db.close()


async def _meanwhile(done: list[str]) -> bool:
    """True when this task ran before ``done`` was marked (the loop went on meanwhile)."""
    return not done


async def test_a_read_off_the_loop_lets_the_loop_go_on(db):
    done: list[str] = []
    other = asyncio.create_task(_meanwhile(done))
    async with db.transaction() as tx:
        rows = await tx.fetchall(BIG, (50_000,), off_loop=True)
        done.append("read")
    assert len(rows) == 50_000 and rows[-1][0] == 50_000
    assert await other  # it ran while the thread read


async def test_a_short_read_stays_on_the_loop(db):
    done: list[str] = []
    other = asyncio.create_task(_meanwhile(done))
    async with db.transaction() as tx:
        rows = await tx.fetchall(BIG, (10,))
        done.append("read")
    assert [r[0] for r in rows] == list(range(1, 11))
    assert not await other  # nothing else ran in the middle of the body


async def test_a_long_body_lets_the_loop_run_every_so_many_statements(db):
    done: list[str] = []
    other = asyncio.create_task(_meanwhile(done))
    async with db.transaction() as tx:
        for i in range(YIELD_EVERY + 1):
            await tx.execute("INSERT INTO probe (n) VALUES (?)", (i,))
        done.append("body")
    assert await other


async def test_a_read_cancelled_off_the_loop_leaves_the_connection_clean(db):
    started = asyncio.Event()

    async def reader() -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO probe (n) VALUES (-1)")
            started.set()
            await tx.fetchall(BIG, (300_000,), off_loop=True)

    task = asyncio.create_task(reader())
    await started.wait()
    await asyncio.sleep(0)  # the read is on the thread now
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    async with db.transaction() as tx:  # the thread is done and the body rolled back
        await tx.execute("INSERT INTO probe (n) VALUES (1)")
        assert [r[0] for r in await tx.fetchall("SELECT n FROM probe")] == [1]
