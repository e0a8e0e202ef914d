"""`cockpit report [--days N | --from DATE --to DATE] [--zone ZONE] [--csv]`: the report's tables
in the terminal, or all its figures as CSV on standard output; on the workspace's core opened in
this process or, with `--endpoint URL [--profile NAME]`, on a running `cockpit serve`."""

from __future__ import annotations

import argparse
import asyncio
import csv
import sys
from datetime import datetime
from typing import Any

from cockpit.endpoint import Opener, add_endpoint_arguments
from cockpit.reports.figures import csv_rows, tables
from widgets.formatting import counted


def add_parser(sub: Any) -> None:
    report = sub.add_parser("report", help="time to engage/acknowledge/resolve, pages, incidents per week")
    report.add_argument("--days", type=int, default=30, help="the last N days (default 30)")
    report.add_argument("--from", dest="start", default=None, metavar="DATE", help="ISO date or time (UTC if no zone)")
    report.add_argument("--to", dest="end", default=None, metavar="DATE", help="ISO date or time (default: now)")
    report.add_argument("--zone", default="UTC", help="IANA zone for hours and weeks (default UTC)")
    report.add_argument("--csv", action="store_true", help="write every figure as CSV (seconds)")
    add_endpoint_arguments(report)


def request_of(args: argparse.Namespace) -> dict[str, Any]:
    from core.timeutil import parse_timestamp

    request: dict[str, Any] = {"timeZone": args.zone, "days": args.days}
    try:
        if args.end:
            request["endTime"] = parse_timestamp(args.end)
        if args.start:
            request["startTime"] = parse_timestamp(args.start)
    except ValueError as err:
        raise SystemExit(f"cockpit report: --from/--to: {err}") from None
    return request


async def _report(open_client: Opener, request: dict[str, Any]) -> dict[str, Any]:
    async with open_client() as client:
        return (await client.call("GetIncidentReport", request))["report"]


def _print(report: dict[str, Any]) -> None:
    start: datetime = report["startTime"]
    end: datetime = report["endTime"]
    print(f"{counted(report['incidentCount'], 'incident')} from {start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} UTC"
          f" (hours and weeks in {report['timeZone']})")
    for table in tables(report):
        print(f"\n{table.title}")
        widths = [max(len(str(c)) for c in col) for col in zip(table.headers, *table.rows, strict=False)]
        for row in (table.headers, *table.rows):
            print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=False)).rstrip())


def run_report(args: argparse.Namespace, open_client: Opener) -> int:
    report = asyncio.run(_report(open_client, request_of(args)))
    if args.csv:
        csv.writer(sys.stdout, lineterminator="\n").writerows(csv_rows(report))
    else:
        _print(report)
    return 0
