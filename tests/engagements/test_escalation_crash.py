"""SIGKILL the core while 3-stage escalations page through a real SMTP server, then SIGKILL it
again while it recovers; after a last recovery every page is accounted for.

Each run copies a prepared workspace and runs three processes on one data directory:

1. ``crash_child run`` (fake clock at T0): starts the incidents; stages wait 1 minute; at
   T0+30 s the first incident's page is acknowledged (its contact is essential, so its
   escalation stops); the others' later stages fire at T0+1 min and T0+2 min. It is killed at a
   checkpoint of the run's choosing: just before an SMTP send, just after the server accepted
   one (outcome not yet stored), at a random checkpoint, or at a random moment (``free``).
2. ``crash_child recover`` (T0+5 min): the recovery re-sends what was left ``sending`` once,
   with the same Message-ID, and fires overdue stages. It is killed at its first send or
   first accepted delivery, so a message can be left ``sending`` a second time.
3. This process opens the workspace (T0+10 min) and checks, from the database and from the
   SMTP server's deliveries, counted per page by the ``X-Cockpit-Page`` header:
   - an acknowledged incident paged its first stage only; the others paged all three stages;
   - every delivery of one page carries the same Message-ID, and no page arrives three times;
   - every page is sent (and arrived at least once) or, after two unknown outcomes, marked
     ``failed`` instead of being sent a third time; no timer is left pending.
"""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import signal
import sys
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

from core import FakeClock, open_core
from core.paging.email import message_id_for
from tests.support.contacts import escalation_plan, personal_contact
from tests.support.mail import FROM_ADDRESS, MailSink

ROOT = Path(__file__).resolve().parents[2]
INCIDENTS = 2
# phase-1 kill targets, cycled over the runs: (mode, checkpoint kind or None for any)
TARGETS = [("lockstep", "sent"), ("lockstep", "send"), ("lockstep", None), ("free", None)]
RUNS = 6
LINE_TIMEOUT_S = 60  # a hang guard only: a wedged child fails the test instead of stalling it
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def _template(path: Path) -> list[str]:
    """INCIDENTS response plans, each engaging its own escalation of three essential personal
    contacts, one a stage, each stage waiting 1 minute (distinct addresses: no rate limit)."""
    async with open_core(path, clock=FakeClock(T0 - timedelta(minutes=1))) as core:
        client = core.client()
        await client.call("CreateReplicationSet", {"regions": {core.region: {}}})
        plans = []
        for i in range(INCIDENTS):
            people = []
            for name in ("ann", "bo", "cy"):
                contact, _ = await personal_contact(client, f"{name}{i}", [("EMAIL", f"{name}{i}@crash.test")])
                people.append(contact)
            esc = await escalation_plan(client, f"esc{i}", [(1, [(p, True)]) for p in people])
            plan = await client.call("CreateResponsePlan", {"name": f"crash{i}", "engagements": [esc],
                                                             "incidentTemplate": {"title": f"Crash {i}", "impact": 1}})
            plans.append(plan["arn"])
        await core.clock.advance(seconds=1)  # the activation messages (LOCAL outbox) are done
    return plans


