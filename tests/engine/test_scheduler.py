"""The scheduler's failure path: a timer whose handler raises is retried with exponential
backoff (2, 4, 8... seconds, at most 600), its error recorded each time and its writes rolled
back; after the last attempt it is marked ``failed`` and never runs again."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.engine import scheduler as sched

KIND = "test.always-fails"


@pytest.fixture
def failing(monkeypatch):
    runs = []

    async def handler(ctx, payload):
        runs.append(ctx.now)
        await ctx.tx.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (f"half-{len(runs)}", "written"))
        raise RuntimeError(f"provider down (run {len(runs)}, {payload['what']})")

    monkeypatch.setitem(sched.TIMER_KINDS, KIND, handler)
    return runs


async def _timer(core, timer_id):
    async with core.db.transaction() as tx:
        return dict(await tx.fetchone("SELECT state, attempts, last_error, due_us FROM timers WHERE id = ?",
                                      (timer_id,)))


async def test_a_failing_timer_backs_off_records_its_error_and_ends_failed(core, clock, failing):
    start = clock.now()
    async with core.db.transaction() as tx:
        timer_id = await core.scheduler.schedule(tx, KIND, start, {"what": "page"})
    await clock.advance(seconds=0)
    assert failing == [start]
    row = await _timer(core, timer_id)
    assert row["state"] == "pending" and row["attempts"] == 1
    assert row["last_error"] == "RuntimeError: provider down (run 1, page)"

    await clock.advance(hours=2)
    delays = [min(sched.MAX_BACKOFF_S, 2.0**n) for n in range(1, sched.MAX_ATTEMPTS)]
    assert len(failing) == sched.MAX_ATTEMPTS
    assert [(b - a).total_seconds() for a, b in zip(failing, failing[1:], strict=False)] == delays
    assert delays[:3] == [2, 4, 8] and delays[-1] == sched.MAX_BACKOFF_S
    row = await _timer(core, timer_id)
    assert row["state"] == "failed" and row["attempts"] == sched.MAX_ATTEMPTS
    assert row["last_error"] == f"RuntimeError: provider down (run {sched.MAX_ATTEMPTS}, page)"
    async with core.db.transaction() as tx:  # each failed run's writes were rolled back
        assert await tx.scalar("SELECT COUNT(*) FROM meta WHERE key LIKE 'half-%'") == 0

    await clock.advance(days=2)  # failed is final: no further run
    assert len(failing) == sched.MAX_ATTEMPTS
    assert await core.scheduler.pending_count() == 0
    assert start + timedelta(seconds=sum(delays)) == failing[-1]
