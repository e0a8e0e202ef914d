"""Animations are off unless the user asks for them (ui.toml ``animations = true`` or
COCKPIT_UI_ANIMATIONS): every animation frame goes to the terminal, over SSH too, and a key's
answer waits behind them. Off, `]` moves the tab underline in one frame."""

from __future__ import annotations

import pytest
from textual.widgets._tabs import Underline

from cockpit.build import build_app
from cockpit.settings import CockpitSettings
from tests.tui.helpers import settle


def test_animations_are_off_by_default_and_can_be_turned_on(monkeypatch: pytest.MonkeyPatch) -> None:
    assert CockpitSettings().animations is False
    monkeypatch.setenv("COCKPIT_UI_ANIMATIONS", "true")
    assert CockpitSettings().animations is True


@pytest.mark.parametrize("animations, level", [(False, "none"), (True, "full")])
def test_the_setting_sets_textuals_animation_level(animations, level) -> None:
    settings = CockpitSettings(theme="cockpit-dark", timezone="UTC", keymap={}, animations=animations)
    assert build_app(None, settings).animation_level == level  # type: ignore[arg-type]


async def test_the_tab_underline_moves_in_the_frame_of_the_key(ready, clock, settings):
    client, plan = ready
    await client.call("StartIncident", {"responsePlanArn": plan, "impact": 2})
    app = build_app(client, settings, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        underline = app.screen.query_one(Underline)
        start = underline.highlight_start
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert not app.animator.is_being_animated(underline, "highlight_start")
        assert underline.highlight_start != start  # already where it ends
