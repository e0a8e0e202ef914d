"""Opening an incident: what its first frame shows, the tabs that compose after it, the footer
that follows each tab's keys, and the tab labels that count what changed elsewhere."""

from __future__ import annotations

import json

from textual.widgets import TabbedContent
from textual.widgets._footer import FooterKey

from cockpit.build import build_app
from cockpit.incidents.detail_screen import TABS, IncidentDetailScreen
from tests.tui.helpers import settle
from widgets.key_footer import PALETTE, KeyFooter
from widgets.key_table import KeyTable
from widgets.screen_keys import screen_keys

NOTE = "Rolled back the payments deploy"


async def started(client, plan, clock) -> str:
    arn = (await client.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
    await client.call("UpdateIncidentRecord", {"arn": arn, "summary": "Card payments fail"})
    await clock.advance(minutes=1)
    await client.call("CreateTimelineEvent", {"incidentRecordArn": arn, "eventTime": clock.now(),
                                              "eventType": "Custom Event", "eventData": json.dumps(NOTE)})
    return arn


async def test_the_first_frame_shows_the_record_and_the_timeline(ready, clock, settings) -> None:
    client, plan = ready
    arn = await started(client, plan, clock)
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        detail = IncidentDetailScreen(arn)
        await app.push_screen(detail)  # mounted: nothing painted yet
        title = str(detail.query_one("#banner-title").render())
        recent = str(detail.query_one("#recent-events").render())
        assert title == detail.record["title"] and title != "Loading…"
        assert "Card payments fail" in str(detail.query_one("#summary").render())
        assert f"Custom: {NOTE}" in recent, recent
        assert not detail.query("#timeline-table")  # composed after the first frame
        await settle(pilot)
        assert len(detail.query(KeyTable)) == 4  # metrics, timeline, engagements, related: composed by now
        assert detail.query_one("#timeline-table", KeyTable).row_count == len(detail.events)


def footer_keys(screen) -> list[tuple[str, str, bool]]:
    return [(key.key_display, key.description, key._disabled)
            for key in screen.query_one(KeyFooter).query_children(FooterKey) if not key.has_class(PALETTE)]


def shown_bindings(screen) -> list[tuple[str, str, bool]]:
    """What the footer must show at a width where every key fits: one key per action."""
    keys: dict[str, tuple[str, str, bool]] = {}
    for active in screen_keys(screen).values():  # the screen's enter where a focused table binds it too
        if active.binding.show:
            keys.setdefault(active.binding.action, (screen.app.get_key_display(active.binding),
                                                    active.binding.description, not active.enabled))
    return list(keys.values())


async def test_the_footer_shows_the_keys_of_each_tab_as_it_changes(ready, clock, settings) -> None:
    client, plan = ready
    arn = await started(client, plan, clock)
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(200, 30)) as pilot:
        await settle(pilot)
        app.push_screen(IncidentDetailScreen(arn))
        await settle(pilot)
        seen = set()
        for tab, title in [*TABS, TABS[0]]:
            app.screen.query_one("#detail-tabs", TabbedContent).active = tab
            await settle(pilot)
            keys = footer_keys(app.screen)
            assert keys == shown_bindings(app.screen), f"{title} tab"
            seen.add(tuple(keys))
        assert len(seen) >= 4  # the tabs differ in their keys: the footer changed with them


async def test_a_tab_counts_the_changes_made_while_you_look_elsewhere(ready, clock, settings) -> None:
    client, plan = ready
    arn = await started(client, plan, clock)
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        app.push_screen(IncidentDetailScreen(arn))
        await settle(pilot)
        tabs = app.screen.query_one("#detail-tabs", TabbedContent)
        tabs.active = "metrics"
        await settle(pilot)
        counts = []
        for minutes in (1, 2):
            await clock.advance(minutes=1)
            await client.call("CreateTimelineEvent", {
                "incidentRecordArn": arn, "eventTime": clock.now(), "eventType": "Custom Event",
                "eventData": json.dumps(f"note {minutes}")})
            await settle(pilot)
            label = tabs.get_tab("timeline").label.plain
            assert label.startswith("Timeline +"), label
            counts.append(int(label.removeprefix("Timeline +")))
        assert 0 < counts[0] < counts[1]
        assert tabs.get_tab("metrics").label.plain == "Metrics"
        tabs.active = "timeline"
        await settle(pilot)
        assert tabs.get_tab("timeline").label.plain == "Timeline"
        assert app.screen.query_one("#timeline-table", KeyTable).row_count == len(app.screen.events)
