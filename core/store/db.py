"""The SQLite store: one file, one writing connection per process, one writer at a time.

Durability: WAL with ``synchronous=FULL``, so a commit that returned survives a power cut.
Consistency: every write runs inside ``Database.transaction()`` (``BEGIN IMMEDIATE`` ...
``COMMIT``); a process killed at any point leaves the last committed state.

Reads beside the writer: ``Database.read()`` reads on a read-only connection of its own (up
to ``READERS_MAX`` of them, opened as needed), in one SQLite read transaction: a snapshot of
the last commit as it begins (WAL keeps it while the writer goes on), so it sees every
transaction that returned before it (read-your-writes) and nothing uncommitted. It never takes
the writer's turn, so a long read (a report, an export) holds up no write; a write in it raises.

Group commit: transactions that wait for the writer while another runs go into the same SQLite
transaction, one after the other, each after the first in its own SAVEPOINT (a body that raises
rolls back to it, the others stay), and the group COMMITs once (one fsync) when it holds
``GROUP_MAX`` bodies, or when nobody else waits once the loop has run the callers that were
ready (requests read in the same turn join). Each caller returns only after that COMMIT, and
the after-commit callbacks run then, in the members' order. A lone transaction commits at once.

Where statements run: a body's statements run on the event loop's thread, against the
connection directly (in WAL mode each takes microseconds; a trip to another thread per
statement cost more than the statement). What can take long runs on the connection's own
thread while the loop goes on: the COMMIT (its fsync), the backup, the migrations, and a read
asked for with ``fetchall(..., off_loop=True)`` (a report over many rows). Only one of them uses
a connection at a time: on the writing connection everything happens under the writer's turn,
a read-only connection serves one read at a time, and a trip to a connection's thread returns
(even when cancelled) only once the thread is done with the connection. A body that runs many
statements lets the loop run others every ``YIELD_EVERY`` statements.
"""

from __future__ import annotations

import asyncio
import json
import logging
import operator
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterable, Sequence
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from core.errors import StoreError
from core.store.files import private_dir, private_file
from core.store.lock import DataDirLock
from core.store.migrations import LATEST_VERSION, MIGRATIONS

DB_FILENAME = "cockpit.db"
GROUP_MAX = 64  # bodies per group commit: bounds a waiter's latency and the WAL's growth
READERS_MAX = 4  # read-only connections, opened as needed; a read beyond them waits for one
YIELD_EVERY = 200  # statements a body runs before the loop may run something else

log = logging.getLogger("cockpit.store")
T = TypeVar("T")


_encoder = json.JSONEncoder(separators=(",", ":"), sort_keys=True, default=str)  # built once: dumps runs ~7 times a call


def dumps(value: Any) -> str:
    return _encoder.encode(value)


def loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _statement(conn: sqlite3.Connection, sql: str, params: Any, read: Callable[[sqlite3.Cursor], Any]) -> Any:
    """Run one statement, read its result, close its cursor."""
    cur = conn.execute(sql, params)
    try:
        return read(cur)
    finally:
        cur.close()


_lastrowid = operator.attrgetter("lastrowid")
_rowcount = operator.attrgetter("rowcount")


