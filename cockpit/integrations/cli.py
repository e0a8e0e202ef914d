"""`cockpit integration create NAME --type TYPE --response-plan ARN [--json]` and
`cockpit integration list`, on the workspace's core opened in this process.

``create`` prints the intake path, the id and the token, once (the core keeps only the
token's hash); ``--json`` prints ``{"IntegrationId", "Token", "Path"}`` for scripts.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path
from typing import Any


def add_parser(sub: Any) -> None:
    integration = sub.add_parser("integration", help="alert intake integrations: create one, list them")
    verbs = integration.add_subparsers(dest="integration_command", metavar="VERB", required=True)
    create = verbs.add_parser("create", help="create an integration and print its intake path and token (once)")
    create.add_argument("name", metavar="NAME")
    create.add_argument("--type", required=True, dest="kind", metavar="TYPE",
                        help="cloudwatch-sns, eventbridge, alertmanager, grafana, opsgenie or generic")
    create.add_argument("--response-plan", required=True, metavar="ARN", help="the response plan its alerts start")
    create.add_argument("--resolve-on-recovery", action="store_true",
                        help="an OK/resolved/close alert resolves its incident")
    create.add_argument("--mapping", default=None, metavar="JSON",
                        help='generic: JSON Pointers, e.g. \'{"title": "/alert/name", "impact": "/sev"}\'')
    create.add_argument("--json", action="store_true", help='print {"IntegrationId", "Token", "Path"}')
    verbs.add_parser("list", help="list the integrations with their intake paths")


async def _create(data_dir: Path, config: Any, args: argparse.Namespace) -> dict[str, Any]:
    from cockpit.factory import embedded_client

    request: dict[str, Any] = {"name": args.name, "type": args.kind, "responsePlanArn": args.response_plan}
    if args.resolve_on_recovery:
        request["resolveOnRecovery"] = True
    if args.mapping is not None:
        try:
            request["mapping"] = json.loads(args.mapping)
        except json.JSONDecodeError as exc:
            raise SystemExit(f"cockpit integration create: --mapping is not JSON: {exc}") from None
    async with embedded_client(data_dir, config=config, origin="cli") as client:
        return await client.call("CreateIntegration", request)


async def _list(data_dir: Path, config: Any) -> list[dict[str, Any]]:
    from cockpit.factory import embedded_client

    async with embedded_client(data_dir, config=config, origin="cli") as client:
        found, token = [], None
        while True:
            page = await client.call("ListIntegrations", {"nextToken": token} if token else {})
            found.extend(page["integrations"])
            token = page.get("nextToken")
            if not token:
                return found


def run_integration(args: argparse.Namespace, data_dir: Path, config: Any) -> int:
    """Run one `cockpit integration` verb; service errors reach the CLI's common handler."""
    if args.integration_command == "create":
        made = asyncio.run(_create(data_dir, config, args))
        if args.json:
            print(json.dumps({"IntegrationId": made["integration"]["integrationId"], "Token": made["token"],
                              "Path": made["path"]}))
        else:
            print(f"Path:  {made['path']}")
            print(f"Id:    {made['integration']['integrationId']}")
            print(f"Token: {made['token']}")
            print("The token is shown only now: keep it in your alert source's settings.")
        return 0
    rows = asyncio.run(_list(data_dir, config))
    if not rows:
        print("no integrations (cockpit integration create NAME --type TYPE --response-plan ARN)")
    for row in rows:
        last = row.get("lastStatus", "-")
        print(f"{row['name']:<24} {row['type']:<15} {row['path']:<32} last: {last}")
    return 0
