"""The Maintenance area's form under Pilot: create a window (bad input refused on the field with
what was typed kept, by the form and by the core: a date that does not parse, an RRULE the core
refuses, no target), the zone a type-to-filter choice of IANA zones, edit, delete; every button
and key of the form and the delete confirmation; and a snapshot of the form with text typed at 80x24."""

from __future__ import annotations

from textual.widgets import Input, SelectionList

from cockpit.maintenance.forms import MaintenanceWindowForm
from cockpit.maintenance.screen import MaintenanceScreen
from cockpit.shell.confirm import ConfirmModal
from tests.tui_prep.conftest import press_id, settle
from tests.tui_prep.test_prep_snapshots import snapshot_app


def error_of(form) -> str:
    return str(form.query_one("#form-error").render())


async def _targets(client) -> dict[str, str]:
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    plan = await client.call("CreateResponsePlan", {"name": "api-outage", "incidentTemplate": {"title": "API", "impact": 2}})
    beat = await client.call("CreateHeartbeat", {"name": "etl", "intervalSeconds": 600,
                                                 "responsePlanArn": plan["arn"], "impact": 3})
    return {"plan": plan["arn"], "heartbeat": beat["heartbeat"]["heartbeatArn"]}


async def _open_area(pilot) -> MaintenanceScreen:
    pilot.app.go_to_area("maintenance")
    await settle(pilot)
    assert isinstance(pilot.app.screen, MaintenanceScreen)
    return pilot.app.screen


async def _refused(pilot, form, field: str, said: str) -> None:
    await press_id(pilot, "form-submit")
    assert isinstance(pilot.app.screen, MaintenanceWindowForm), said
    assert error_of(form) == said
    assert form.query_one(f"#{field}").has_class("-invalid") and form.query_one(f"#{field}").has_focus


async def test_a_new_window_refuses_bad_input_on_its_field_and_keeps_what_was_typed(client, make_app) -> None:
    arns = await _targets(client)
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await _open_area(pilot)
        await press_id(pilot, "window-new")
        form = app.screen
        assert isinstance(form, MaintenanceWindowForm)
        assert form.query_one("#window-zone", Input).value == "UTC"  # the cockpit's zone to start with
        targets = form.query_one("#window-targets", SelectionList)
        assert [str(targets.get_option_at_index(i).prompt) for i in range(targets.option_count)] == [
            "plan api-outage", "heartbeat etl"]

        await _refused(pilot, form, "window-name", "Name: give the window a name")
        form.query_one("#window-name", Input).value = "saturday-patch"
        await _refused(pilot, form, "window-start", "From (UTC): must look like 2026-03-07 21:00")
        start, end = form.query_one("#window-start", Input), form.query_one("#window-end", Input)
        start.value = "2026-03-07T21:00"  # times are typed as in every form: UTC, without a "T"
        end.value = "2026-03-08 01:00"
        await _refused(pilot, form, "window-start", "From (UTC): must look like 2026-03-07 21:00")
        assert start.value == "2026-03-07T21:00"  # kept as typed, to be corrected
        start.value = "2026-03-07 21:00"
        await _refused(pilot, form, "window-targets",
                       "Holds the pages of: tick at least one response plan, heartbeat or integration")
        targets.select(arns["plan"])
        targets.focus()
        await pilot.press("down", "space")  # the heartbeat, ticked by keyboard
        await settle(pilot)
        assert set(targets.selected) == {arns["plan"], arns["heartbeat"]}

        # the core refuses the RRULE, on its field
        form.query_one("#window-rrule", Input).value = "FREQ=SOMETIMES"
        await press_id(pilot, "form-submit")
        assert isinstance(app.screen, MaintenanceWindowForm) and error_of(form).startswith("Repeats: ")
        assert form.query_one("#window-rrule").has_class("-invalid")
        assert form.query_one("#window-rrule", Input).value == "FREQ=SOMETIMES"
        assert (form.query_one("#window-name", Input).value, start.value, end.value) == (
            "saturday-patch", "2026-03-07 21:00", "2026-03-08 01:00")
        assert set(targets.selected) == {arns["plan"], arns["heartbeat"]}
        assert (await client.call("ListMaintenanceWindows", {}))["maintenanceWindows"] == []

        form.query_one("#window-rrule", Input).value = "FREQ=WEEKLY;BYDAY=SA"
        zone = form.query_one("#window-zone", Input)
        zone.focus()
        await pilot.press("ctrl+u", *"berl")  # type: the list holds Europe/Berlin only
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert zone.value == "Europe/Berlin"
        form.query_one("#window-rrule", Input).focus()
        await pilot.press("enter")  # enter in a one-line field saves
        await settle(pilot)
        assert app.screen is screen
        (window,) = (await client.call("ListMaintenanceWindows", {}))["maintenanceWindows"]
        # kept in its zone (CET, UTC+1 in March): a weekly window stays at 22:00 there
        assert (window["timeZone"], window["start"], window["end"], window["recurrence"]) == (
            "Europe/Berlin", "2026-03-07T22:00:00", "2026-03-08T02:00:00", "FREQ=WEEKLY;BYDAY=SA")
        assert sorted(window["targets"]) == sorted(arns.values())
        row = screen.table.get_row("saturday-patch")
        assert row[3] == "WEEKLY;BYDAY=SA" and set(str(row[4]).split(", ")) == {"api-outage", "etl"}


