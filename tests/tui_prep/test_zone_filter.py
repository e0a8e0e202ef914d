"""The time-zone field is a visible, type-to-filter choice of IANA zones (issue 8, item 10), at
80x24 and by keyboard only: typing narrows the list under the field to the zones whose name
holds what is typed, in any case; backspace widens it; up/down and enter take one; esc closes
the list (a second esc cancels the form); a zone no list holds is refused on the field, in the
form's words. The rotation editor and the maintenance form on a real core."""

from __future__ import annotations

from textual.widgets import Input, OptionList, SelectionList

from cockpit.maintenance.forms import MaintenanceWindowForm
from cockpit.schedules.rotation_editor import PrepRotationEditor
from tests.support.contacts import personal_contact
from tests.tui_prep.conftest import press_id, settle
from tests.tui_prep.test_forms_keep_work import open_form
from widgets.zone_select import ZONES


def listed(form) -> list[str]:
    choices = form.query_one("#zone-field OptionList", OptionList)
    if not choices.display or not choices.region.area:
        return []  # closed (or not drawn): nothing to choose from
    return [str(choices.get_option_at_index(i).prompt) for i in range(choices.option_count)]


async def test_typing_filters_the_zones_and_enter_takes_one(client, clock, make_app) -> None:
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    ana, _ = await personal_contact(client, "ana", [("EMAIL", "ana@example.com")])
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, "schedules", "rotation-new", PrepRotationEditor)
        form.query_one("#name", Input).value = "primary"
        form.query_one("#members").select(ana)
        form.query_one("#start", Input).focus()
        await pilot.press("tab")  # to the zone, by keyboard: its text selected, typing replaces it
        zone = form.query_one("#zone", Input)
        assert zone.has_focus and zone.value == "UTC" and listed(form) == []

        await pilot.press(*"BERL")
        await settle(pilot)
        assert listed(form) == ["Europe/Berlin"]
        choices = form.query_one("#zone-field OptionList", OptionList)
        assert choices.region in app.screen.region  # drawn whole on the 80x24 screen
        await pilot.press("backspace", "backspace", "backspace")  # "B": wider again
        await settle(pilot)
        wider = listed(form)
        assert "Europe/Berlin" in wider and len(wider) > 20
        assert wider == [z for z in ZONES if "b" in z.lower()]

        await pilot.press("backspace", *"new york")  # a space matches the underscore
        await settle(pilot)
        assert listed(form) == ["America/New_York"]
        await pilot.press("enter")  # takes the highlighted zone; the form stays open
        await settle(pilot)
        assert zone.value == "America/New_York" and listed(form) == [] and app.screen is form

        await pilot.press("ctrl+u", *"europe/")
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # the third zone of Europe
        await settle(pilot)
        assert zone.value == [z for z in ZONES if z.startswith("Europe/")][2]

        await pilot.press("ctrl+u", *"Europe/Lisb")
        await settle(pilot)
        assert listed(form) == ["Europe/Lisbon"]
        await pilot.press("escape")  # closes the list; the form stays, with what was typed
        await settle(pilot)
        assert app.screen is form and listed(form) == [] and zone.value == "Europe/Lisb"

        await press_id(pilot, "rotation-save")  # a zone the list does not hold: refused on the field
        assert app.screen is form
        assert str(form.query_one("#form-error").render()) == "zone: is not a known IANA time zone: 'Europe/Lisb'"
        assert zone.has_class("-invalid") and zone.has_focus
        await pilot.press("ctrl+u", *"lisbon", "enter")
        await settle(pilot)
        assert zone.value == "Europe/Lisbon" and not zone.has_class("-invalid")
        await press_id(pilot, "rotation-save")
        assert app.screen is not form
        (rotation,) = (await client.call("ListRotations", {}))["Rotations"]
        assert rotation["TimeZoneId"] == "Europe/Lisbon"


async def test_a_zone_nothing_matches_says_so_and_esc_twice_cancels(client, clock, make_app) -> None:
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, "schedules", "rotation-new", PrepRotationEditor)
        form.query_one("#zone", Input).focus()
        await pilot.press("ctrl+u", *"atlantis")
        await settle(pilot)
        assert listed(form) == ["no zone holds 'atlantis'"]
        await pilot.press("enter")  # nothing to take: the list closes, nothing is saved
        await settle(pilot)
        assert app.screen is form and listed(form) == [] and form.query_one("#zone", Input).value == "atlantis"
        await pilot.press("down")  # opens the list again
        await settle(pilot)
        assert listed(form) == ["no zone holds 'atlantis'"]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is form and listed(form) == []
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is not form


async def test_the_maintenance_form_refuses_a_zone_it_cannot_convert_times_in(client, make_app) -> None:
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    plan = await client.call("CreateResponsePlan", {"name": "api", "incidentTemplate": {"title": "API", "impact": 2}})
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, "maintenance", "window-new", MaintenanceWindowForm)
        form.query_one("#window-name", Input).value = "patch"
        form.query_one("#window-start", Input).value = "2026-03-07 21:00"
        form.query_one("#window-end", Input).value = "2026-03-08 01:00"
        form.query_one("#window-targets", SelectionList).select(plan["arn"])
        zone = form.query_one("#window-zone", Input)
        zone.value = "Europe/Lisb"  # half typed, the list closed
        await press_id(pilot, "form-submit")
        assert app.screen is form  # no traceback: the form converts its times in the zone, and says why not
        assert str(form.query_one("#form-error").render()) == (
            "Zone: 'Europe/Lisb' is not an IANA time zone; type part of one (berl) and take it from the list")
        assert zone.has_class("-invalid") and zone.has_focus
        assert (await client.call("ListMaintenanceWindows", {}))["maintenanceWindows"] == []
