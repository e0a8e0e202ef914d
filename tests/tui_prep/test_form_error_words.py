"""A refused save names fields as the form does, never by the core's member paths (issue 8,
item 8): a stage's minutes by its stage, and another field a message mentions by its label."""

from __future__ import annotations

from textual.widgets import Input, SelectionList

from cockpit.plans.stage_editor import PrepStageEditor, StageBox
from cockpit.schedules.rotation_editor import PrepOverrideEditor
from tests.tui_prep.conftest import press_id, settle
from tests.tui_prep.test_forms_keep_work import error_text, open_form, prepared


async def test_a_stage_over_its_limit_is_named_by_its_stage(client, clock, make_app):
    await prepared(client, clock)
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_form(pilot, "plans", "plan-new", PrepStageEditor)
        editor.query_one("#alias", Input).value = "w1plan"
        await press_id(pilot, "stages-add")
        editor.query_one("#stage-2-minutes", Input).value = "99"
        for box in editor.query(StageBox):  # each engages someone: a stage that engages nobody asks first
            box.query_one(".stage-contacts", SelectionList).select_all()
        await press_id(pilot, "stages-save")
        await settle(pilot)
        assert app.screen is editor  # kept open, with what was typed
        assert error_text(editor) == "Stage 2 minutes: value 99 must be at most 30", error_text(editor)
        assert editor.query_one("#stage-2-minutes", Input).has_class("-invalid")
        assert editor.query_one("#stage-2-minutes", Input).value == "99"
        assert app.focused is editor.query_one("#stage-2-minutes", Input)


async def test_an_override_that_ends_first_names_the_other_field_by_its_label(client, clock, make_app):
    await prepared(client, clock)
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_form(pilot, "schedules", "rotation-override", PrepOverrideEditor)
        editor.query_one("#end", Input).value = "2020-01-01 00:00"
        editor.query_one("#members", SelectionList).select_all()  # nobody ticked asks first
        await press_id(pilot, "rotation-save")
        await settle(pilot)
        assert app.screen is editor
        words = error_text(editor)
        assert "StartTime" not in words and "EndTime" not in words, words
        assert words.startswith("Until (UTC): ") and "From (UTC)" in words, words
