"""`cockpit analysis create INCIDENT_ARN [--template NAME] [--name NAME]` and
`cockpit analysis export ID [-o FILE]`, on the workspace's core opened in this process or, with
`--endpoint URL [--profile NAME]`, on a running `cockpit serve`."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

from cockpit.analyses.markdown import render
from cockpit.endpoint import Opener, add_endpoint_arguments


def add_parser(sub: Any) -> None:
    analysis = sub.add_parser("analysis", help="post-incident analyses: create one, export one as Markdown")
    verbs = analysis.add_subparsers(dest="analysis_command", metavar="VERB", required=True)
    create = verbs.add_parser("create", help="start an analysis of a resolved incident and print its id")
    create.add_argument("incident", metavar="INCIDENT_ARN")
    create.add_argument("--template", default="Standard", metavar="NAME", help="analysis template (default Standard)")
    create.add_argument("--name", default=None, metavar="NAME", help="default: 'Analysis: <incident title>'")
    add_endpoint_arguments(create)
    export = verbs.add_parser("export", help="write the whole analysis as Markdown")
    export.add_argument("analysis_id", metavar="ID", help="the analysis id (or its ARN)")
    export.add_argument("-o", "--output", type=Path, default=None, metavar="FILE", help="default: standard output")
    add_endpoint_arguments(export)


async def _create(open_client: Opener, args: argparse.Namespace) -> str:
    async with open_client() as client:
        name = args.name
        if name is None:
            record = (await client.call("GetIncidentRecord", {"arn": args.incident}))["incidentRecord"]
            name = f"Analysis: {record['title']}"[:200]
        made = await client.call("CreateAnalysis", {"incidentRecordArn": args.incident, "name": name,
                                                    "templateName": args.template})
        return made["analysisId"]


async def _export(open_client: Opener, analysis_id: str) -> str:
    async with open_client() as client:
        return render((await client.call("GetAnalysis", {"analysisId": analysis_id}))["analysis"])


def run_analysis(args: argparse.Namespace, open_client: Opener) -> int:
    """Run one `cockpit analysis` verb; service errors reach the CLI's common handler."""
    if args.analysis_command == "create":
        print(asyncio.run(_create(open_client, args)))
        return 0
    text = asyncio.run(_export(open_client, args.analysis_id))
    if args.output is None:
        print(text, end="")
    else:
        args.output.write_text(text, encoding="utf-8")
    return 0
