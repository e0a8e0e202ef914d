"""The Heartbeats area's forms under Pilot: create (bad input refused on the field with what was
typed kept, by the form and by the core), the ping token shown once, edit, delete; every button
and key of the form, the token dialog and the delete confirmation; and a snapshot of the form
with text typed at 80x24."""

from __future__ import annotations

from textual.widgets import Button, Checkbox, Input, Select

from cockpit.heartbeats.forms import HeartbeatForm, PingTokenModal, ping_path
from cockpit.heartbeats.screen import HeartbeatsScreen
from cockpit.shell.confirm import ConfirmModal
from tests.tui_prep.conftest import press_id, settle
from tests.tui_prep.test_prep_snapshots import snapshot_app


def error_of(form) -> str:
    return str(form.query_one("#form-error").render())


async def _plans(client) -> tuple[str, str]:
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    arns = []
    for name, impact in (("api-outage", 2), ("db-latency", 3)):
        made = await client.call("CreateResponsePlan", {"name": name, "incidentTemplate": {"title": name, "impact": impact}})
        arns.append(made["arn"])
    return arns[0], arns[1]


async def _open_area(pilot) -> HeartbeatsScreen:
    pilot.app.go_to_area("heartbeats")
    await settle(pilot)
    assert isinstance(pilot.app.screen, HeartbeatsScreen)
    return pilot.app.screen


async def test_a_new_heartbeat_refuses_bad_input_on_its_field_then_shows_its_token_once(client, make_app) -> None:
    api, _ = await _plans(client)
    await client.call("CreateHeartbeat", {"name": "etl", "intervalSeconds": 600, "responsePlanArn": api, "impact": 3})
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await _open_area(pilot)
        await press_id(pilot, "heartbeat-new")
        form = app.screen
        assert isinstance(form, HeartbeatForm)

        await press_id(pilot, "form-submit")  # nothing typed
        assert isinstance(app.screen, HeartbeatForm) and error_of(form).startswith("Name:")
        assert form.query_one("#heartbeat-name").has_class("-invalid") and form.query_one("#heartbeat-name").has_focus

        form.query_one("#heartbeat-name", Input).value = "nightly-backup"
        interval = form.query_one("#heartbeat-interval", Input)
        for typed in ("five", "10"):  # letters in the number field, then too short an interval
            interval.value = typed
            await press_id(pilot, "form-submit")
            assert isinstance(app.screen, HeartbeatForm)
            assert error_of(form) == f"Interval: a whole number of seconds, 30 or more (not {typed})"
            assert interval.has_class("-invalid") and interval.value == typed

        interval.value = "300"
        interval.focus()
        await pilot.press("enter")  # enter in a one-line field saves too
        await settle(pilot)
        assert error_of(form).startswith("Response plan: choose") and form.query_one("#heartbeat-plan").has_focus

        form.query_one("#heartbeat-plan", Select).value = api
        for name, said in (("nightly backup!", "Name: letters, digits and _.- only (it is part of the ping URL)"),
                           ("etl", "Name: a heartbeat named etl already exists")):  # the form, then the core refuses
            form.query_one("#heartbeat-name", Input).value = name
            await pilot.click("#submit")
            await settle(pilot)
            assert isinstance(app.screen, HeartbeatForm) and error_of(form) == said
            assert form.query_one("#heartbeat-name").has_class("-invalid")
            assert form.query_one("#heartbeat-name", Input).value == name
            assert interval.value == "300" and form.query_one("#heartbeat-plan", Select).value == api

        form.query_one("#heartbeat-name", Input).value = "nightly-backup"
        form.query_one("#heartbeat-impact", Select).value = 1
        form.query_one("#heartbeat-resolve", Checkbox).value = False
        await press_id(pilot, "form-submit")
        shown = app.screen
        assert isinstance(shown, PingTokenModal)
        url = str(shown.query_one("#ping-url").render()).split()[-1]
        token = str(shown.query_one("#ping-token").render()).split()[-1]
        assert url == ping_path("nightly-backup") and len(token) >= 24
        await press_id(pilot, "ping-token-close")
        assert app.screen is screen
        assert screen.table.get_row("nightly-backup")[:2] == ["nightly-backup", "waiting"]
        assert screen.table.row_count == 2
        made = (await client.call("GetHeartbeat", {"name": "nightly-backup"}))["heartbeat"]
        assert (made["intervalSeconds"], made["responsePlanArn"], made["impact"], made["resolveOnPing"]) == (
            300, api, 1, False)


