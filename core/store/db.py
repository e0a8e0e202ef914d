"""The SQLite store: one file, one connection per process, one writer at a time.

Durability: WAL with ``synchronous=FULL``, so a commit that returned survives a power cut.
Consistency: every operation runs inside ``Database.transaction()`` (``BEGIN IMMEDIATE`` ...
``COMMIT``); a process killed at any point leaves the last committed state.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from core.errors import StoreError
from core.store.files import private_dir, private_file
from core.store.lock import DataDirLock
from core.store.migrations import LATEST_VERSION, MIGRATIONS

DB_FILENAME = "cockpit.db"


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True, default=str)


def loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


class Tx:
    """An open transaction. Repositories take one; callbacks run only after it commits."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn
        self._before_commit: list[Callable[[], Awaitable[None]]] = []
        self._after_commit: list[Callable[[], None]] = []

    async def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> int:
        """Run a statement; return the number of rows changed (or the new rowid for INSERT)."""
        cur = await self.conn.execute(sql, params)
        try:
            return cur.lastrowid if sql.lstrip()[:6].upper() == "INSERT" else cur.rowcount
        finally:
            await cur.close()

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await self.conn.executemany(sql, rows)

    async def fetchone(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Row | None:
        cur = await self.conn.execute(sql, params)
        try:
            return await cur.fetchone()
        finally:
            await cur.close()

    async def fetchall(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        cur = await self.conn.execute(sql, params)
        try:
            return list(await cur.fetchall())
        finally:
            await cur.close()

    async def scalar(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    def before_commit(self, callback: Callable[[], Awaitable[None]]) -> None:
        """Run ``callback`` as the transaction's last statements (the event log's writes)."""
        self._before_commit.append(callback)

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` (synchronous, quick: publish, wake) once this transaction commits."""
        self._after_commit.append(callback)


class Database:
    def __init__(self, path: Path, conn: aiosqlite.Connection, lock: DataDirLock) -> None:
        self.path = path
        self.conn = conn
        self._dir_lock = lock
        self._lock = asyncio.Lock()
        # called (synchronously) after every commit, e.g. to mark replicas stale
        self.commit_hooks: list[Callable[[], None]] = []

    @classmethod
    async def open(cls, data_dir: Path) -> Database:
        data_dir = private_dir(Path(data_dir))
        path = private_file(data_dir / DB_FILENAME)  # before SQLite: its -wal and -shm take this mode
        lock = DataDirLock(data_dir)
        lock.acquire()  # refuses a second core on this directory
        try:
            conn = await aiosqlite.connect(path, isolation_level=None)
        except BaseException:
            lock.release()
            raise
        conn.row_factory = sqlite3.Row
        try:
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA synchronous=FULL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA busy_timeout=5000")
            db = cls(path, conn, lock)
            await db._migrate()
        except sqlite3.DatabaseError as exc:
            await conn.close()
            lock.release()
            raise StoreError(f"cannot open the database {path}: {exc}") from exc
        except BaseException:
            await conn.close()
            lock.release()
            raise
        return db

    async def _migrate(self) -> None:
        cur = await self.conn.execute("PRAGMA user_version")
        (version,) = await cur.fetchone()
        await cur.close()
        if version > LATEST_VERSION:
            raise StoreError(
                f"the database {self.path} has schema version {version}, newer than this "
                f"Incident Cockpit understands (up to {LATEST_VERSION}); upgrade incident-cockpit "
                "or open another data directory"
            )
        for number, sql in MIGRATIONS:
            if number <= version:
                continue
            # executescript commits on its own; wrap the whole migration so it is atomic.
            await self.conn.executescript(
                f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {number};\nCOMMIT;"
            )

    async def close(self) -> None:
        try:
            await self.conn.close()
        finally:
            self._dir_lock.release()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        async with self._lock:
            tx = Tx(self.conn)
            changes_before = self.conn.total_changes
            try:
                await self.conn.execute("BEGIN IMMEDIATE")
                yield tx
                for write in tx._before_commit:
                    await write()
                await self.conn.execute("COMMIT")
            except BaseException:
                # Shielded: a cancelled caller must still leave the connection clean. The
                # connection's thread runs statements in order, so this ROLLBACK follows any
                # BEGIN the cancellation interrupted.
                await asyncio.shield(self._rollback())
                raise
            # still under the lock, so events publish in commit order
            if self.conn.total_changes != changes_before:
                for hook in self.commit_hooks:
                    hook()
            for callback in tx._after_commit:
                callback()

    async def _rollback(self) -> None:
        try:
            await self.conn.execute("ROLLBACK")
        except sqlite3.OperationalError:
            pass  # no transaction was open (BEGIN failed, or COMMIT already went through)

    async def backup_to(self, target: Path) -> None:
        """Copy a consistent snapshot of the database to ``target`` (SQLite's online backup)."""
        async with self._lock:
            # runs on the connection's thread
            await self.conn._execute(copy_database, self.conn._conn, Path(target))


def copy_database(source: sqlite3.Connection, target: Path) -> Path:
    """SQLite's online backup of ``source`` (committed WAL frames included) into ``target``:
    written owner-only beside it, then moved into place, so ``target`` is never half a copy."""
    private_dir(target.parent)
    tmp = target.with_name(target.name + ".tmp")
    tmp.unlink(missing_ok=True)
    private_file(tmp)
    dst = sqlite3.connect(tmp)
    try:
        source.backup(dst)
    except BaseException:
        dst.close()
        tmp.unlink(missing_ok=True)
        raise
    dst.close()
    tmp.replace(target)
    return target
