"""A rotation saved with no member ticked is refused in the form's words, on the Members list."""

from __future__ import annotations

from textual.widgets import Input, SelectionList

from cockpit.schedules.rotation_editor import PrepRotationEditor
from tests.tui_prep.conftest import press_id
from tests.tui_prep.test_forms_keep_work import error_text, open_form, prepared


async def test_a_rotation_without_members_names_the_members_field(client, clock, make_app):
    await prepared(client, clock)
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, "schedules", "rotation-new", PrepRotationEditor)
        form.query_one("#name", Input).value = "night"
        assert not form.query_one("#members", SelectionList).selected
        await press_id(pilot, "rotation-save")
        assert app.screen is form
        assert error_text(form) == "Members: choose at least one contact"
        assert form.query_one("#members", SelectionList).has_class("-invalid")
        names = [r["Name"] for r in (await client.call("ListRotations", {}))["Rotations"]]
        assert names == ["day"]
