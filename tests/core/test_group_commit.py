"""Group commit in the store: transactions that wait for the writer share one COMMIT, each body
in its own savepoint; every caller returns after that COMMIT; callbacks run after it, in order."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from core.store.db import GROUP_MAX, Database

HANG_GUARD_S = 30  # only against a wedged group: a hang fails the test instead of stalling it


class Boom(Exception):
    pass


def committed(db: Database) -> set[str]:
    """What another connection sees: only committed rows."""
    conn = sqlite3.connect(db.path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM probe")}
    finally:
        conn.close()


@pytest.fixture
async def db(tmp_path: Path):
    db = await Database.open(tmp_path / "ws")
    async with db.transaction() as tx:
        await tx.execute("CREATE TABLE probe (name TEXT PRIMARY KEY)")
    commits: list[int] = []
    db.commit_hooks.append(lambda: commits.append(1))
    db.commits = commits  # type: ignore[attr-defined]
    yield db
    await db.close()


async def until_waiting(db: Database, count: int) -> None:
    """Let the spawned writers run up to the writer's turn (no time passes)."""
    for _ in range(1000):
        if db._waiting == count:
            return
        await asyncio.sleep(0)
    raise AssertionError(f"{db._waiting} writers waiting, not {count}")


async def insert(db: Database, name: str, *, fail: bool = False) -> None:
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO probe (name) VALUES (?)", (name,))
        if fail:
            raise Boom(name)


async def while_holding(db: Database, others: Callable[[], Awaitable[None]]) -> None:
    """Hold the writer's turn (one body, 'holder') while ``others`` queue up behind it."""
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO probe (name) VALUES ('holder')")
        await others()


async def test_a_lone_transaction_commits_at_once(db):
    await insert(db, "alone")
    assert committed(db) == {"alone"}
    assert len(db.commits) == 1


async def test_waiting_transactions_share_one_commit(db):
    tasks: list[asyncio.Task[None]] = []

    async def queue() -> None:
        tasks.extend(asyncio.create_task(insert(db, f"w{i}")) for i in range(5))
        await until_waiting(db, 5)

    await while_holding(db, queue)
    await asyncio.wait_for(asyncio.gather(*tasks), HANG_GUARD_S)
    assert committed(db) == {"holder", "w0", "w1", "w2", "w3", "w4"}
    assert len(db.commits) == 1  # one for all six


async def test_a_group_is_bounded(db):
    tasks: list[asyncio.Task[None]] = []
    n = GROUP_MAX + 3

    async def queue() -> None:
        tasks.extend(asyncio.create_task(insert(db, f"w{i}")) for i in range(n))
        await until_waiting(db, n)

    await while_holding(db, queue)
    await asyncio.wait_for(asyncio.gather(*tasks), HANG_GUARD_S)
    assert len(committed(db)) == n + 1
    assert len(db.commits) == 2  # GROUP_MAX bodies, then the other four


async def test_a_body_that_raises_rolls_back_only_itself(db):
    tasks: list[asyncio.Task[None]] = []
    audits: list[str] = []

    async def failing_then_audited() -> None:
        # like dispatch: the failed call's audit record goes in a transaction of its own
        try:
            await insert(db, "bad", fail=True)
        except Boom:
            await insert(db, "bad-audit")
            audits.append("bad-audit")
            raise

    async def queue() -> None:
        tasks.append(asyncio.create_task(insert(db, "before")))
        tasks.append(asyncio.create_task(failing_then_audited()))
        tasks.append(asyncio.create_task(insert(db, "after")))
        await until_waiting(db, 3)

    await while_holding(db, queue)
    results = await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), HANG_GUARD_S)
    assert results[0] is None and isinstance(results[1], Boom) and results[2] is None
    assert committed(db) == {"holder", "before", "after", "bad-audit"}
    assert audits == ["bad-audit"]


