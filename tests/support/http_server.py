"""A real HTTP server on 127.0.0.1 for tests: any ASGI app, run by uvicorn in-process.

    async with LocalHTTPServer(app) as server:
        httpx.get(server.url + "/path")

The listening socket is bound (port 0) and listening before uvicorn starts, so the URL is
known at once and early connections wait in the backlog. Entering waits for the app's lifespan
startup (an event, not a sleep) and fails loudly if uvicorn exits instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Iterator
from typing import Any

import uvicorn


class _Server(uvicorn.Server):
    """uvicorn without signal handling and without its 0.1 s polling loop: it serves until
    ``stop()`` sets an event, so a test's teardown costs no waiting."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self._exit = asyncio.Event()

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:  # leave pytest's signal handlers alone
        yield

    async def main_loop(self) -> None:
        await self.on_tick(0)  # sets the default headers once
        await self._exit.wait()

    def stop(self) -> None:
        self.should_exit = True
        self._exit.set()


class _LifespanSignal:
    """ASGI wrapper that sets an event when lifespan startup reaches the app."""

    def __init__(self, app: Any, started: asyncio.Event) -> None:
        self.app = app
        self.started = started

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return
        while True:
            event = await receive()
            if event["type"] == "lifespan.startup":
                self.started.set()
                await send({"type": "lifespan.startup.complete"})
            elif event["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return


def bound_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


class LocalHTTPServer:
    def __init__(self, app: Any) -> None:
        self.app = app
        self._started = asyncio.Event()
        self._sock = bound_socket()
        self._sock.listen(128)
        self._sock.setblocking(False)
        self.port: int = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            _LifespanSignal(app, self._started),
            lifespan="on",
            log_level="warning",
            access_log=False,
            date_header=False,
            timeout_graceful_shutdown=2,
        )
        self.server = _Server(config)
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> LocalHTTPServer:
        self._task = asyncio.create_task(self.server.serve(sockets=[self._sock]))
        started = asyncio.create_task(self._started.wait())
        done, _ = await asyncio.wait({self._task, started}, return_when=asyncio.FIRST_COMPLETED)
        if self._task in done:
            started.cancel()
            self._task.result()  # re-raise uvicorn's failure
            raise RuntimeError("uvicorn exited before serving")
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.server.stop()
        if self._task is not None:
            await self._task
        self._sock.close()


@contextlib.contextmanager
def refused_port() -> Iterator[int]:
    """A port on 127.0.0.1 that refuses connections for as long as the block runs
    (bound, never listening, so nothing else can take it)."""
    sock = bound_socket()
    try:
        yield sock.getsockname()[1]
    finally:
        sock.close()
