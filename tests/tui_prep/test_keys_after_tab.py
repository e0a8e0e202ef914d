"""Keys that arrive in one burst right after tab land in the field tab moved to (a terminal
delivers `tab abc`, typed fast or pasted by tmux send-keys, in one read). Textual forwards each
key to the widget focused when the App handles it, and runs a non-priority tab binding only once
the focused field has had the tab: the letters were already queued to the field before it. The
forms' tab and shift+tab are priority bindings, run as the App handles the key. The keys are
posted to the App as the terminal driver posts them, without waiting between them."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from cockpit.contacts.editor import PrepContactEditor
from tests.tui_prep.conftest import settle
from tests.tui_prep.test_forms_keep_work import open_form


def burst(app, *keys: str) -> None:
    """Post ``keys`` to the App in one go, as the driver does for one read from the terminal."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def test_letters_sent_with_tab_go_to_the_next_field(client, clock, make_app) -> None:
    await client.call("CreateReplicationSet", {"regions": {"local": {}}})
    app = make_app(client)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, "contacts", "contact-new", PrepContactEditor)
        name, alias = form.query_one("#display-name", Input), form.query_one("#alias", Input)
        name.focus()
        await settle(pilot)
        burst(app, "N", "tab", "a", "b", "c")
        await settle(pilot)
        assert (name.value, alias.value) == ("N", "abc") and alias.has_focus
        burst(app, "shift+tab", "x")
        await settle(pilot)
        assert (name.value, alias.value) == ("x", "abc") and name.has_focus  # its text selected on focus: replaced
