"""A real core behind its HTTP server on 127.0.0.1 (uvicorn in-process), with one user per
role: admin, ann (responder), rita (readonly), and a replication set.

    async with served_core(core) as served:
        served.remote("ann")          # a RemoteClient acting as ann
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from core.client.remote import RemoteClient
from core.runtime import Core
from core.server.app import build_server_app
from tests.support.http_server import LocalHTTPServer


@dataclass
class Served:
    core: Core
    url: str
    keys: dict[str, tuple[str, str]]
    """user name -> (access key id, secret)"""

    async def add_user(self, name: str, role: str) -> tuple[str, str]:
        admin = self.core.client()
        await admin.call("CreateUser", {"userName": name, "role": role})
        key = (await admin.call("CreateAccessKey", {"userName": name}))["accessKey"]
        self.keys[name] = (key["accessKeyId"], key["secretAccessKey"])
        return self.keys[name]

    def remote(self, name: str) -> RemoteClient:
        key_id, secret = self.keys[name]
        return RemoteClient(self.url, key_id, secret, clock=self.core.clock)


@asynccontextmanager
async def served_core(core: Core) -> AsyncIterator[Served]:
    await core.client().call("CreateReplicationSet", {"regions": {core.region: {}}})
    async with LocalHTTPServer(build_server_app(core)) as server:
        served = Served(core, server.url, {})
        for name, role in (("admin", "admin"), ("ann", "responder"), ("rita", "readonly")):
            await served.add_user(name, role)
        try:
            yield served
        finally:
            core.bus.close()  # ends open event streams, so the server stops at once