async def test_a_window_is_edited_kept_on_cancel_and_deleted_after_asking(client, make_app) -> None:
    arns = await _targets(client)
    await client.call("CreateMaintenanceWindow", {"name": "db-upgrade", "timeZone": "Asia/Tokyo",
                                                  "start": "2030-01-05T01:00", "end": "2030-01-05T03:00",
                                                  "recurrence": "FREQ=MONTHLY", "targets": [arns["plan"]]})
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await _open_area(pilot)

        await press_id(pilot, "window-edit")
        form = app.screen
        assert isinstance(form, MaintenanceWindowForm) and form.query_one("#window-name").disabled
        assert form.query_one("#window-start", Input).value == "2030-01-04 16:00"  # 01:00 in Tokyo, in UTC
        assert form.query_one("#window-zone", Input).value == "Asia/Tokyo"
        assert list(form.query_one("#window-targets", SelectionList).selected) == [arns["plan"]]
        form.query_one("#window-end", Input).value = "2030-01-04 15:30"
        await _refused(pilot, form, "window-end", "Until (UTC): must be after start")
        await pilot.click("#cancel")
        await settle(pilot)
        await press_id(pilot, "confirm-yes")  # "Discard your changes?"
        assert app.screen is screen
        await press_id(pilot, "window-edit")
        await press_id(pilot, "form-cancel")
        assert app.screen is screen

        await press_id(pilot, "window-edit")
        form = app.screen
        form.query_one("#window-rrule", Input).value = ""  # one-off now
        form.query_one("#window-end", Input).value = "2030-01-04 19:00"
        await pilot.click("#submit")
        await settle(pilot)
        assert app.screen is screen
        assert screen.table.get_row("db-upgrade")[3] == "once"
        (window,) = (await client.call("ListMaintenanceWindows", {}))["maintenanceWindows"]
        assert window["end"] == "2030-01-05T04:00:00" and "recurrence" not in window

        await press_id(pilot, "window-delete")
        assert isinstance(app.screen, ConfirmModal)
        await press_id(pilot, "confirm-no")
        await press_id(pilot, "window-delete")
        await press_id(pilot, "confirm-cancel")
        await press_id(pilot, "window-delete")
        await pilot.click("#no")
        await settle(pilot)
        assert app.screen is screen and screen.table.row_count == 1
        await press_id(pilot, "window-delete")
        await pilot.click("#yes")
        await settle(pilot)
        assert app.screen is screen and screen.table.row_count == 0
        assert (await client.call("ListMaintenanceWindows", {}))["maintenanceWindows"] == []


def test_maintenance_window_form_with_text_typed(snap_compare, tmp_path) -> None:
    app, seed = snapshot_app(tmp_path, "maintenance")

    async def run_before(pilot) -> None:
        await seed(pilot)
        await press_id(pilot, "window-new")
        pilot.app.screen.query_one("#window-name").focus()
        await pilot.press(*"saturday-patch", "tab", *"FREQ=WEEKLY;BYDAY=SA", "tab", *"2026-03-07 21:00")
        await press_id(pilot, "form-submit")  # no Until yet: the error shows on its field

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
