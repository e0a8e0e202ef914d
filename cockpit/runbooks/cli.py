"""`cockpit runbook import FILE [--name NAME]` and `cockpit runbook validate FILE`.

``import`` saves a YAML or JSON SSM Automation document, or what `aws ssm get-document` prints,
as a runbook named for the file (or ``--name``); importing a name that exists adds a version.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from core.client.base import Client
from core.errors import ConflictException
from widgets.formatting import counted


def add_parser(sub: Any) -> None:
    runbook = sub.add_parser("runbook", help="runbooks (SSM Automation documents): import, validate")
    verbs = runbook.add_subparsers(dest="runbook_command", metavar="VERB", required=True)
    imported = verbs.add_parser("import", help="save a YAML/JSON document (or `aws ssm get-document` output) as a runbook")
    imported.add_argument("file", type=Path, metavar="FILE")
    imported.add_argument("--name", help="the runbook's name (default: the file's name without its extension)")
    verbs.add_parser("validate", help="list a document's problems without saving it").add_argument(
        "file", type=Path, metavar="FILE"
    )


async def _import(client: Client, content: str, name: str) -> str:
    try:
        made = (await client.call("CreateRunbook", {"name": name, "content": content}))["runbook"]
        verb = "Imported"
    except ConflictException:
        made = (await client.call("UpdateRunbook", {"name": name, "content": content}))["runbook"]
        verb = "Updated"
    return f"{verb} runbook {name} (version {made['version']}, {counted(len(made['steps']), 'step')})"


async def _validate(client: Client, content: str) -> tuple[bool, list[str]]:
    out = await client.call("GetRunbookValidation", {"content": content})
    return out["valid"], [p["message"] for p in out["problems"]]


def run_runbook(args: argparse.Namespace, data_dir: Path, config: Path | None) -> int:
    """Run one `cockpit runbook` verb; service errors reach the CLI's common handler."""
    from cockpit.factory import embedded_client

    try:
        content = args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"cockpit runbook: cannot read {args.file}: {exc.strerror if isinstance(exc, OSError) else exc}", file=sys.stderr)
        return 2

    async def run() -> int:
        async with embedded_client(data_dir, config=config, origin="cli") as client:
            if args.runbook_command == "import":
                print(await _import(client, content, args.name or args.file.stem))
                return 0
            valid, problems = await _validate(client, content)
            print(f"{args.file}: " + ("valid" if valid else counted(len(problems), 'problem')))
            for problem in problems:
                print(f"  {problem}")
            return 0 if valid else 1

    return asyncio.run(run())
