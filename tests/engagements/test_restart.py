"""Timers are rows: a core that was down when a stage fell due fires it as soon as it is back."""

from __future__ import annotations

from datetime import timedelta

from core import FakeClock, open_core
from tests.support.contacts import escalation_plan, personal_contact, sent_pages


async def test_a_stage_due_while_the_core_was_down_fires_at_once_on_restart(data_dir, clock):
    async with open_core(data_dir, clock=clock) as core:
        client = core.client()
        await client.call("CreateReplicationSet", {"regions": {core.region: {}}})
        alice, _ = await personal_contact(client, "alice", [("EMAIL", "alice@example.com")])
        bob, _ = await personal_contact(client, "bob", [("EMAIL", "bob@example.com")])
        esc = await escalation_plan(client, "esc", [(5, [(alice, False)]), (5, [(bob, True)])])
        await client.call("StartEngagement", {"ContactId": esc, "Sender": "ops", "Subject": "s", "Content": "c"})
        await clock.advance(seconds=1)
        assert [p["contactArn"] for p in await sent_pages(client)] == [alice]

    later = FakeClock(clock.now() + timedelta(hours=3))  # the core was down for three hours
    async with open_core(data_dir, clock=later) as core:
        client = core.client()
        await later.advance(0)
        pages = await sent_pages(client)
        assert [p["contactArn"] for p in pages] == [alice, bob]
        assert pages[1]["sentTime"] == later.now()
        assert await core.scheduler.pending_count() == 0
