"""The one place the cockpit builds an embedded core (the import-linter contract allows only
this module to reach past ``core.client``)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from core import open_core
from core.client.base import Client
from core.clock import Clock
from core.engine.replicas import Restored, restore_from_replica
from core.errors import ConfigError
from core.ops.registry import REGISTRY


@asynccontextmanager
async def embedded_client(
    data_dir: Path, clock: Clock | None = None, config: Any = None, *, origin: str = "local"
) -> AsyncIterator[Client]:
    """Open the workspace's core in this process and yield a client for it (``origin`` is
    what the audit trail records as where calls came from: "local" for the TUI, "cli")."""
    async with open_core(data_dir, clock=clock, config=config) as core:
        yield core.client(origin=origin)


Post = Callable[[str, dict[str, str], dict[str, Any]], Awaitable[tuple[int, dict[str, Any]]]]
"""``post(path, headers, json_body) -> (status, json_answer)``: one request to the core's HTTP API."""


@asynccontextmanager
async def embedded_client_and_http(
    data_dir: Path, clock: Clock | None = None, config: Any = None
) -> AsyncIterator[tuple[Client, Post]]:
    """``embedded_client``, and a ``post`` that sends a request to the same core's HTTP API (the
    app ``cockpit serve`` runs, called in this process without a socket): the demo posts its
    monitoring payloads to an integration's intake path as a monitoring source would."""
    async with open_core(data_dir, clock=clock, config=config) as core:
        from core.server.app import build_server_app

        app = build_server_app(core)

        async def post(path: str, headers: dict[str, str], body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
            return await _asgi_post(app, path, headers, json.dumps(body).encode())

        yield core.client(), post


async def _asgi_post(app: Any, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, Any]]:
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": [(b"content-type", b"application/json"),
                    *((k.lower().encode(), v.encode()) for k, v in headers.items())],
        "client": ("127.0.0.1", 0), "server": ("127.0.0.1", 0),
    }
    request = [{"type": "http.request", "body": body, "more_body": False}]
    status, chunks = 0, []

    async def receive() -> dict[str, Any]:
        return request.pop() if request else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, json.loads(b"".join(chunks) or b"{}")


async def embedded_call(data_dir: Path, config: Any, name: str, params: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """`cockpit call` without a server: run one operation in this process; also answers how
    many messages are left unsent when it exits (they wait for a core process to send them)."""
    async with open_core(data_dir, config=config) as core:
        result = await core.client(origin="cli").call(name, params)
        async with core.db.transaction() as tx:
            unsent = await tx.scalar("SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'held', 'sending')")
    return result, unsent


def serve(data_dir: Path, config: Any, **options: Any) -> int:
    """`cockpit serve`: run this workspace's core headless behind its HTTP APIs until SIGTERM."""
    from core.server.serve import ServeOptions, run_server

    return run_server(data_dir, config, ServeOptions(**options))


def operation_list() -> list[tuple[str, str, str]]:
    """(service, name, summary) for every operation, for `cockpit ops`."""
    return [(op.service, op.name, op.summary) for op in REGISTRY.all()]


def restore(data_dir: Path, region: str, config: Any = None, key_file: Path | None = None) -> Restored:
    """`cockpit restore --from REGION [--key FILE]`: bring the database back from a replica."""
    from core.config import load_config

    settings = load_config(data_dir, config)
    replica = settings.replicas.get(region)
    if replica is None:
        configured = ", ".join(sorted(settings.replicas)) or "none"
        raise ConfigError(f"no replica region named {region!r} in the configuration (configured: {configured})")
    return restore_from_replica(data_dir, replica, key_file)