async def _run_child(run_dir: Path, sink: MailSink, phase: str, mode: str, kill_at, plans=()) -> list[str]:
    """Run the child until ``kill_at(lines)`` says to kill it (or it is done); its lines."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.support.crash_child", str(run_dir), str(sink.port), mode, phase,
        T0.isoformat(), *plans,
        cwd=ROOT, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    lines: list[str] = []
    try:
        while True:
            try:
                raw = await asyncio.wait_for(proc.stdout.readline(), timeout=LINE_TIMEOUT_S)
            except TimeoutError:
                proc.send_signal(signal.SIGKILL)
                await proc.wait()
                err = (await proc.stderr.read()).decode()
                raise AssertionError(f"{phase} child hung in {mode} mode after {lines[-5:]}:\n{err}") from None
            if not raw:
                break
            lines.append(raw.decode().strip())
            if lines[-1] == "done" or kill_at(lines):
                break
            if mode == "lockstep":
                proc.stdin.write(b"\n")
                await proc.stdin.drain()
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGKILL)
        await proc.wait()
    if not lines or (lines[-1] != "done" and proc.returncode != -signal.SIGKILL):
        err = (await proc.stderr.read()).decode()
        raise AssertionError(f"{phase} child exited {proc.returncode} after {lines[-5:]}:\n{err}")
    return lines


def _phase_one_kill(rng: random.Random, mode: str, kind: str | None, after_ack: bool):
    if mode == "free":  # the child runs on: a kill after a few lines lands anywhere in what follows
        count = rng.randint(2, 12)
        return lambda lines: len(lines) >= count
    if kind is None:
        count = rng.randint(1, 30)
        return lambda lines: len(lines) >= count
    # the run sends 4 pages: both first stages (1, 2), the ack, then the other incident's
    # later stages (3, 4); each cycle of TARGETS kills once after the ack and once before
    nth = rng.randint(3, 4) if after_ack else rng.randint(1, 2)
    return lambda lines: sum(line.startswith(kind + " ") for line in lines) >= nth


async def _final_check(run_dir: Path, sink: MailSink) -> Counter[str]:
    clock = FakeClock(T0 + timedelta(minutes=10))
    async with open_core(run_dir, clock=clock, config={"paging": sink.paging_config()}) as core:
        await clock.advance(seconds=1)
        await clock.advance(minutes=2)
        async with core.db.transaction() as tx:
            incidents = [r["arn"] for r in await tx.fetchall("SELECT arn FROM incidents")]
            pages = await tx.fetchall("SELECT arn, incident_id, read_us FROM pages")
            rows = {r["page_arn"]: r for r in await tx.fetchall(
                "SELECT message_id, page_arn, status, unknown_outcomes, last_error FROM outbox WHERE kind = 'page'")}
            timers = await tx.scalar("SELECT COUNT(*) FROM timers WHERE state = 'pending'")
    deliveries: dict[str, list[str]] = defaultdict(list)
    for m in sink.messages:
        deliveries[m["X-Cockpit-Page"]].append(m["Message-ID"])
    by_incident: dict[str, list] = defaultdict(list)
    for page in pages:
        by_incident[page["incident_id"]].append(page)
    totals: Counter[str] = Counter()
    for incident in incidents:
        acked = any(p["read_us"] for p in by_incident[incident])
        assert len(by_incident[incident]) == (1 if acked else 3), (incident, acked)
        totals["acknowledged" if acked else "escalated"] += 1
    assert timers == 0
    for page in pages:
        row = rows[page["arn"]]
        got = deliveries[page["arn"]]
        # every delivery of one page is the same message: one Message-ID, the row's
        assert set(got) <= {message_id_for(row["message_id"], FROM_ADDRESS)}, (page["arn"], got)
        assert len(got) <= 2, (page["arn"], got)
        if row["status"] == "sent":
            assert got, f"page {page['arn']} is marked sent but never arrived"
        else:  # the only way not to send: two unknown outcomes, never a third attempt
            assert row["status"] == "failed" and row["unknown_outcomes"] >= 1, dict(row)
            assert "unknown twice" in row["last_error"]
            totals["failed after two unknown outcomes"] += 1
        totals["pages"] += 1
        totals["arrived twice"] += len(got) == 2
    return totals


async def test_sigkill_during_paging_and_again_during_recovery_loses_no_page(tmp_path):
    seed = int(os.environ.get("CRASH_SEED", "0")) or random.SystemRandom().randrange(10**9)
    rng = random.Random(seed)
    template = tmp_path / "template"
    plans = await _template(template)
    totals: Counter[str] = Counter()
    kills: Counter[str] = Counter()
    async with MailSink() as sink:
        for run in range(RUNS):
            run_dir = tmp_path / f"run{run}"
            shutil.copytree(template, run_dir)
            mode, kind = TARGETS[run % len(TARGETS)]
            cycle = run // len(TARGETS)  # the first cycle kills after the ack and again after delivery
            first = await _run_child(run_dir, sink, "run", mode, _phase_one_kill(rng, mode, kind, cycle % 2 == 0),
                                     plans)
            # the recovery is killed at the re-send of the message the first kill left sending
            # (or at its first send, when there was none): after the server accepted it, or before
            verb, _, message = first[-1].partition(" ")
            target = f"{('sent', 'send')[cycle % 2]} {message if verb in ('send', 'sent') else ''}"
            second = await _run_child(run_dir, sink, "recover", "lockstep",
                                      lambda lines, t=target: lines[-1].startswith(t))
            kills[f"run:{first[-1].split()[0]} recover:{second[-1].split()[0]}"] += 1
            try:
                totals.update(await _final_check(run_dir, sink))
            except AssertionError as exc:
                raise AssertionError(f"CRASH_SEED={seed} run {run} killed after {first[-3:]} then {second[-3:]}: "
                                     f"{exc}") from exc
            shutil.rmtree(run_dir)
    print(f"\ncrash CRASH_SEED={seed} kills={dict(kills)} totals={dict(totals)}")
    # the runs reached what they claim to exercise
    assert totals["acknowledged"] > 0 and totals["escalated"] > 0
    assert totals["failed after two unknown outcomes"] > 0
    assert totals["arrived twice"] > 0
