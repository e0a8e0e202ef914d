"""Replica regions: each added region is a directory that holds a copy of the database.

After a commit the syncer copies the database (SQLite's online backup) to every active replica
region, at most once per ``replica_sync_seconds`` (<= 5 s), and once more on shutdown, so a
replica is never more than a few seconds behind. ``cockpit restore --from REGION`` brings one
back.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from core.engine.idle import IdleWatch
from core.security.keys import owned_key_path
from core.store.db import DB_FILENAME

if TYPE_CHECKING:
    from core.runtime import Core

log = logging.getLogger("cockpit.core.replicas")


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
            await self.core.db.backup_to(target / DB_FILENAME)
            _copy_owned_key(Path(self.core.data_dir), target)
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


def _copy_owned_key(data_dir: Path, replica_dir: Path) -> None:
    """The owned key travels with the copy: without it a restored database could not decrypt
    what the workspace encrypted (contact addresses, provider secrets)."""
    key = owned_key_path(data_dir)
    target = owned_key_path(replica_dir)
    if not key.exists() or target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = target.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key.read_bytes())
    tmp.replace(target)


def restore_from_replica(data_dir: Path, replica_dir: Path) -> Path:
    """Replace the workspace database with the replica's copy (the core must not be running).

    The current database is kept beside it as ``cockpit.db.before-restore``. A missing owned
    key comes back from the replica too.
    """
    source = Path(replica_dir) / DB_FILENAME
    if not source.exists():
        raise FileNotFoundError(f"the replica {replica_dir} holds no database ({source} is missing)")
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    if owned_key_path(replica_dir).exists() and not owned_key_path(data_dir).exists():
        _copy_owned_key(Path(replica_dir), Path(data_dir))
    target = Path(data_dir) / DB_FILENAME
    if target.exists():
        shutil.copy2(target, target.with_name(DB_FILENAME + ".before-restore"))
    for suffix in ("-wal", "-shm"):
        side = target.with_name(DB_FILENAME + suffix)
        if side.exists():
            side.unlink()
    tmp = target.with_name(DB_FILENAME + ".restoring")
    shutil.copy2(source, tmp)
    tmp.replace(target)
    return target
