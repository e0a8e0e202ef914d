"""What is behind a dialog stays on screen: the `:` line leaves every line above it as it was
(the incident, or a code, can be read while typing `:ack`), and a modal shows the screen behind
it dimmed (undimmed in an ANSI theme, as Textual's ModalScreen does). An app-wide ``Screen``
background rule once made every modal opaque: only the modal's own lines had any text."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from rich.segment import Segment
from textual.app import App

from cockpit.build import build_app
from cockpit.factory import embedded_client
from cockpit.screenshots import DEMO_NOW
from cockpit.settings import CockpitSettings
from core.clock import FakeClock
from tests.tui.helpers import press_binding, settle


def cells(app: App) -> list[list[tuple[str, object, object]]]:
    """Each line of what the terminal shows, as (character, foreground, background) per cell
    (a blank's foreground is not seen: None)."""
    lines = []
    for strip in app.screen._compositor.render_strips():
        line = []
        for chars, style, _ in Segment.filter_control(strip):
            color, bgcolor = (style.color, style.bgcolor) if style else (None, None)
            line.extend((char, color if char.strip() else None, bgcolor) for char in chars)
        lines.append(line)
    return lines


def text(line: list[tuple[str, object, object]]) -> str:
    return "".join(cell[0] for cell in line)


def demo_app(workspace: Path, theme: str):
    clock = FakeClock(DEMO_NOW)
    settings = CockpitSettings(theme=theme, timezone="UTC", cursor_blink=False, keymap={})
    return build_app(partial(embedded_client, workspace, clock), settings, clock=clock)


@pytest.mark.parametrize("theme", ["cockpit-dark", "ansi-dark"])
async def test_the_command_line_leaves_the_screen_above_it_readable(demo_workspace: Path, theme: str) -> None:
    app = demo_app(demo_workspace, theme)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = cells(app)
        await press_binding(pilot, "command-line")
        await pilot.press(*"ack 12")
        await settle(pilot)
        after = cells(app)
        assert text(after[-2]).strip() == ":ack 12"
        # the prompt takes the bottom two lines (over the footer and flash line); the rest is as it was
        assert sum(1 for line in before[:-2] if text(line).strip()) > 10
        assert after[:-2] == before[:-2]


@pytest.mark.parametrize(("theme", "dimmed"), [("cockpit-dark", True), ("ansi-dark", False)])
@pytest.mark.parametrize("opener", ["start-incident", "help"])
async def test_a_modal_shows_the_screen_behind_it(demo_workspace: Path, theme: str, dimmed: bool, opener: str) -> None:
    app = demo_app(demo_workspace, theme)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = cells(app)
        await press_binding(pilot, opener)
        dialog = app.screen.children[0].region
        assert dialog.x > 10, "the dialog leaves a margin to look past"
        after = cells(app)[:-1]  # the footer behind follows the keys in force: the dialog's
        before = before[:-1]
        margin = slice(0, dialog.x)
        assert [text(line[margin]) for line in after] == [text(line[margin]) for line in before]
        shown = [(b, a) for line_b, line_a in zip(before, after, strict=True)
                 for b, a in zip(line_b[margin], line_a[margin], strict=True) if b[0].strip()]
        assert len(shown) > 100
        changed = [b for b, a in shown if b[1:] != a[1:]]
        if dimmed:
            assert len(changed) == len(shown), "every character behind the dialog is dimmed"
        else:
            assert not changed
