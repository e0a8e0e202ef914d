"""The escalation crash test's child process: a core on a fake clock whose incidents page, stage
by stage, through SMTP.

    python -m tests.support.crash_child DATA_DIR SMTP_PORT MODE PHASE START_ISO [PLAN_ARN...]

PHASE ``run`` opens the core at START, starts one incident per plan (each engages a 3-stage
escalation whose stages wait 1 minute), lets 30 seconds pass (the first stage's pages go out),
acknowledges the first incident's page (its contact is essential: the escalation stops), then
lets two more minutes pass in 30-second steps, so the other incidents' later stages fire.
PHASE ``recover`` opens the same data directory at START + 5 minutes (the recovery of messages
left ``sending`` and of overdue timers) and lets two minutes pass.

It prints one line at each checkpoint: ``open``, ``incident <arn>``, ``timer <kind>`` when a due
timer's transaction starts, ``send <id>`` before the SMTP call, ``sent <id>`` after the server
accepted the message but before the outcome is stored, ``ack <page arn>`` once the
acknowledgement committed, ``step`` after each 30 seconds, and ``done``. MODE ``lockstep``
blocks at each checkpoint until the parent writes a byte to stdin (so a SIGKILL lands exactly
there); MODE ``free`` runs on (so a kill lands wherever the child has got to by then).
"""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import datetime, timedelta
from typing import Any

STEP_S = 30
RECOVERY_DELAY = timedelta(minutes=5)


async def main(data_dir: str, port: int, mode: str, phase: str, start: str, plans: list[str]) -> None:
    from core import FakeClock, open_core
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

    at = datetime.fromisoformat(start) + (RECOVERY_DELAY if phase == "recover" else timedelta(0))
    clock = FakeClock(at)
    paging = {"email": {"host": "127.0.0.1", "port": port, "security": "none", "from_address": FROM_ADDRESS,
                        "timeout_seconds": 10}}
    wrap_timer("engagement.stage")
    wrap_timer("outbox.send")
    async with open_core(data_dir, clock=clock, config={"paging": paging}) as core:
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
        incidents = []
        for plan in plans:
            out = await client.call("StartIncident", {"responsePlanArn": plan})
            incidents.append(out["incidentRecordArn"])
            await checkpoint(f"incident {out['incidentRecordArn']}")
        steps = 4 if phase == "recover" else 5
        for step in range(steps):
            await clock.advance(STEP_S)
            await checkpoint("step")
            if step == 0 and incidents:
                async with core.db.transaction() as tx:
                    page = await tx.scalar(
                        "SELECT arn FROM pages WHERE incident_id = ? ORDER BY created_us LIMIT 1", (incidents[0],))
                await client.call("AcceptPage", {"PageId": page, "AcceptType": "READ", "AcceptCode": "000000"})
                await checkpoint(f"ack {page}")
        await checkpoint("done")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6:]))
