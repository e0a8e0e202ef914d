"""A real `cockpit serve` subprocess on 127.0.0.1, and access keys to call it with.

    keys = create_keys(data_dir)                     # admin, responder, readonly users
    with ServeProcess(data_dir, keys["readonly"]) as server:
        server.url                                   # http://127.0.0.1:PORT
        server.logs                                  # every stderr line so far (JSON objects)

Start-up is awaited on events, never slept on: a thread drains the server's stderr and
notifies a condition per line; ``start`` waits for the "serving" line, then polls /healthz
with a bounded number of requests. ``stop`` sends SIGTERM and waits for the exit status.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from core import open_core

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Key:
    user: str
    access_key_id: str
    secret: str

    @property
    def bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_key_id}:{self.secret}"}


async def create_keys_async(data_dir: Path, roles: tuple[str, ...] = ("admin", "responder", "readonly"),
                            config: Any = None) -> dict[str, Key]:
    """One user per role (named after it) with one access key, made through the operations."""
    keys = {}
    async with open_core(data_dir, config=config) as core:
        client = core.client()
        for role in roles:
            await client.call("CreateUser", {"userName": role, "role": role})
            made = (await client.call("CreateAccessKey", {"userName": role}))["accessKey"]
            keys[role] = Key(role, made["accessKeyId"], made["secretAccessKey"])
    return keys


def create_keys(data_dir: Path, **kwargs: Any) -> dict[str, Key]:
    return asyncio.run(create_keys_async(data_dir, **kwargs))


def _record(line: str) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError:
        return {"unparsed": line}
    return record if isinstance(record, dict) else {"unparsed": line}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_command(data_dir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "cockpit.cli", "serve", "--data-dir", str(data_dir), *args]


class ServeProcess:
    def __init__(self, data_dir: Path, key: Key, *, port: int | None = None, args: tuple[str, ...] = ()) -> None:
        self.data_dir = data_dir
        self.key = key
        self.port = port or free_port()
        self.args = args
        self.url = f"http://127.0.0.1:{self.port}"
        self.verify: ssl.SSLContext | bool = True  # trust for a server started with --tls-cert
        self.lines: list[str] = []
        self._cond = threading.Condition()
        self.proc: subprocess.Popen[str] | None = None
        self._drain: threading.Thread | None = None
        self._eof = False

    @property
    def logs(self) -> list[dict[str, Any]]:
        """Every stderr line as a record; a line that is not JSON is ``{"unparsed": line}``."""
        with self._cond:
            return [_record(line) for line in self.lines]

    def _read(self) -> None:
        assert self.proc is not None and self.proc.stderr is not None
        for line in self.proc.stderr:
            with self._cond:
                self.lines.append(line.rstrip("\n"))
                self._cond.notify_all()
        with self._cond:
            self._eof = True  # the server closed stderr: it is exiting, nothing more will come
            self._cond.notify_all()

    def wait_for_log(self, predicate: Callable[[dict[str, Any]], bool], timeout: float = START_TIMEOUT_S) -> dict[str, Any]:
        """The first log record matching ``predicate``, waiting for it (on the stderr drain)."""
        found: list[dict[str, Any]] = []

        def ready() -> bool:
            for line in self.lines:
                record = _record(line)
                if "unparsed" not in record and predicate(record):
                    found.append(record)
                    return True
            return self._eof

        with self._cond:
            self._cond.wait_for(ready, timeout)
        if not found:
            raise AssertionError("the server never logged the awaited line:\n" + "\n".join(self.lines))
        return found[0]

    def start(self) -> ServeProcess:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("COCKPIT_", "AWS_"))}
        self.proc = subprocess.Popen(
            serve_command(self.data_dir, "--listen", f"127.0.0.1:{self.port}", "--log-format", "json", *self.args),
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        self._drain = threading.Thread(target=self._read, daemon=True)
        self._drain.start()
        self.wait_for_log(lambda r: r["message"].startswith("serving the core"))
        self.wait_healthy()
        return self

    def wait_healthy(self, attempts: int = 200) -> dict[str, Any]:
        """GET /healthz until it answers 200: a bounded loop of requests."""
        with httpx.Client(base_url=self.url, headers=self.key.bearer, timeout=5.0, verify=self.verify) as http:
            for _ in range(attempts):
                try:
                    response = http.get("/healthz")
                except httpx.TransportError:
                    continue
                if response.status_code == 200:
                    return response.json()
        raise AssertionError("the server never became healthy:\n" + "\n".join(self.lines))

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30.0) -> int:
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        code = self.proc.wait(timeout)
        assert self._drain is not None
        self._drain.join(timeout)
        return code

    def __enter__(self) -> ServeProcess:
        return self.start()

    @asynccontextmanager
    async def running(self) -> AsyncIterator[ServeProcess]:
        """From async code: start, and on the way out SIGTERM (unless the test already stopped
        it) and check the exit status is 0; on an error, kill."""
        await asyncio.to_thread(self.start)
        try:
            yield self
        except BaseException:
            self.__exit__()
            raise
        code = await asyncio.to_thread(self.stop)
        assert code == 0, "the server did not stop cleanly:\n" + "\n".join(self.lines)

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(30)
