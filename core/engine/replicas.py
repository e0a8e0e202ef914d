"""Replica regions: each added region is a directory that holds a copy of the database.

After a commit the syncer copies the database (SQLite's online backup) to every active replica
region, at most once per ``replica_sync_seconds`` (<= 5 s), and once more on shutdown, so a
replica is never more than a few seconds behind. A copy is owner-only (0600) and never carries
the key that encrypts its secrets: a replica is useless without the workspace key.

``cockpit restore --from REGION`` brings one back (``restore_from_replica``). It needs the key
the replica's data was encrypted with, from the workspace's key directory or ``--key FILE``,
checked against the key fingerprint the replica records. Before it overwrites the database it
keeps the current one with SQLite's online backup (so commits still in the WAL are kept too)
as ``cockpit.db.before-restore`` (``.2``, ``.3``... when that name is taken): a restore never
loses a commit.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from core.engine.idle import IdleWatch
from core.errors import StoreError
from core.security.keys import (
    OWNED,
    WORKSPACE_KEY,
    install_key,
    key_dir,
    key_fingerprint,
    key_path,
    read_key,
)
from core.store.db import DB_FILENAME, copy_database
from core.store.files import private_dir, write_private
from core.store.lock import DataDirLock

if TYPE_CHECKING:
    from core.runtime import Core

log = logging.getLogger("cockpit.core.replicas")
BEFORE_RESTORE = ".before-restore"
T = TypeVar("T")


class ReplicaSyncer:
    def __init__(self, core: Core) -> None:
        self.core = core
        self._dirty = asyncio.Event()
        # the dirty flag does not cut short the quiet interval, so it counts only while
        # the loop waits for a commit (no deadline)
        self._idle = IdleWatch(core.clock, lambda: self._waiting_for_commit and self._dirty.is_set())
        self._waiting_for_commit = False
        self._task: asyncio.Task[None] | None = None
        self._leaving: set[str] = set()  # regions that get one last copy, then no more

    def replica_dir(self, region: str) -> Path | None:
        path = self.core.config.replicas.get(region)
        return Path(path) if path is not None else None

    async def active_regions(self) -> list[str]:
        async with self.core.db.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT name FROM regions WHERE status = 'ACTIVE' AND name != ? ORDER BY name",
                (self.core.region,),
            )
        return [r["name"] for r in rows]

    def mark_dirty(self) -> None:
        self._dirty.set()

    def copy_once_to(self, regions: list[str]) -> None:
        """Give ``regions`` one more copy even though they are no longer active (the replication
        set was deleted: its replicas must not keep the deleted data)."""
        self._leaving.update(regions)
        self._dirty.set()

    async def start(self) -> None:
        self.core.db.commit_hooks.append(self.mark_dirty)
        self._task = asyncio.create_task(self._run(), name="cockpit-replicas")
        self.core.clock.add_settler(self.wait_idle)

    async def stop(self) -> None:
        self.core.clock.remove_settler(self.wait_idle)
        if self.mark_dirty in self.core.db.commit_hooks:
            self.core.db.commit_hooks.remove(self.mark_dirty)
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
        try:
            await self.sync_now()
        except Exception:
            log.exception("final replica copy failed")

    async def sync_now(self) -> int:
        """Copy the database to every active replica region now; return how many."""
        copied = 0
        leaving, self._leaving = self._leaving, set()
        for region in sorted(set(await self.active_regions()) | leaving):
            target = self.replica_dir(region)
            if target is None:
                log.error("replica region %s has no directory in the configuration", region)
                continue
            if problem := replica_dir_problem(Path(self.core.data_dir), target):
                log.error("replica region %s is not copied: %s", region, problem)
                continue
            await self.core.db.backup_to(target / DB_FILENAME)
            copied += 1
        return copied

    async def wait_idle(self) -> bool:
        """A FakeClock settler: True if there was a copy to wait for."""
        return await self._idle.wait(self._task)

    async def _wait(self, until: datetime | None) -> None:
        self._waiting_for_commit = until is None
        self._idle.waiting(until)
        try:
            if until is None:
                await self._dirty.wait()
            else:
                await self.core.clock.sleep_until(until)
        finally:
            self._idle.resumed()

    async def _run(self) -> None:
        interval = timedelta(seconds=self.core.config.replica_sync_seconds)
        while True:
            await self._wait(None)
            self._dirty.clear()
            try:
                await self.sync_now()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("replica copy failed; will retry after the next commit")
            if interval:
                await self._wait(self.core.clock.now() + interval)


def replica_dir_problem(data_dir: Path, replica_dir: Path) -> str | None:
    """Why ``replica_dir`` cannot hold a replica of the workspace in ``data_dir`` (None if it can):
    a replica lives apart from the workspace, so its copy never sits beside the workspace's key."""
    replica, workspace = Path(replica_dir).resolve(), Path(data_dir).resolve()
    if replica == workspace or replica.is_relative_to(workspace) or workspace.is_relative_to(replica):
        return (
            f"its directory {replica} is the data directory {workspace}, inside it or holds it; "
            "a replica must live apart from the workspace and its key"
        )
    return None


