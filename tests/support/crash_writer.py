"""A process for the crash test: start incidents in a loop on DATA_DIR, printing each
acknowledged (committed) incident ARN on its own line, until it is killed.

    python -m tests.support.crash_writer DATA_DIR PLAN_ARN
"""

from __future__ import annotations

import asyncio
import sys

from core import open_core


async def main(data_dir: str, plan: str) -> None:
    async with open_core(data_dir) as core:
        client = core.client()
        n = 0
        while True:
            n += 1
            out = await client.call("StartIncident", {"responsePlanArn": plan, "title": f"crash {n}"})
            sys.stdout.write(out["incidentRecordArn"] + "\n")
            sys.stdout.flush()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
