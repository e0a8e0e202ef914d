"""In every registered theme the incident tile's bar and impact badge, and the detail banner's
impact badge, stand out from what is behind them, as a 256-colour terminal (tmux) shows them:
cockpit-light drew the unselected tile's bar in colour 231 on background 231 ($panel-lighten-2
on a near-white background)."""

from __future__ import annotations

from functools import partial

from rich._palettes import EIGHT_BIT_PALETTE
from rich.color import Color, ColorSystem
from rich.segment import Segment
from rich.style import Style
from textual.app import App
from textual.widget import Widget

from cockpit.build import build_app
from cockpit.factory import embedded_client
from cockpit.screenshots import DEMO_NOW
from core.clock import FakeClock
from tests.tui.helpers import press_binding, settle
from widgets.impact_badge import ImpactBadge
from widgets.incident_tile import IncidentTile

FLOOR = 1.25
"""The least contrast ratio (WCAG's formula; 1 is the same colour) that still reads as a
mark: 231 on 231 is 1.0, the faintest pair shipped now (the focused bar of textual-light) ~1.3."""


def rgb(color: Color | None, foreground: bool, dark: bool) -> tuple[int, int, int]:
    """What a 256-colour terminal shows for ``color``; the terminal's own default colours
    taken as light on black in a dark theme and dark on white in a light one."""
    if color is None or color.is_default:
        light, black = (229, 229, 229), (0, 0, 0)
        return (light if dark else black) if foreground else (black if dark else (255, 255, 255))
    shown = color.downgrade(ColorSystem.EIGHT_BIT)
    return tuple(EIGHT_BIT_PALETTE[shown.number]) if shown.number is not None else tuple(shown.triplet)


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    def luminance(rgb: tuple[int, int, int]) -> float:
        def channel(v: float) -> float:
            v /= 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        r, g, b = map(channel, rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def style_at(app: App, x: int, y: int) -> tuple[str, Style]:
    at = 0
    for text, style, _ in Segment.filter_control(app.screen._compositor.render_strips()[y]):
        if at <= x < at + len(text):
            return text[x - at], style or Style()
        at += len(text)
    raise AssertionError(f"nothing drawn at {x},{y}")


def check(app: App, what: str, x: int, y: int) -> list[str]:
    char, style = style_at(app, x, y)
    assert char.strip(), f"{what}: a blank at {x},{y}"
    dark = app.current_theme.dark
    ratio = contrast(rgb(style.color, True, dark), rgb(style.bgcolor, False, dark))
    return [] if ratio >= FLOOR else [f"{app.theme}: {what} {char!r} {style} contrast {ratio:.2f}"]


def first_mark(app: App, widget: Widget) -> int:
    """The column of the first character ``widget`` draws on its first line."""
    region = widget.region
    for x in range(region.x, region.right):
        if style_at(app, x, region.y)[0].strip():
            return x
    raise AssertionError(f"{widget} draws nothing")


async def test_tile_bars_and_impact_badges_stand_out_in_every_theme(demo_workspace, settings) -> None:
    clock = FakeClock(DEMO_NOW)
    app = build_app(partial(embedded_client, demo_workspace, clock), settings, clock=clock)
    faint: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        themes = sorted(app.available_themes)
        assert {"cockpit-dark", "cockpit-light", "ansi-dark", "ansi-light"} <= set(themes)
        focused, other = [t for t in app.screen.query(IncidentTile) if t.region.height][:2]
        focused.focus()
        for theme in themes:
            app.theme = theme
            for impact in range(1, 6):
                focused.impact = other.impact = impact
                await pilot.pause()
                for tile, state in ((focused, "selected"), (other, "unselected")):
                    faint += check(app, f"{state} tile's bar", tile.region.x, tile.region.y)
                    faint += check(app, f"{state} tile's impact {impact} badge", tile.region.x + 3, tile.region.y)  # its number
        await press_binding(pilot, "tile-open")
        badge = app.screen.query_one("#banner-impact", ImpactBadge)
        for theme in themes:
            app.theme = theme
            for impact in range(1, 6):
                badge.impact = impact
                await pilot.pause()
                faint += check(app, f"banner's impact {impact} badge", first_mark(app, badge), badge.region.y)
    assert faint == [], "\n".join(faint)
