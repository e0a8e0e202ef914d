"""`cockpit user create|list|disable|enable|rotate-key|delete`: users and their access keys.

On a data directory no server holds, the commands open the core in this process (as the local
administrator: the first admin is made before the first `cockpit serve`). With
``--endpoint URL`` they call a running core as an admin user (credentials as for attach).
A new key's secret is printed once, here, and nowhere else.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from pathlib import Path
from typing import Any

from cockpit.remote.credentials import CredentialsError, resolve_credentials
from cockpit.settings import load_settings
from core.client.base import Client

Opener = Callable[[], AbstractAsyncContextManager[Client]]


def add_parser(sub: Any) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--endpoint", metavar="URL", help="a running core (`cockpit serve`) to call as an admin")
    common.add_argument("--profile", metavar="NAME", help="credentials for --endpoint from the settings file")
    common.add_argument("--json", action="store_true", help="print JSON")
    user = sub.add_parser("user", help="users and their access keys: create, list, disable, rotate-key")
    verbs = user.add_subparsers(dest="user_command", metavar="VERB", required=True)
    create = verbs.add_parser("create", parents=[common], help="create a user and print its access key once")
    create.add_argument("name")
    create.add_argument("--role", required=True, help="admin, responder or readonly")
    create.add_argument("--contact", metavar="ARN", help="link the user to this PERSONAL contact")
    verbs.add_parser("list", parents=[common], help="list users, roles and access key ids")
    for verb, text in (("disable", "stop a user's keys from working"), ("enable", "let a disabled user in again"),
                       ("rotate-key", "give a user a new access key and delete its old ones"),
                       ("delete", "delete a user and its keys")):
        verbs.add_parser(verb, parents=[common], help=text).add_argument("name")


def _opener(args: argparse.Namespace, data_dir: Path, config: Path | None) -> Opener:
    if args.endpoint is None and args.profile is None:
        from cockpit.factory import embedded_client

        return lambda: embedded_client(data_dir, config=config, origin="cli")
    from cockpit.remote.attach import remote_opener

    return remote_opener(resolve_credentials(args.endpoint, args.profile, load_settings()))


def _print_key(key: dict[str, Any], as_json: bool, what: str) -> None:
    if as_json:
        print(json.dumps({"AccessKeyId": key["accessKeyId"], "SecretAccessKey": key["secretAccessKey"]}))
        return
    print(what)
    print(f"AccessKeyId:     {key['accessKeyId']}")
    print(f"SecretAccessKey: {key['secretAccessKey']}")
    print("The secret is shown only now: keep it (a [profiles.NAME] table in ui.toml, or "
          "COCKPIT_ACCESS_KEY_ID / COCKPIT_SECRET_ACCESS_KEY).")


async def _create(client: Client, args: argparse.Namespace) -> None:
    request = {"userName": args.name, "role": args.role, "withAccessKey": True}
    if args.contact:
        request["contactArn"] = args.contact
    key = (await client.call("CreateUser", request))["accessKey"]
    _print_key(key, args.json, f"Created user {args.name} ({args.role}).")


async def _list(client: Client, args: argparse.Namespace) -> None:
    users: list[dict[str, Any]] = []
    token = None
    while True:
        page = await client.call("ListUsers", {"nextToken": token} if token else {})
        users += page["users"]
        token = page.get("nextToken")
        if not token:
            break
    if args.json:
        print(json.dumps(users, default=lambda v: v.isoformat() if isinstance(v, datetime) else str(v), indent=2))
        return
    if not users:
        print("No users yet: `cockpit user create NAME --role admin` makes the first admin.")
        return
    print(f"{'NAME':<24} {'ROLE':<10} {'STATE':<9} {'ACCESS KEYS':<45} CONTACT")
    for u in users:
        keys = ", ".join(k["accessKeyId"] for k in u["accessKeys"]) or "-"
        state = "enabled" if u["enabled"] else "disabled"
        print(f"{u['userName']:<24} {u['role']:<10} {state:<9} {keys:<45} {u.get('contactArn', '-')}")


async def _rotate(client: Client, args: argparse.Namespace) -> None:
    key = (await client.call("RotateAccessKey", {"userName": args.name}))["accessKey"]
    _print_key(key, args.json, f"New access key for {args.name}; its old keys no longer work.")


async def _simple(client: Client, args: argparse.Namespace) -> None:
    verb = args.user_command
    if verb == "delete":
        await client.call("DeleteUser", {"userName": args.name})
    else:
        await client.call("UpdateUser", {"userName": args.name, "enabled": verb == "enable"})
    done = {"delete": "deleted", "disable": "disabled: its keys no longer work", "enable": "enabled"}[verb]
    if args.json:
        print(json.dumps({"userName": args.name, "result": verb}))
    else:
        print(f"User {args.name} {done}.")


VERBS = {"create": _create, "list": _list, "rotate-key": _rotate, "disable": _simple, "enable": _simple,
         "delete": _simple}


async def _run(opener: Opener, args: argparse.Namespace) -> None:
    async with opener() as client:
        await VERBS[args.user_command](client, args)


def run_user(args: argparse.Namespace, data_dir: Path, config: Path | None) -> int:
    """Run one `cockpit user` verb; service errors reach the CLI's common handler."""
    try:
        opener = _opener(args, data_dir, config)
    except CredentialsError as err:
        print(f"cockpit user: {err}", file=sys.stderr)
        return 2
    asyncio.run(_run(opener, args))
    return 0
