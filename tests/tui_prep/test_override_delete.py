"""Overrides can be deleted from the on-call schedules area: `x` on an overridden shift asks,
then deletes the override behind it, and the regular shift comes back."""

from __future__ import annotations

from datetime import timedelta

from cockpit.shell.confirm import ConfirmModal
from tests.support.contacts import personal_contact
from tests.tui_prep.conftest import press_id, settle
from widgets.key_table import KeyTable


async def test_x_deletes_the_override_of_the_selected_shift(client, clock, make_app):
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    ana, _ = await personal_contact(client, "ana", [("EMAIL", "ana@example.com")])
    ben, _ = await personal_contact(client, "ben", [("EMAIL", "ben@example.com")])
    rotation = (await client.call("CreateRotation", {
        "Name": "primary", "ContactIds": [ana], "StartTime": clock.now(), "TimeZoneId": "UTC",
        "Recurrence": {"NumberOfOnCalls": 1, "RecurrenceMultiplier": 1,
                       "DailySettings": [{"HourOfDay": 9, "MinuteOfHour": 0}]}}))["RotationArn"]
    start = clock.now() + timedelta(days=2)
    await client.call("CreateRotationOverride", {"RotationId": rotation, "NewContactIds": [ben],
                                                 "StartTime": start, "EndTime": start + timedelta(hours=6)})
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.switch_mode("schedules")
        await settle(pilot)
        screen = app.screen
        shifts = screen.query_one("#shifts", KeyTable)
        kinds = [shifts.get_row_at(i)[3] for i in range(shifts.row_count)]
        assert "overridden" in kinds
        shifts.focus()
        shifts.move_cursor(row=kinds.index("regular"))
        await press_id(pilot, "override-delete")  # a regular shift has no override
        assert app.last_flash[1] == "warning" and app.screen is screen
        shifts.move_cursor(row=kinds.index("overridden"))
        await press_id(pilot, "override-delete")
        assert isinstance(app.screen, ConfirmModal)
        await press_id(pilot, "confirm-no")
        window = {"RotationId": rotation, "StartTime": clock.now(), "EndTime": clock.now() + timedelta(days=14)}
        assert len((await client.call("ListRotationOverrides", window))["RotationOverrides"]) == 1
        await press_id(pilot, "override-delete")
        await press_id(pilot, "confirm-yes")
        assert (await client.call("ListRotationOverrides", window))["RotationOverrides"] == []
        assert app.last_flash == ("override deleted", "success")
        await settle(pilot)
        assert "overridden" not in [shifts.get_row_at(i)[3] for i in range(shifts.row_count)]
