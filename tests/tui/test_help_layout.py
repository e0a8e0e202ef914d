"""`?` reads as three aligned columns at 80x24 and 120x40: each key right-aligned in its
column, its name starting two spaces after the widest key, what it does two spaces after the
widest name, and every wrapped line under that text, never at column 0 or under a key (the
`:theme` help once wrapped to column 0, and "x Drop override Delete…" ran a name into its
tooltip). 1-9 is one line that says what the digits do."""

from __future__ import annotations

from functools import partial

import pytest
from textual.widgets import Static

from cockpit.analyses.templates_screen import AnalysisTemplatesScreen
from cockpit.build import build_app
from cockpit.factory import embedded_client
from cockpit.screenshots import DEMO_NOW
from cockpit.shell.help import HelpModal
from core.clock import FakeClock
from tests.tui.helpers import drawn, press_binding, settle
from tests.tui.test_snapshots import details


def check_columns(lines: list[str], rows: list[tuple[str, str]]) -> list[str]:
    """What is out of place in ``lines``, a section drawn from ``rows`` (key, name)."""
    key_width = max(len(key) for key, _ in rows)
    name_width = max(len(name) for _, name in rows)
    text_at = key_width + 2 + name_width + 2
    wrong, starts = [], iter(rows)
    for line in (line.ljust(text_at) for line in lines):  # drawn lines come with trailing blanks trimmed
        if not line.strip():
            continue
        if line[:key_width].strip():  # a row's first line
            key, name = next(starts, ("?", "?"))
            if line[:key_width] != key.rjust(key_width) or line[key_width:key_width + 2] != "  ":
                wrong.append(f"key {key!r} not right-aligned in its column: {line!r}")
            elif line[key_width + 2:text_at] != f"{name:<{name_width}}  ":
                wrong.append(f"name {name!r} not in its column, two spaces before the text: {line!r}")
        elif line[:text_at].strip():
            wrong.append(f"a wrapped line that does not start under the text (column {text_at}): {line!r}")
        if "…" in line.replace("tab-1 … tab-9", ""):
            wrong.append(f"cut short: {line!r}")
    if next(starts, None) is not None:
        wrong.append(f"fewer lines than keys: {lines}")
    return wrong


def check_help(modal: HelpModal, where: str) -> list[str]:
    wrong = []
    for section, widget_id in (("screen", "help-keys"), ("cockpit", "help-cockpit-keys"), ("textual", "help-textual-keys")):
        rows = [(row.key, row.description) for row in modal._keys.get(section, [])]
        if rows:
            lines = drawn(modal.query_one(f"#{widget_id}", Static)).splitlines()
            wrong += [f"{where} {section}: {w}" for w in check_columns(lines, rows)]
    verbs = drawn(modal.query_one("#help-verbs", Static)).splitlines()
    usage_width = max(len(v.usage) for v in modal.verbs)
    shown = [line[:usage_width].strip() for line in verbs if line[:usage_width].strip()]
    if shown != [v.usage for v in modal.verbs]:
        wrong.append(f"{where} commands: {shown} are not the usages {[v.usage for v in modal.verbs]}")
    wrong += [f"{where} commands: a wrapped help not under its text: {line!r}"
              for line in verbs if line.strip() and not line[:usage_width].strip() and line[:usage_width + 2].strip()]
    return wrong


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_help_is_three_aligned_columns(demo_workspace, settings, size) -> None:
    clock = FakeClock(DEMO_NOW)
    app = build_app(partial(embedded_client, demo_workspace, clock), settings, clock=clock)
    wrong: list[str] = []
    async with app.run_test(size=size) as pilot:

        async def check(where: str) -> None:
            await press_binding(pilot, "help")
            assert isinstance(app.screen, HelpModal)
            wrong.extend(check_help(app.screen, where))
            await press_binding(pilot, "help-close")

        await details(pilot, "tab-1")
        await check("incident details")
        await press_binding(pilot, "help")
        text = drawn(app.screen.query_one("#help-keys", Static))
        assert "1-9  Jump to tab" in text and "Show the tab of that number" in text
        assert "Tab 2" not in text and "Show tab 1" not in text
        await press_binding(pilot, "help-close")
        app.push_screen(AnalysisTemplatesScreen())
        await settle(pilot)
        await check("analysis templates")
        for area in [a.mode for a in app.areas]:
            app.go_to_area(area)
            await settle(pilot)
            await check(area)
    assert wrong == [], "\n".join(wrong)