async def test_every_caller_returns_after_the_commit_and_callbacks_run_in_order(db):
    seen: list[tuple[str, bool]] = []  # (member, its row committed when its callback ran)
    returned: list[tuple[str, bool]] = []  # (member, its row committed when its caller resumed)
    tasks: list[asyncio.Task[None]] = []

    async def member(name: str) -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO probe (name) VALUES (?)", (name,))
            tx.before_commit(lambda: tx.execute("INSERT INTO probe (name) VALUES (?)", (name + "-log",)))
            tx.after_commit(lambda: seen.append((name, name + "-log" in committed(db))))
        returned.append((name, name in committed(db)))

    async def queue() -> None:
        tasks.extend(asyncio.create_task(member(f"m{i}")) for i in range(4))
        await until_waiting(db, 4)

    await while_holding(db, queue)
    await asyncio.wait_for(asyncio.gather(*tasks), HANG_GUARD_S)
    assert seen == [(f"m{i}", True) for i in range(4)]
    assert sorted(returned) == [(f"m{i}", True) for i in range(4)]
    assert len(db.commits) == 1


async def test_a_cancelled_waiter_does_not_strand_the_group(db):
    """The holder leaves the group open for the one waiter, which is cancelled before its turn:
    the group still commits, without it."""
    waiter: asyncio.Task[None] | None = None

    async def queue() -> None:
        nonlocal waiter
        waiter = asyncio.create_task(insert(db, "cancelled"))
        await until_waiting(db, 1)
        waiter.cancel()  # delivered after the holder has passed the turn on

    await asyncio.wait_for(while_holding(db, queue), HANG_GUARD_S)
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert committed(db) == {"holder"}
    await insert(db, "next")  # the writer is free again
    assert committed(db) == {"holder", "next"}


async def test_a_body_cancelled_midway_rolls_back_only_itself(db):
    started = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []

    async def stuck() -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO probe (name) VALUES ('stuck')")
            started.set()
            await asyncio.Event().wait()  # until cancelled

    async def queue() -> None:
        tasks.append(asyncio.create_task(insert(db, "first")))
        tasks.append(asyncio.create_task(stuck()))
        tasks.append(asyncio.create_task(insert(db, "last")))
        await until_waiting(db, 3)

    async def cancel_when_stuck() -> None:
        await started.wait()
        tasks[1].cancel()

    canceller = asyncio.create_task(cancel_when_stuck())
    await while_holding(db, queue)
    results = await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), HANG_GUARD_S)
    await canceller
    assert results[0] is None and isinstance(results[1], asyncio.CancelledError) and results[2] is None
    assert committed(db) == {"holder", "first", "last"}
    assert len(db.commits) == 1


async def test_a_backup_waits_for_the_open_group_and_copies_it(db, tmp_path):
    tasks: list[asyncio.Task[None]] = []

    async def queue() -> None:
        tasks.append(asyncio.create_task(insert(db, "w0")))
        await until_waiting(db, 1)
        tasks.append(asyncio.create_task(db.backup_to(tmp_path / "copy.db")))
        tasks.append(asyncio.create_task(insert(db, "w1")))
        await until_waiting(db, 2)

    await while_holding(db, queue)
    await asyncio.wait_for(asyncio.gather(*tasks), HANG_GUARD_S)
    conn = sqlite3.connect(tmp_path / "copy.db")
    try:
        copied = {r[0] for r in conn.execute("SELECT name FROM probe")}
    finally:
        conn.close()
    assert copied == {"holder", "w0"}  # committed before the copy; w1 came after it
    assert committed(db) == {"holder", "w0", "w1"}


async def test_callers_ready_in_the_same_turn_of_the_loop_share_one_commit(db):
    """Nobody waits when the first ends (its statements never leave the loop), yet the
    callers already scheduled (requests read together) join its group before it commits."""
    await asyncio.wait_for(asyncio.gather(*(insert(db, f"r{i}") for i in range(5))), HANG_GUARD_S)
    assert committed(db) == {f"r{i}" for i in range(5)}
    assert len(db.commits) == 1
