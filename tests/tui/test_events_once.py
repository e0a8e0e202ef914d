"""Every screen hears each of the core's events once. Textual calls the ``on_mount`` of each
class in a screen's MRO itself, so a subclass's ``super().on_mount()`` ran the base's twice
(and a preparation list's three times): every event reached the screen that many times, as
two or three reloads and "+2" on a tab for one change."""

from __future__ import annotations

import json

from cockpit.build import build_app
from cockpit.incidents.detail_screen import IncidentDetailScreen
from cockpit.shell.list_screen import PrepListScreen
from tests.tui.helpers import settle


def _count_events(screen) -> list[str]:
    heard: list[str] = []
    handler = screen.on_domain_event
    screen.on_domain_event = lambda event: (heard.append(event.type), handler(event))[1]
    return heard


async def test_the_incident_details_hear_each_event_once_and_count_it_once(ready, clock, settings):
    client, plan = ready
    arn = (await client.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, IncidentDetailScreen)
        await pilot.press("3")  # the Timeline tab: new events count on the Overview's label
        await settle(pilot)
        heard = _count_events(detail)
        for n in range(3):
            await client.call("CreateTimelineEvent", {"incidentRecordArn": arn, "eventTime": clock.now(),
                                                      "eventType": "Custom Event", "eventData": json.dumps(f"n{n}")})
            await settle(pilot)
        assert heard == ["TimelineEventAdded"] * 3
        assert detail.unseen["overview"] == 3 and detail.unseen["timeline"] == 0
        assert "Overview +3" in [str(tab.label) for tab in detail.query("ContentTab")]


async def test_a_preparation_list_hears_each_event_once(ready, clock, settings):
    client, _plan = ready
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.run_action("switch_mode('users')")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PrepListScreen)
        heard = _count_events(screen)
        await client.call("CreateUser", {"userName": "ana", "role": "responder"})
        await settle(pilot)
        assert len(heard) == 1, heard


async def test_a_flash_about_one_tab_does_not_follow_to_the_next(ready, clock, settings):
    from widgets.flash_line import FlashLine

    client, plan = ready
    await client.call("StartIncident", {"responsePlanArn": plan})
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        line = detail.query_one(FlashLine)
        detail.flash("no approval step is waiting", "warning")
        await pilot.press("1")  # the tab it is on already: the message stays
        await settle(pilot)
        assert line.message == "no approval step is waiting"
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert line.message == ""
        detail.flash("no approval step is waiting", "warning")
        await pilot.press("4")
        await settle(pilot)
        assert line.message == ""
