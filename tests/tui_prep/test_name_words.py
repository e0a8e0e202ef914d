"""A refused name says once what is wrong and the form it should have, in the form's words:
the rotation editor's empty name ("Name: is required and must not be empty", it was said twice)
and a name with a character the model does not allow. The real app on a real core."""

from __future__ import annotations

import pytest
from textual.widgets import Input, SelectionList, Static

from cockpit.schedules.rotation_editor import PrepRotationEditor
from tests.support.contacts import personal_contact
from tests.tui_prep.conftest import press_id, settle


@pytest.mark.parametrize(("name", "words"), [
    ("", "Name: is required and must not be empty"),
    ("night!", "Name: must hold only letters, digits, spaces and _ - . (not !)"),
])
async def test_a_refused_rotation_name_says_what_form_it_needs(client, make_app, name, words):
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    await personal_contact(client, "alice", [("EMAIL", "alice@example.com")])
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        app.switch_mode("schedules")
        await settle(pilot)
        await press_id(pilot, "rotation-new")
        editor = app.screen
        assert isinstance(editor, PrepRotationEditor)
        editor.query_one("#name", Input).value = name
        editor.query_one("#members", SelectionList).select_all()
        await press_id(pilot, "rotation-save")
        assert app.screen is editor
        assert str(editor.query_one("#form-error", Static).render()) == words
        assert editor.query_one("#name", Input).has_class("-invalid")
