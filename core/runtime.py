"""Opening a core: the store, the registry, the scheduler and the background workers."""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import core.ops.catalog  # noqa: F401  (registers every operation and timer kind)
from core.client.local import LocalClient
from core.clock import Clock, SystemClock
from core.config import CoreConfig, load_config
from core.engine.outbox import OutboxSender
from core.engine.replicas import ReplicaSyncer
from core.engine.scheduler import Scheduler
from core.errors import ConfigError
from core.events import EventBus
from core.ops.replication import SITE_REGION_KEY
from core.paging.config import parse_paging_config
from core.paging.providers import build_providers
from core.runbooks.runner import StepRunner
from core.security.keys import Cipher
from core.security.principals import Principal, local_admin, system_principal
from core.store import event_log
from core.store.db import Database

log = logging.getLogger("cockpit.core")


class Core:
    """A running core. Build it with ``open_core``; talk to it through ``client()``."""

    def __init__(
        self, data_dir: Path, config: CoreConfig, clock: Clock, db: Database, account_id: str
    ) -> None:
        self.data_dir = data_dir
        self.config = config
        self.clock = clock
        self.db = db
        self.account_id = account_id
        self.region = config.region
        self.bus = EventBus()
        self.scheduler = Scheduler(self)
        self.replicas = ReplicaSyncer(self)
        self.paging = parse_paging_config(config.paging)
        self.outbox = OutboxSender(self, build_providers(self.paging))
        self.runbook_runner = StepRunner(self)
        self.system_principal = system_principal(account_id)
        self.admin = local_admin(account_id)
        self.cipher = Cipher(data_dir)  # the workspace key, for values encrypted at rest

    def client(self, principal: Principal | None = None, origin: str = "local") -> LocalClient:
        """A client acting as ``principal`` (the local administrator by default)."""
        return LocalClient(self, principal or self.admin, origin)

    async def _adopt_site_region(self) -> None:
        """This site's region is the first one CreateReplicationSet named (see replication)."""
        async with self.db.transaction() as tx:
            site = await tx.scalar("SELECT value FROM meta WHERE key = ?", (SITE_REGION_KEY,))
        if site and site != self.region:
            if "region" in self.config.model_fields_set:
                raise ConfigError(
                    f"the configuration names this site's region {self.region!r}, but its "
                    f"replication set named it {site!r}: set region to {site!r} or remove it"
                )
            self.region = site

    async def _start(self) -> None:
        """Start the background workers. If a step fails (a damaged database), the workers
        started are stopped again before the error is raised: no final replica copy, since the
        database may be what is wrong."""
        try:
            async with self.db.transaction() as tx:
                key_id = await tx.scalar("SELECT sse_kms_key_id FROM regions WHERE name = ?", (self.region,))
            if key_id:
                self.cipher.use(key_id)
            await event_log.prune(self.db, self.clock.now())
            await self.outbox.start()  # recovers sends a crash interrupted, before timers fire
            self.scheduler.start()
            await self.runbook_runner.start()  # runs again the steps a crash left running
        except BaseException:
            await self._stop_workers()
            raise
        await self.replicas.start()

    async def _stop_workers(self) -> None:
        await self.runbook_runner.stop()
        await self.scheduler.stop()
        await self.outbox.stop()

    async def _stop(self) -> None:
        await self._stop_workers()
        await self.replicas.stop()  # a final copy to every replica
        self.bus.close()
        await self.db.close()


async def _account_id(db: Database) -> str:
    async with db.transaction() as tx:
        value = await tx.scalar("SELECT value FROM meta WHERE key = 'account_id'")
        if value is None:
            value = f"{secrets.randbelow(9 * 10**11) + 10**11:012d}"
            await tx.execute("INSERT INTO meta (key, value) VALUES ('account_id', ?)", (value,))
        return value


@asynccontextmanager
async def open_core(
    data_dir: Path | str,
    clock: Clock | None = None,
    config: CoreConfig | dict[str, Any] | Path | str | None = None,
) -> AsyncIterator[Core]:
    """Open the workspace in ``data_dir`` (created if absent) and run its core until exit."""
    data_dir = Path(data_dir)
    settings = load_config(data_dir, config)
    db = await Database.open(data_dir)
    try:
        core = Core(data_dir, settings, clock or SystemClock(), db, await _account_id(db))
        await core._adopt_site_region()
        await core._start()
    except BaseException:
        await db.close()  # a failed open leaves no connection (its thread) or lock behind
        raise
    try:
        yield core
    finally:
        await core._stop()