class Tx:
    """An open transaction. Repositories take one; callbacks run only after it commits.
    ``Database.read()`` yields one on a read-only connection: there every write raises."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._sql = conn._conn
        self._statements = 0
        self._before_commit: list[Callable[[], Awaitable[None]]] = []
        self._after_commit: list[Callable[[], None]] = []

    async def _pace(self) -> None:
        self._statements += 1
        if self._statements % YIELD_EVERY == 0:
            await asyncio.sleep(0)  # a long body: let the loop draw a frame, read a socket

    async def _run(self, sql: str, params: Sequence[Any] | dict[str, Any], read: Callable[[sqlite3.Cursor], Any]) -> Any:
        await self._pace()
        return _statement(self._sql, sql, params, read)

    async def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> int:
        """Run a statement; return the number of rows changed (or the new rowid for INSERT)."""
        insert = sql.lstrip()[:6].upper() == "INSERT"
        return await self._run(sql, params, _lastrowid if insert else _rowcount)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await self._pace()
        self._sql.executemany(sql, rows).close()

    async def fetchone(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Row | None:
        return await self._run(sql, params, sqlite3.Cursor.fetchone)

    async def fetchall(
        self, sql: str, params: Sequence[Any] | dict[str, Any] = (), *, off_loop: bool = False
    ) -> list[sqlite3.Row]:
        """The rows of a query. ``off_loop=True`` reads them on the connection's thread: for a
        read that may take long (a report over 100,000 incidents, an export), so the loop (a
        cockpit's screen) goes on meanwhile; a short read is quicker without."""
        if off_loop:
            return await _off_loop(self._conn, _statement, self._sql, sql, params, sqlite3.Cursor.fetchall)
        return await self._run(sql, params, sqlite3.Cursor.fetchall)

    async def scalar(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    def before_commit(self, callback: Callable[[], Awaitable[None]]) -> None:
        """Run ``callback`` as the transaction's last statements (the event log's writes)."""
        self._before_commit.append(callback)

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` (synchronous, quick: publish, wake) once this transaction commits."""
        self._after_commit.append(callback)


class _Group:
    """One open SQLite transaction and the finished bodies waiting for its COMMIT."""

    def __init__(self, changes_before: int) -> None:
        self.changes_before = changes_before
        self.members: list[tuple[Tx, asyncio.Future[None]]] = []

    def fail(self, exc: BaseException) -> None:
        for _, done in self.members:
            if not done.done():
                done.set_exception(exc)


class Database:
    def __init__(self, path: Path, conn: aiosqlite.Connection, lock: DataDirLock) -> None:
        self.path = path
        self.conn = conn
        self._dir_lock = lock
        self._lock = asyncio.Lock()  # the writer's turn: one body (or a COMMIT, a backup) at a time
        self._group: _Group | None = None  # the open transaction, while its bodies run
        self._waiting = 0  # transactions waiting for the turn (they join the open group)
        self._committers: set[asyncio.Task[None]] = set()
        self._commit_pending = False  # a committer is on its way (it takes the turn next)
        # called (synchronously) after every commit, e.g. to mark replicas stale
        self.commit_hooks: list[Callable[[], None]] = []
        self._readers: list[aiosqlite.Connection] = []  # every read-only connection opened
        self._idle_readers: list[aiosqlite.Connection] = []
        self._reader_slots = asyncio.Semaphore(READERS_MAX)

    @classmethod
    async def open(cls, data_dir: Path) -> Database:
        data_dir = private_dir(Path(data_dir))
        path = private_file(data_dir / DB_FILENAME)  # before SQLite: its -wal and -shm take this mode
        lock = DataDirLock(data_dir)
        lock.acquire()  # refuses a second core on this directory
        try:
            # statements run on the loop's thread too (see above): never two threads at once
            conn = await aiosqlite.connect(path, isolation_level=None, check_same_thread=False)
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
            for reader in self._readers:
                await reader.close()
        finally:
            try:
                await self.conn.close()
            finally:
                self._dir_lock.release()

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Tx]:
        """A read of the last committed state, outside the writer's turn: on a read-only
        connection of its own, in one SQLite read transaction (WAL: a snapshot taken as it
        begins, so it sees every commit that returned before, and none made while it reads).
        Writes raise."""
        async with self._reader_slots:
            conn = self._idle_readers.pop() if self._idle_readers else await self._open_reader()
            tx = Tx(conn)
            try:
                tx._sql.execute("BEGIN")
                tx._sql.execute("PRAGMA schema_version").close()  # reads the file: the snapshot starts
                yield tx
                for write in tx._before_commit:  # the event log's writes: they raise here
                    await write()
            finally:
                # no await: the connection is clean even if the body was cancelled (a trip to
                # its thread that the cancellation interrupted has ended by now)
                if tx._sql.in_transaction:
                    tx._sql.execute("ROLLBACK")
                self._idle_readers.append(conn)
        for callback in tx._after_commit:
            callback()

    async def _open_reader(self) -> aiosqlite.Connection:
        conn = await aiosqlite.connect(
            f"{self.path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
        )
        conn.row_factory = sqlite3.Row
        conn._conn.execute("PRAGMA busy_timeout=5000").close()
        self._readers.append(conn)
        return conn

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        await self._take_turn()
        tx = Tx(self.conn)
        sql = tx._sql
        first = self._group is None
        try:
            if first:
                changes_before = sql.total_changes
                sql.execute("BEGIN IMMEDIATE")
                self._group = _Group(changes_before)
            else:
                sql.execute("SAVEPOINT group_member")
            yield tx
            for write in tx._before_commit:
                await write()
            if not first:
                sql.execute("RELEASE group_member")
        except BaseException:
            # no await: a cancelled body still leaves the connection clean (a trip to the
            # connection's thread that the cancellation interrupted has ended by now)
            try:
                self._undo(first)
            finally:
                self._end_turn()
            raise
        group = self._group
        assert group is not None
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        group.members.append((tx, done))
        self._end_turn()
        try:
            await asyncio.shield(done)  # the COMMIT: this body is durable once it returns
        except asyncio.CancelledError:
            done.add_done_callback(_retrieve)  # the group still commits it; nobody reads the outcome
            raise

    async def _take_turn(self) -> None:
        self._waiting += 1
        try:
            await self._lock.acquire()
        except BaseException:
            self._waiting -= 1
            if self._group is not None and not self._waiting:
                self._commit_soon()  # the group was left open for this waiter: commit it without them
            raise
        self._waiting -= 1

    def _end_turn(self) -> None:
        """Pass the turn to the next waiting body (it joins the group); a full group commits at
        once; with nobody waiting, the group commits once the loop has run what was ready, so
        that callers already on their way to the writer (requests read in the same turn of the
        loop) join it."""
        group = self._group
        if group is not None and len(group.members) >= GROUP_MAX:
            self._keep(self._commit_and_release(group))
            return
        self._lock.release()
        if group is not None and not self._waiting:
            self._commit_soon()

    def _commit_soon(self) -> None:
        if not self._commit_pending:
            self._commit_pending = True
            self._keep(self._commit_when_free())

    def _keep(self, committer: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(committer)
        self._committers.add(task)
        task.add_done_callback(self._committers.discard)

    def _undo(self, first: bool) -> None:
        """Roll back the body that raised: the whole transaction when it was the first, else
        to its savepoint. If SQLite lost the transaction, the group's other bodies fail too."""
        group = self._group
        sql = self.conn._conn
        if first:
            self._group = None
            self._rollback()
            return
        try:
            sql.execute("ROLLBACK TO group_member")
            sql.execute("RELEASE group_member")
        except sqlite3.Error as exc:
            log.error("rolling back a grouped transaction failed: %s", exc)
        if group is not None and not sql.in_transaction:
            self._group = None
            group.fail(StoreError("the transaction was lost before its commit; nothing of it was written"))
            self._rollback()

    async def _commit_and_release(self, group: _Group) -> None:
        try:
            await self._commit(group)
        finally:
            self._lock.release()

    async def _commit_when_free(self) -> None:
        async with self._lock:
            self._commit_pending = False
            if self._group is not None:
                await self._commit(self._group)

    async def _commit(self, group: _Group) -> None:
        """COMMIT the group (under the turn), then run its callbacks in the members' order."""
        self._group = None
        try:
            await _off_loop(self.conn, _statement, self.conn._conn, "COMMIT", (), _rowcount)  # the fsync
        except Exception as exc:
            self._rollback()
            group.fail(exc)  # each caller raises it; nothing of the group was written
            return
        except BaseException:
            group.fail(StoreError("the commit was interrupted; see the core log"))
            raise
        # still under the turn, so events publish in commit order
        if self.conn.total_changes != group.changes_before:
            for hook in self.commit_hooks:
                try:
                    hook()
                except Exception:  # committed: every caller still gets its answer
                    log.exception("a commit hook failed")
        for tx, done in group.members:
            try:
                for callback in tx._after_commit:
                    callback()
            except Exception as exc:  # this caller's callback: the others still run theirs
                done.set_exception(exc)
            else:
                done.set_result(None)

    def _rollback(self) -> None:
        try:
            self.conn._conn.execute("ROLLBACK")
        except sqlite3.OperationalError:
            pass  # no transaction was open (BEGIN failed, or COMMIT already went through)

    async def backup_to(self, target: Path) -> None:
        """Copy a consistent snapshot of the database to ``target`` (SQLite's online backup)."""
        async with self._lock:
            if self._group is not None:  # bodies waiting for their COMMIT: commit them first
                await self._commit(self._group)
            await _off_loop(self.conn, copy_database, self.conn._conn, Path(target))


async def _off_loop(conn: aiosqlite.Connection, fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)`` on ``conn``'s thread, the loop going on meanwhile. Returns, or raises a
    cancellation, only once the thread is done with the connection."""
    trip = asyncio.ensure_future(conn._execute(fn, *args))
    try:
        return await asyncio.shield(trip)
    except asyncio.CancelledError:
        while not trip.done():
            with suppress(asyncio.CancelledError):
                await asyncio.wait([trip])
        trip.add_done_callback(_retrieve)
        raise


def _retrieve(done: asyncio.Future[Any]) -> None:
    if not done.cancelled():
        done.exception()


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
