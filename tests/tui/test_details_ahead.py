"""The details of the incident whose tile has the focus are composed, loaded and laid out
ahead, while the list waits for the next key: `enter` then shows them without composing.
The focus must stay on a tile a moment (on the app's clock) first, so that `j` held down
composes nothing; back from an incident, its tile's details are prepared again at once."""

from __future__ import annotations

from cockpit.build import build_app
from cockpit.incidents.detail_screen import IncidentDetailScreen
from cockpit.incidents.list_screen import PREPARE_AFTER, IncidentListScreen
from tests.tui.helpers import settle
from widgets.incident_tile import IncidentTile
from widgets.key_table import KeyTable


async def _start(client, plan, title: str, impact: int) -> str:
    out = await client.call("StartIncident", {"responsePlanArn": plan, "title": title, "impact": impact})
    return out["incidentRecordArn"]


async def _after_a_moment(pilot, clock) -> None:
    await clock.advance(seconds=PREPARE_AFTER + 0.05)
    await settle(pilot)


def _focused_arn(screen: IncidentListScreen) -> str:
    assert isinstance(screen.focused, IncidentTile)
    return screen.focused.arn


async def test_enter_shows_the_details_prepared_while_the_tile_had_the_focus(ready, clock, settings):
    client, plan = ready
    await _start(client, plan, "Checkout down", 1)
    await _start(client, plan, "Search slow", 3)
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        listing = app.screen
        assert isinstance(listing, IncidentListScreen)
        assert listing._ahead is None  # the focus has not stayed yet
        await _after_a_moment(pilot, clock)
        ahead = listing._ahead
        assert isinstance(ahead, IncidentDetailScreen) and ahead.arn == _focused_arn(listing)
        assert ahead.is_mounted and ahead.record["title"] == "Checkout down"
        assert ahead.query_one("#banner-title").size.width > 0  # laid out already, off the stack
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is ahead and not ahead.ahead
        assert str(ahead.query_one("#banner-title").render()) == "Checkout down"
        assert len(ahead.query(KeyTable)) == 4  # the other tabs composed once it was shown


async def test_moving_on_discards_the_prepared_details_and_prepares_the_next(ready, clock, settings):
    client, plan = ready
    await _start(client, plan, "Checkout down", 1)
    await _start(client, plan, "Search slow", 3)
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        listing = app.screen
        await _after_a_moment(pilot, clock)
        first = listing._ahead
        await pilot.press("j")
        await settle(pilot)
        assert listing._ahead is first  # nothing composed until the focus stays
        await _after_a_moment(pilot, clock)
        second = listing._ahead
        assert second is not first and second.arn == _focused_arn(listing)
        assert second.record["title"] == "Search slow"
        assert not first.is_attached  # removed, not left running
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is second


async def test_details_prepared_ahead_stay_live_and_show_no_stale_news(ready, clock, settings):
    client, plan = ready
    arn = await _start(client, plan, "Checkout down", 1)
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        listing = app.screen
        await _after_a_moment(pilot, clock)
        ahead = listing._ahead
        await client.call("UpdateIncidentRecord", {"arn": arn, "title": "Checkout down in EU",
                                                   "summary": "Card payments fail"})
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is ahead
        assert str(ahead.query_one("#banner-title").render()) == "Checkout down in EU"
        assert "Card payments fail" in str(ahead.query_one("#summary").render())
        assert not any(ahead.unseen.values())  # nothing was seen before: nothing is "+1"


async def test_back_from_an_incident_its_details_are_prepared_again_at_once(ready, clock, settings):
    client, plan = ready
    await _start(client, plan, "Checkout down", 1)
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        listing = app.screen
        await pilot.press("enter")
        await settle(pilot)
        opened = app.screen
        assert isinstance(opened, IncidentDetailScreen)  # opened without a prepared one: composed then
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is listing
        again = listing._ahead
        assert isinstance(again, IncidentDetailScreen) and again is not opened and again.arn == opened.arn
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is again


async def test_leaving_the_list_for_an_area_discards_the_prepared_details(ready, clock, settings):
    client, plan = ready
    await _start(client, plan, "Checkout down", 1)
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        listing = app.screen
        await _after_a_moment(pilot, clock)
        ahead = listing._ahead
        assert ahead is not None
        await app.run_action("switch_mode('outbox')")
        await settle(pilot)
        assert listing._ahead is None and not ahead.is_attached


async def test_toasts_still_show_and_go_though_an_empty_rack_is_left_alone(ready, clock, settings):
    """A screen that resumes with no notification does not show and hide the empty toast rack
    (which laid the screen out a second time); a notification still shows, and goes."""
    from textual.widgets._toast import ToastRack

    client, plan = ready
    await _start(client, plan, "Checkout down", 1)
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        rack = app.screen.query_one(ToastRack)
        assert not rack.display
        shown = []
        show = ToastRack.show
        ToastRack.show = lambda self, notifications: (shown.append(self), show(self, notifications))[1]
        try:
            await pilot.press("enter")
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
        finally:
            ToastRack.show = show
        assert not shown  # two screens resumed with nothing to show: neither rack was touched
        assert not app.screen.query_one(ToastRack).display
        app.notify("Replica region added")
        await settle(pilot)
        assert app.screen.query_one(ToastRack).display
        app.clear_notifications()
        await settle(pilot)
        assert not app.screen.query_one(ToastRack).display
