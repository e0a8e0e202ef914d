"""SIGKILL the core at random points during 3-stage escalations; after reopening, every page
that was due is sent, none is lost, and no message is delivered more than twice.

The child (tests/support/crash_child.py) runs on the real clock against a real SMTP server run
here; deliveries are counted at the server by Message-ID. Kill points come from the child's
stdout: in ``lockstep`` runs the child blocks at each checkpoint, so the kill lands exactly
there (inside a timer's transaction, after the SMTP server accepted a page but before the
outcome was stored, ...); in ``free`` runs it runs on while the parent reads.
"""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import signal
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from core import FakeClock, open_core
from core.paging.email import message_id_for
from tests.support.contacts import escalation_plan, personal_contact
from tests.support.mail import FROM_ADDRESS, MailSink

ROOT = Path(__file__).resolve().parents[2]
INCIDENTS = 3
RUNS = 24
BUDGET_S = 75.0


async def _template(path: Path) -> list[str]:
    """A workspace with INCIDENTS response plans, each engaging its own 3-stage escalation of
    three personal contacts (distinct addresses, so no page is rate limited)."""
    async with open_core(path, clock=FakeClock(datetime.now(UTC))) as core:
        client = core.client()
        await client.call("CreateReplicationSet", {"regions": {core.region: {}}})
        plans = []
        for i in range(INCIDENTS):
            people = []
            for name in ("ann", "bo", "cy"):
                contact, _ = await personal_contact(client, f"{name}{i}", [("EMAIL", f"{name}{i}@crash.test")])
                people.append(contact)
            esc = await escalation_plan(client, f"esc{i}", [(0, [(people[0], True)]), (0, [(people[1], True)]),
                                                            (0, [(people[2], True)])])
            plan = await client.call("CreateResponsePlan", {"name": f"crash{i}", "engagements": [esc],
                                                             "incidentTemplate": {"title": f"Crash {i}", "impact": 1}})
            plans.append(plan["arn"])
        await core.clock.advance(seconds=1)  # the activation messages (LOCAL outbox) are done
    return plans


async def _run_child(run_dir: Path, sink: MailSink, plans: list[str], mode: str, kill_after: int) -> list[str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.support.crash_child", str(run_dir), str(sink.port), mode, *plans,
        cwd=ROOT, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    lines: list[str] = []
    try:
        while len(lines) < kill_after:
            try:
                raw = await asyncio.wait_for(proc.stdout.readline(), timeout=30)
            except TimeoutError:
                proc.send_signal(signal.SIGKILL)
                await proc.wait()
                err = (await proc.stderr.read()).decode()
                raise AssertionError(f"child hung in {mode} mode after {lines}:\n{err}") from None
            if not raw:
                break
            lines.append(raw.decode().strip())
            if len(lines) < kill_after and mode == "lockstep":
                proc.stdin.write(b"\n")
                await proc.stdin.drain()
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGKILL)
        await proc.wait()
    if not lines or (lines[-1] != "done" and proc.returncode != -signal.SIGKILL):
        err = (await proc.stderr.read()).decode()
        raise AssertionError(f"child exited {proc.returncode} after {lines}:\n{err}")
    return lines


async def _recover_and_check(run_dir: Path, sink: MailSink) -> dict[str, int]:
    clock = FakeClock(datetime.now(UTC) + timedelta(seconds=5))
    async with open_core(run_dir, clock=clock, config={"paging": sink.paging_config()}) as core:
        await clock.advance(seconds=1)
        await clock.advance(minutes=2)
        async with core.db.transaction() as tx:
            incidents = [r["arn"] for r in await tx.fetchall("SELECT arn FROM incidents")]
            pages = await tx.fetchall(
                "SELECT p.arn, p.incident_id, p.sent_us FROM pages p JOIN engagements e ON e.arn = p.engagement_arn"
                " WHERE e.contact_type = 'PERSONAL'")
            personal = await tx.fetchall("SELECT incident_id FROM engagements WHERE contact_type = 'PERSONAL'")
            rows = await tx.fetchall("SELECT message_id, page_arn, status, unknown_outcomes FROM outbox WHERE kind = 'page'")
            timers = await tx.scalar("SELECT COUNT(*) FROM timers WHERE state = 'pending'")
    # every stage of every started escalation was due (0-minute stages): 3 pages per incident
    assert Counter(r["incident_id"] for r in personal) == {i: 3 for i in incidents}
    assert len(pages) == 3 * len(incidents)
    assert timers == 0
    assert all(r["status"] == "sent" for r in rows), [tuple(r) for r in rows]
    delivered = sink.by_message_id()
    for page in pages:
        assert page["sent_us"] is not None, page["arn"]
        ids = [message_id_for(r["message_id"], FROM_ADDRESS) for r in rows if r["page_arn"] == page["arn"]]
        assert len(ids) >= 1
        # never lost: the SMTP server has it; at most one duplicate
        assert 1 <= sum(delivered[i] for i in ids) <= 2, (page["arn"], [delivered[i] for i in ids])
    return {"incidents": len(incidents), "pages": len(pages),
            "duplicates": sum(1 for r in rows if delivered[message_id_for(r["message_id"], FROM_ADDRESS)] == 2),
            "recovered": sum(1 for r in rows if r["unknown_outcomes"])}


async def test_sigkill_at_random_points_loses_no_page(tmp_path):
    seed = int(os.environ.get("CRASH_SEED", time.time_ns() % 10**9))
    rng = random.Random(seed)
    template = tmp_path / "template"
    plans = await _template(template)
    totals: Counter[str] = Counter()
    kill_points: Counter[str] = Counter()
    started = time.monotonic()
    runs = 0
    async with MailSink() as sink:
        while runs < RUNS and time.monotonic() - started < BUDGET_S:
            run_dir = tmp_path / f"run{runs}"
            shutil.copytree(template, run_dir)
            mode = "lockstep" if runs % 3 != 2 else "free"
            # about 1 + 3 + 6 + 9 + 18 checkpoints before "done"
            kill_after = rng.randint(1, 38)
            lines = await _run_child(run_dir, sink, plans, mode, kill_after)
            kill_points[lines[-1].split()[0] if lines else "start"] += 1
            try:
                totals.update(await _recover_and_check(run_dir, sink))
            except AssertionError as exc:
                raise AssertionError(f"CRASH_SEED={seed} run {runs} ({mode}) killed after {lines[-3:]}: {exc}") from exc
            shutil.rmtree(run_dir)
            runs += 1
    # no Message-ID anywhere reached the server more than twice
    assert max(sink.by_message_id().values(), default=0) <= 2
    print(f"\ncrash CRASH_SEED={seed} runs={runs} kill points={dict(kill_points)} totals={dict(totals)}")
    assert runs >= 20
    assert totals["pages"] > 0
