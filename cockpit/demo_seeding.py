"""Seeding `cockpit demo`'s workspace while the cockpit loads.

Seeding the demo (a month of history through the client) and loading the UI (Textual, the
screens) each take a few hundred milliseconds of CPU. A forked child seeds while this process
imports and builds the app, so on two cores the demo opens in the time of the longer of the
two; the app opens the workspace once the child is done. Without ``os.fork`` (Windows) the
seeding runs first, as before.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

from core.client.base import Client
from core.errors import StoreError


class DemoSeeding:
    """The seeding of ``data_dir``, started at once (in a child process where possible)."""

    def __init__(self, data_dir: Path, config: Any) -> None:
        from cockpit.demo import seed_demo_workspace

        self._pid: int | None = None
        self._failure = ""
        if not hasattr(os, "fork"):
            asyncio.run(seed_demo_workspace(data_dir, config))
            return
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: seed, report a failure through the pipe, never return
            os.close(read_end)
            quiet = os.open(os.devnull, os.O_WRONLY)
            os.dup2(quiet, 1)  # the parent's terminal belongs to the cockpit now
            os.dup2(quiet, 2)
            failure = b""
            try:
                asyncio.run(seed_demo_workspace(data_dir, config))
            except BaseException as error:  # noqa: BLE001 (whatever it is, the parent reports it)
                failure = (str(error) or type(error).__name__).encode()
            os.write(write_end, failure)
            os._exit(1 if failure else 0)
        os.close(write_end)
        self._pid, self._read_end = pid, read_end

    async def finished(self) -> None:
        """Wait for the child; StoreError with its reason if the seeding failed."""
        if self._pid is not None:
            pid, self._pid = self._pid, None
            await asyncio.get_running_loop().run_in_executor(None, os.waitpid, pid, 0)
            with os.fdopen(self._read_end, "rb") as pipe:
                self._failure = pipe.read().decode(errors="replace")
        if self._failure:
            raise StoreError(f"the demo workspace could not be seeded: {self._failure}")

    def stop(self) -> None:
        """The cockpit is leaving before the seeding was waited for: end the child."""
        if self._pid is not None:
            pid, self._pid = self._pid, None
            os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)
            os.close(self._read_end)

    def opener(self, open_client: Callable[[], AbstractAsyncContextManager[Client]]
               ) -> Callable[[], AbstractAsyncContextManager[Client]]:
        """``open_client``, once the workspace is seeded."""

        @asynccontextmanager
        async def seeded() -> AsyncIterator[Client]:
            await self.finished()
            async with open_client() as client:
                yield client

        return seeded
