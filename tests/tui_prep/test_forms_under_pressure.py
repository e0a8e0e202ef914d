"""Forms that can be filled in under pressure (issue 8 item 10), at 80x24: every tab stop is a
visible field, number fields show what was typed, the members list shows several rows, and
the time zone is a visible choice of IANA zones that typing filters."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Checkbox, DataTable, Input, Select, SelectionList, TextArea

from cockpit.schedules.rotation_editor import PrepRotationEditor
from tests.support.contacts import personal_contact
from tests.tui_prep.conftest import press_id, settle
from tests.tui_prep.test_forms_keep_work import FORMS, open_form, prepared

FIELDS = (Input, Select, SelectionList, Button, Checkbox, TextArea, DataTable)


@pytest.mark.parametrize(("area", "opener", "form_type"), FORMS, ids=[f[1] for f in FORMS])
async def test_every_tab_stop_is_a_visible_field(client, clock, make_app, area, opener, form_type):
    await prepared(client, clock)
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, area, opener, form_type)
        stops = []
        for _ in range(25):
            await pilot.press("tab")
            await pilot.pause()
            focused = app.focused
            assert focused is not None and focused.screen is form
            stops.append(focused)
            assert isinstance(focused, FIELDS), f"tab stopped on something that is not a field: {focused!r}"
            region = focused.region
            assert region.width > 0 and region.height > 0, f"{focused!r} is a tab stop but not on screen"
        assert len(set(stops)) > 1


async def test_number_fields_are_wide_enough_to_show_what_was_typed(client, clock, make_app):
    await prepared(client, clock)
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        for area, opener, selector in (("plans", "plan-new", ".minutes"), ("contacts", "contact-new", ".ch-minutes"),
                                       ("schedules", "rotation-new", "#every")):
            form = await open_form(pilot, area, opener, object)
            field = form.query(selector).first(Input)
            field.value = "30"
            await settle(pilot)
            assert field.content_region.width >= 4, (opener, field.content_region)  # 2 digits, the cursor, room
            await pilot.press("escape")
            await settle(pilot)


async def test_rotation_members_show_several_rows_and_the_zone_is_a_typed_choice(client, clock, make_app):
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    people = [(await personal_contact(client, n, [("EMAIL", f"{n}@example.com")]))[0] for n in ("ana", "ben", "chen", "dee")]
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, "schedules", "rotation-new", PrepRotationEditor)
        members = form.query_one("#members", SelectionList)
        assert members.content_region.height >= 4  # four people, four rows
        form.query_one("#name", Input).value = "primary"
        for arn in people[:2]:
            members.select(arn)
        zone = form.query_one("#zone", Input)
        assert zone.value == "UTC"
        zone.focus()
        await pilot.press("ctrl+u", *"paris")  # typing filters the list of zones
        await settle(pilot)
        await pilot.press("enter")  # takes the one left
        await settle(pilot)
        assert zone.value == "Europe/Paris"
        await press_id(pilot, "rotation-save")
        assert app.screen is not form, app.last_flash
        rotation = (await client.call("ListRotations", {}))["Rotations"][0]
        assert rotation["TimeZoneId"] == "Europe/Paris"
        assert rotation["ContactIds"] == people[:2]
