"""A form with edits not saved asks before esc discards them; an untouched one closes at once.
Asked once, in the saving dialogs' base (cockpit/shell/modal.py SavingModal): the summary form
(a FormModal) and the engage form (a SavingModal of its own) both ask. The real app on a real
core, fake time."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from cockpit.build import build_app
from cockpit.incidents.detail_screen import IncidentDetailScreen
from cockpit.incidents.edit_incident import EditSummaryModal
from cockpit.incidents.engage_form import PrepEngageForm
from cockpit.shell.confirm import ConfirmModal
from tests.tui.helpers import press_binding, settle


async def _incident(pilot, client, plan: str) -> str:
    arn = (await client.call("StartIncident", {"responsePlanArn": plan}))["incidentRecordArn"]
    pilot.app.push_screen(IncidentDetailScreen(arn))
    await settle(pilot)
    return arn


async def test_esc_on_an_edited_summary_asks_and_n_keeps_what_was_typed(ready, clock, settings) -> None:
    client, plan = ready
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        arn = await _incident(pilot, client, plan)
        await press_binding(pilot, "edit-summary")
        assert isinstance(app.screen, EditSummaryModal)
        await pilot.press(*"db at 100%")
        await press_binding(pilot, "form-cancel")
        assert isinstance(app.screen, ConfirmModal)
        assert "Discard your changes?" in str(app.screen.query_one(".dialog-title").content)

        await press_binding(pilot, "confirm-no")
        assert isinstance(app.screen, EditSummaryModal)
        assert app.screen.query_one("#summary", TextArea).text.startswith("db at 100%")

        await press_binding(pilot, "form-cancel")
        await press_binding(pilot, "confirm-yes")
        assert isinstance(app.screen, IncidentDetailScreen)
        record = (await client.call("GetIncidentRecord", {"arn": arn}))["incidentRecord"]
        assert "db at 100%" not in (record.get("summary") or "")


async def test_esc_on_an_untouched_form_closes_at_once(ready, clock, settings) -> None:
    client, plan = ready
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _incident(pilot, client, plan)
        await press_binding(pilot, "edit-summary")
        assert isinstance(app.screen, EditSummaryModal)
        await press_binding(pilot, "form-cancel")
        assert isinstance(app.screen, IncidentDetailScreen)

        await press_binding(pilot, "edit-summary")  # typed, then put back as it was: nothing to lose
        await pilot.press("x", "backspace")
        await press_binding(pilot, "form-cancel")
        assert isinstance(app.screen, IncidentDetailScreen)


async def test_the_engage_form_asks_too(ready, clock, settings) -> None:
    client, plan = ready
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _incident(pilot, client, plan)
        await press_binding(pilot, "tab-5")
        await press_binding(pilot, "engagement-start")
        assert isinstance(app.screen, PrepEngageForm)
        app.screen.query_one("#content", Input).focus()
        await pilot.press(*" Bridge: room 4")
        await press_binding(pilot, "engage-cancel")
        assert isinstance(app.screen, ConfirmModal)
        await press_binding(pilot, "confirm-cancel")  # esc on the question: back to the form
        assert app.screen.query_one("#content", Input).value.endswith("Bridge: room 4")
        await pilot.click("#cancel")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await press_binding(pilot, "confirm-yes")
        assert isinstance(app.screen, IncidentDetailScreen)
