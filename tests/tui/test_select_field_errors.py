"""A Select in error looks like an Input in error (one box, in the error colour, not a second
border around its own), and changing its value clears the mark, as typing in an Input does.
The start-incident form on a real core, keys pressed by binding id."""

from __future__ import annotations

from textual.widgets import Input, Select
from textual.widgets._select import SelectCurrent

from cockpit.build import build_app
from cockpit.incidents.start_incident import StartIncidentModal
from tests.tui.helpers import press_binding, settle


async def test_a_select_in_error_is_marked_like_an_input_and_cleared_by_a_change(ready, clock, settings) -> None:
    client, _ = ready
    await client.call("CreateResponsePlan", {"name": "db", "incidentTemplate": {"title": "DB down", "impact": 1}})
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press_binding(pilot, "start-incident")
        form = app.screen
        assert isinstance(form, StartIncidentModal)
        plan = form.query_one("#plan", Select)
        title = form.query_one("#title", Input)
        height = plan.outer_size.height
        await press_binding(pilot, "form-submit")  # no plan chosen (two to choose from)
        assert str(form.query_one("#form-error").render()) == "Response plan: choose the plan this incident starts from"
        assert plan.has_class("-invalid") and plan.has_focus

        form.show_error("both", ["title", "plan"])  # an Input in error beside it, for comparison
        form.query_one("#impact", Select).focus()  # neither has the focus
        await settle(pilot)
        assert title.has_class("-invalid")  # leaving it did not clear its mark
        assert plan.outer_size.height == height == title.outer_size.height  # no border around its box
        assert not plan.styles.border_top[0]
        assert plan.query_one(SelectCurrent).styles.border_top == title.styles.border_top
        title.focus()
        await settle(pilot)
        focused_input = title.styles.border_top
        plan.focus()
        await settle(pilot)
        assert plan.query_one(SelectCurrent).styles.border_top == focused_input  # and both when focused
        assert focused_input != form.query_one("#impact", Select).query_one(SelectCurrent).styles.border_top

        await pilot.press("enter", "down", "enter")  # choose the first plan, by keyboard
        await settle(pilot)
        assert plan.value is not Select.NULL
        assert not plan.has_class("-invalid")
        assert title.has_class("-invalid")  # the other field keeps its mark until it is edited
