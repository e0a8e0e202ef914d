"""A process for the group-commit crash test: CONCURRENCY callers start incidents on DATA_DIR
at once (so their transactions commit in groups), every fifth call refused on purpose (its
failure is audited in a transaction of its own). Prints "commit" after each COMMIT and each
acknowledged (returned) incident ARN on its own line, until it is killed.

    python -m tests.support.group_crash_writer DATA_DIR PLAN_ARN CONCURRENCY
"""

from __future__ import annotations

import asyncio
import sys

from core import open_core
from core.errors import ServiceError


def _line(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


async def main(data_dir: str, plan: str, concurrency: int) -> None:
    async with open_core(data_dir) as core:
        core.db.commit_hooks.append(lambda: _line("commit"))
        client = core.client()

        async def caller(n: int) -> None:
            while True:
                n += concurrency
                arn = plan if n % 5 else plan + "-missing"
                try:
                    out = await client.call("StartIncident", {"responsePlanArn": arn, "title": f"crash {n}"})
                except ServiceError:
                    continue
                _line(out["incidentRecordArn"])

        await asyncio.gather(*(caller(i) for i in range(concurrency)))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
