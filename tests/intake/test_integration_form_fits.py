"""The Integrations "new" form fits 80x24: every field and the Save and Cancel buttons show
without scrolling, also with an error line shown."""

from __future__ import annotations

import pytest
from textual.widgets import Button

from cockpit.build import build_app
from cockpit.integrations.forms import IntegrationForm
from cockpit.settings import CockpitSettings
from tests.tui.helpers import press_binding, settle
from widgets.form_scroll import FormScroll


@pytest.fixture
def settings() -> CockpitSettings:
    return CockpitSettings(theme="cockpit-dark", timezone="UTC", cursor_blink=False, keymap={})


async def test_the_new_integration_form_and_its_buttons_fit_80x24(ready, clock, settings) -> None:
    client, _ = ready
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.go_to_area("integrations")
        await settle(pilot)
        await press_binding(pilot, "integration-new")
        form = app.screen
        assert isinstance(form, IntegrationForm)
        await press_binding(pilot, "form-submit")  # no name: the error line shows too
        assert isinstance(app.screen, IntegrationForm)
        assert str(form.query_one("#form-error").render()).startswith("Name:")
        scroll = form.query_one(FormScroll)
        assert scroll.max_scroll_y == 0, f"the form scrolls by {scroll.max_scroll_y} rows"
        for button_id in ("submit", "cancel"):
            button = form.query_one(f"#{button_id}", Button)
            assert 0 <= button.region.y and button.region.bottom <= 24, (button_id, button.region)
