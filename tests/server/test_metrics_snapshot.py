"""What /metrics and /healthz read from the store, on fake time: pages by channel type and
outcome (a rate-limited page counts as held, and stays counted once bundled), open incidents
by impact, the scheduler's lag behind an overdue timer, the outbox backlog."""

from __future__ import annotations

from core import open_core
from core.server.metrics import read_snapshot
from tests.support.mail import MailSink

ADDRESS = "metrics@example.com"


async def test_pages_held_by_the_rate_limit_are_counted_as_held(data_dir, clock):
    async with MailSink() as sink, open_core(data_dir, clock=clock, config={"paging": sink.paging_config()}) as core:
        client = core.client()
        await client.call("CreateReplicationSet", {"regions": {core.region: {}}})
        contact = (await client.call("CreateContact", {"Alias": "m", "Type": "PERSONAL", "Plan": {"Stages": []}}))["ContactArn"]
        channel = (await client.call("CreateContactChannel", {
            "ContactId": contact, "Name": "mail", "Type": "EMAIL", "DeliveryAddress": {"SimpleAddress": ADDRESS}}))["ContactChannelArn"]
        await clock.advance(seconds=1)
        await client.call("ActivateContactChannel", {"ContactChannelId": channel,
                                                     "ActivationCode": sink.to(ADDRESS)[-1].code("Activation code")})
        await client.call("UpdateContact", {"ContactId": contact, "Plan": {"Stages": [
            {"DurationInMinutes": 0, "Targets": [{"ChannelTargetInfo": {"ContactChannelId": channel}}]}]}})
        for impact in (1, 1, 4):
            plan = await client.call("CreateResponsePlan", {"name": f"p{impact}-{len(sink.messages)}", "engagements": [contact],
                                                             "incidentTemplate": {"title": "t", "impact": impact}})
            await client.call("StartIncident", {"responsePlanArn": plan["arn"]})
            await clock.advance(seconds=1)
        snap = await read_snapshot(core)
        assert snap.open_incidents_by_impact == {1: 2, 4: 1}
        assert snap.pages[("EMAIL", "sent")] == 1 and snap.pages[("EMAIL", "held")] == 2
        assert snap.pages[("EMAIL", "failed")] == 0
        await clock.advance(minutes=2)  # the held pages go out as one bundle: still counted as held
        snap = await read_snapshot(core)
        assert snap.pages[("EMAIL", "held")] == 2 and snap.outbox_backlog == 0 and snap.scheduler_lag_seconds == 0


async def test_scheduler_lag_is_the_age_of_the_oldest_overdue_timer(data_dir, clock):
    async with open_core(data_dir, clock=clock) as core:
        await core.client().call("CreateReplicationSet", {"regions": {core.region: {}}})
        await core.scheduler.stop()  # a stalled scheduler: nothing fires
        async with core.db.transaction() as tx:
            await core.scheduler.schedule(tx, "outbox.send", clock.now(), {"id": 0})
        await clock.advance(seconds=90)
        snap = await read_snapshot(core)
        assert snap.scheduler_lag_seconds == 90.0