@dataclass(frozen=True)
class Restored:
    database: Path
    kept: Path | None  # the database as it was before the restore, if there was one


def restore_from_replica(data_dir: Path, replica_dir: Path, key_file: Path | None = None) -> Restored:
    """Replace the workspace database with the replica's copy. Refuses, with StoreError, while
    a core holds the data directory, and when the key the replica needs is not at hand."""
    data_dir, replica_dir = Path(data_dir), Path(replica_dir)
    source = replica_dir / DB_FILENAME
    if not source.is_file():
        raise StoreError(f"the replica {replica_dir} holds no database ({source} is missing)")
    private_dir(data_dir)
    lock = DataDirLock(data_dir)
    lock.acquire()  # refuses while a core runs on this directory
    try:
        key_id, fingerprint = _replica_key(source)
        key = _key_to_install(data_dir, key_id, fingerprint, key_file)  # refuses before any change
        target = data_dir / DB_FILENAME
        kept = _keep_before_restore(target) if target.exists() else None
        if key is not None:
            _install(*key)
        staged = _read(source, lambda conn: copy_database(conn, target.with_name(DB_FILENAME + ".restoring")))
        for suffix in ("-wal", "-shm"):  # the old database's WAL must not replay onto the new one
            target.with_name(DB_FILENAME + suffix).unlink(missing_ok=True)
        staged.replace(target)
        return Restored(target, kept)
    finally:
        lock.release()


def _read(path: Path, use: Callable[[sqlite3.Connection], T]) -> T:
    conn = sqlite3.connect(path)
    try:
        return use(conn)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot read the database {path}: {exc}") from exc
    finally:
        conn.close()


def _replica_key(source: Path) -> tuple[str, str | None]:
    """The key the replica's data is encrypted with and its fingerprint (None when the replica
    never chose one, so nothing in it is encrypted with a workspace key)."""

    def query(conn: sqlite3.Connection) -> tuple[str, str | None]:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (WORKSPACE_KEY,)).fetchone()
        record = json.loads(row[0]) if row else {"id": OWNED, "fingerprint": None}
        return record["id"], record["fingerprint"]

    return _read(source, query)


def _key_to_install(
    data_dir: Path, key_id: str, fingerprint: str | None, key_file: Path | None
) -> tuple[Path, bytes] | None:
    """Check that the key the replica needs is at hand: in the workspace, or in ``key_file``
    (then returned with where the restored workspace will look for it)."""
    path = key_path(data_dir, key_id)
    named = "DefaultKey (the owned key)" if key_id == OWNED else f"sseKmsKeyId {key_id!r}"
    if key_file is None:
        if fingerprint is None or _fingerprint(path) == fingerprint:
            return None
        raise StoreError(
            f"this replica is encrypted with {named}, and the workspace does not hold that key "
            f"({path} is missing or is another key). A replica never carries its key: pass the "
            "workspace's key file with --key FILE"
        )
    material = _material(key_file)
    if material is None:
        raise StoreError(f"--key {key_file} is not a readable file holding a Fernet key")
    if fingerprint is not None and key_fingerprint(material) != fingerprint:
        raise StoreError(f"--key {key_file} is not the key this replica is encrypted with ({named})")
    if path.resolve().is_relative_to(key_dir(data_dir).resolve()):
        return path, material
    if path.resolve() == Path(key_file).resolve():
        return None
    raise StoreError(
        f"this replica is encrypted with the key file {path} ({named}); put the key back there "
        "rather than passing --key"
    )


def _install(path: Path, material: bytes) -> None:
    """Put the key in the workspace's key directory; a different key already there is kept
    (the data kept before the restore may need it)."""
    current = _material(path)
    if current is not None and current != material:
        install_key(_free_name(path.with_name(path.name + BEFORE_RESTORE)), current)
    install_key(path, material)


def _material(path: Path) -> bytes | None:
    try:
        return read_key(path)
    except (OSError, ValueError):
        return None


def _fingerprint(path: Path) -> str | None:
    material = _material(path)
    return key_fingerprint(material) if material is not None else None


def _keep_before_restore(target: Path) -> Path:
    """Keep the current database under the first free ``.before-restore`` name: an online
    backup, which carries the commits still in its WAL. A database too damaged to read is kept
    byte for byte, with its WAL beside the copy under the name SQLite looks for."""
    kept = _free_name(target.with_name(DB_FILENAME + BEFORE_RESTORE))
    try:
        return _read(target, lambda conn: copy_database(conn, kept))
    except StoreError:
        log.warning("the database %s cannot be read; keeping its files as they are", target)
    for suffix in ("", "-wal"):
        side = target.with_name(target.name + suffix)
        if side.exists():
            write_private(kept.with_name(kept.name + suffix), side.read_bytes())
    return kept


def _free_name(path: Path) -> Path:
    """``path``, or ``path.2``, ``path.3``... : the first that does not exist."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.{n}")
    return candidate
