"""The crash test's child process: a core on the REAL clock that starts incidents whose
3-stage escalations (DurationInMinutes 0: every stage is due at once) page through SMTP.

    python -m tests.support.crash_child DATA_DIR SMTP_PORT MODE PLAN_ARN...

It prints one line at each checkpoint (``open``, ``incident <arn>``, ``timer <kind>`` when a
due timer's transaction starts, ``send <id>`` before the SMTP call and ``sent <id>`` after the
server accepted but before the outcome is written, ``done``). MODE ``lockstep`` blocks at each
checkpoint until the parent writes a byte to stdin (so a SIGKILL lands exactly there); MODE
``free`` runs on (so a kill lands wherever the child has got to by then).
"""

from __future__ import annotations

import asyncio
import os
import sys
from typing import Any


async def main(data_dir: str, port: int, mode: str, plans: list[str]) -> None:
    from core import open_core
    from core.engine import scheduler as sched
    from tests.support.mail import FROM_ADDRESS

    loop = asyncio.get_running_loop()
    one_at_a_time = asyncio.Lock()  # one line out, one ack byte in: never two readers on stdin

    async def checkpoint(line: str) -> None:
        async with one_at_a_time:
            sys.stdout.write(line + "\n")
            sys.stdout.flush()
            if mode == "lockstep" and not await loop.run_in_executor(None, os.read, 0, 1):
                raise SystemExit(0)

    def wrap_timer(kind: str) -> None:
        inner = sched.TIMER_KINDS[kind]

        async def handler(ctx: Any, payload: dict[str, Any]) -> None:
            await checkpoint(f"timer {kind}")  # inside the timer's transaction
            await inner(ctx, payload)

        sched.TIMER_KINDS[kind] = handler

    paging = {"email": {"host": "127.0.0.1", "port": port, "security": "none", "from_address": FROM_ADDRESS,
                        "timeout_seconds": 10}}
    async with open_core(data_dir, config={"paging": paging}) as core:
        wrap_timer("engagement.stage")
        wrap_timer("outbox.send")
        provider = core.outbox.providers["EMAIL"]
        send = provider.send

        async def checked_send(message: Any, now: Any) -> Any:
            await checkpoint(f"send {message.idempotency_key}")
            result = await send(message, now)
            await checkpoint(f"sent {message.idempotency_key}")  # delivered; outcome not yet stored
            return result

        provider.send = checked_send
        await checkpoint("open")
        client = core.client()
        for plan in plans:
            out = await client.call("StartIncident", {"responsePlanArn": plan})
            await checkpoint(f"incident {out['incidentRecordArn']}")
        while await core.scheduler.wait_idle() or await core.outbox.wait_idle():
            pass
        await checkpoint("done")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]))