async def test_a_heartbeat_is_edited_kept_on_cancel_and_deleted_after_asking(client, make_app, clock) -> None:
    api, db = await _plans(client)
    await client.call("CreateHeartbeat", {"name": "etl", "intervalSeconds": 600, "responsePlanArn": api, "impact": 3})
    due = (await client.call("GetHeartbeat", {"name": "etl"}))["heartbeat"]["expectedBy"]
    await clock.advance(seconds=60)
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await _open_area(pilot)

        await press_id(pilot, "heartbeat-edit")  # the impact only: the ping stays due when it was
        app.screen.query_one("#heartbeat-impact", Select).value = 2
        await press_id(pilot, "form-submit")
        kept = (await client.call("GetHeartbeat", {"name": "etl"}))["heartbeat"]
        assert (kept["impact"], kept["expectedBy"]) == (2, due)

        await press_id(pilot, "heartbeat-edit")
        form = app.screen
        assert isinstance(form, HeartbeatForm) and form.query_one("#heartbeat-name").disabled
        assert form.query_one("#heartbeat-interval", Input).value == "600"
        form.query_one("#heartbeat-interval", Input).value = "20"
        await pilot.click("#cancel")  # the Cancel button: nothing is saved
        await settle(pilot)
        await press_id(pilot, "confirm-yes")  # "Discard your changes?"
        assert app.screen is screen
        await press_id(pilot, "heartbeat-edit")
        await press_id(pilot, "form-cancel")  # and esc
        assert app.screen is screen
        assert (await client.call("GetHeartbeat", {"name": "etl"}))["heartbeat"]["intervalSeconds"] == 600

        await press_id(pilot, "heartbeat-edit")
        form = app.screen
        form.query_one("#heartbeat-interval", Input).value = "90"
        form.query_one("#heartbeat-plan", Select).value = db
        await press_id(pilot, "form-submit")
        assert app.screen is screen
        assert [str(cell) for cell in screen.table.get_row("etl")[5:7]] == ["1m 30s", "db-latency"]

        await press_id(pilot, "heartbeat-delete")
        assert isinstance(app.screen, ConfirmModal)
        await press_id(pilot, "confirm-no")
        await press_id(pilot, "heartbeat-delete")
        await press_id(pilot, "confirm-cancel")
        await press_id(pilot, "heartbeat-delete")
        await pilot.click("#no")
        await settle(pilot)
        assert app.screen is screen and screen.table.row_count == 1
        await press_id(pilot, "heartbeat-delete")
        await press_id(pilot, "confirm-yes")
        assert app.screen is screen and screen.table.row_count == 0
        assert (await client.call("ListHeartbeats", {}))["heartbeats"] == []


async def test_the_token_dialog_closes_by_its_button(client, make_app) -> None:
    api, _ = await _plans(client)
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await _open_area(pilot)
        await press_id(pilot, "heartbeat-new")
        form = app.screen
        form.query_one("#heartbeat-name", Input).value = "cron"
        form.query_one("#heartbeat-interval", Input).value = "30"
        form.query_one("#heartbeat-plan", Select).value = api
        await press_id(pilot, "form-submit")
        assert isinstance(app.screen, PingTokenModal)
        app.screen.query_one("#close", Button).press()
        await settle(pilot)
        assert app.screen is screen and screen.table.row_count == 1


def test_heartbeat_form_with_text_typed(snap_compare, tmp_path) -> None:
    app, seed = snapshot_app(tmp_path, "heartbeats")

    async def run_before(pilot) -> None:
        await seed(pilot)
        await press_id(pilot, "heartbeat-new")
        pilot.app.screen.query_one("#heartbeat-name").focus()
        await pilot.press(*"nightly-backup", "tab", *"5m")
        await press_id(pilot, "form-submit")  # letters in the interval: the error shows on its field

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
