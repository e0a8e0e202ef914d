"""`cockpit attach URL`: the same cockpit, against a core that `cockpit serve` runs elsewhere.

The credentials are checked (GetCallerIdentity) before the screen opens, so a wrong key or an
unreachable core is one clear line, not a broken screen. Inside, the app holds a RemoteClient:
a lost connection shows "reconnecting" in the header, calls made meanwhile fail with a clear
message, and the missed events are replayed once the core is back. SIGHUP (the SSH session
went away) ends the app cleanly, as in the embedded cockpit.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from cockpit.remote.credentials import Credentials, CredentialsError, resolve_credentials
from core.client.base import Client


def add_parser(sub: Any) -> None:
    attach = sub.add_parser("attach", help="open the cockpit against a running core: cockpit attach URL")
    attach.add_argument("url", nargs="?", help="the core's URL (https://HOST:PORT); a profile may give it")
    attach.add_argument("--profile", metavar="NAME", help="URL and access key from [profiles.NAME] in ui.toml")


def remote_opener(creds: Credentials):
    """Opens a RemoteClient inside the app's event loop (httpx clients belong to one loop)."""
    from core.client.remote import RemoteClient

    @asynccontextmanager
    async def opener() -> AsyncIterator[Client]:
        client = RemoteClient(creds.url, creds.access_key_id, creds.secret_access_key)
        try:
            yield client
        finally:
            await client.aclose()

    return opener


async def _identity(creds: Credentials) -> dict[str, Any]:
    async with remote_opener(creds)() as client:
        return await client.call("GetCallerIdentity", {})


def run_attach(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from cockpit.build import build_app
    from cockpit.settings import load_settings
    from core.clock import SystemClock

    try:
        settings = load_settings()
        creds = resolve_credentials(args.url, args.profile, settings)
    except ValidationError as error:
        print(f"cockpit: the UI settings are invalid:\n{error}", file=sys.stderr)
        return 1
    except CredentialsError as err:
        print(f"cockpit attach: {err}", file=sys.stderr)
        return 2
    who = asyncio.run(_identity(creds))  # a ServiceError reaches the CLI's handler: one line
    print(f"Attaching to {creds.url} as {who['name']} ({who['role']}) …", file=sys.stderr)
    if who["role"] == "readonly":
        settings = settings.model_copy(update={"read_only": True})
    clock = SystemClock()
    app = build_app(remote_opener(creds), settings, clock=clock)
    result = app.run()
    return result if isinstance(result, int) else (app.return_code or 0)
